#include "leakhound/verdict/trend.h"

namespace leakhound::verdict {

std::optional<double> LeastSquaresSlope(std::span<const double> x, std::span<const uint64_t> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += static_cast<double>(y[i]);
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (static_cast<double>(y[i]) - my);
  }
  if (sxx <= 0) return std::nullopt;
  return sxy / sxx;
}

Monotony MonotonicTest(std::span<const uint64_t> y) {
  Monotony m;
  for (size_t i = 1; i < y.size(); ++i) {
    m.fell = m.fell || y[i] < y[i - 1];
    m.rose = m.rose || y[i] > y[i - 1];
  }
  return m;
}

bool CanLeak(BlockKind kind) {
  return kind != BlockKind::kRunning && kind != BlockKind::kSyscall && kind != BlockKind::kIdle &&
         kind != BlockKind::kSleep;
}

}  // namespace leakhound::verdict
