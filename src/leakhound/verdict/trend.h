// The trend model shared by `diff` (a few snapshots) and `watch` (a time series per bucket): a least-squares slope
// and a monotonic-growth test over a series of goroutine counts, and which blocking kinds can leak at all.
//
// Pure functions over caller-owned spans; thread-safe.
#ifndef LEAKHOUND_VERDICT_TREND_H_
#define LEAKHOUND_VERDICT_TREND_H_

#include <cstdint>
#include <optional>
#include <span>

#include "leakhound/verdict/verdict.h"

namespace leakhound::verdict {

// Least-squares slope of y over x (y per unit of x); nullopt with fewer than two distinct x.
// REQUIRES: x.size() == y.size()
std::optional<double> LeastSquaresSlope(std::span<const double> x, std::span<const uint64_t> y);

struct Monotony {
  bool rose = false;  // some value is above the one before it
  bool fell = false;  // some value is below the one before it
  // Never fell, and rose at least once.
  bool growing() const { return rose && !fell; }
};
Monotony MonotonicTest(std::span<const uint64_t> y);

// False for goroutines that are parked by design and come and go with load (running, syscall, idle, sleep): their
// growth is load, not a leak.
bool CanLeak(BlockKind kind);

}  // namespace leakhound::verdict

#endif  // LEAKHOUND_VERDICT_TREND_H_
