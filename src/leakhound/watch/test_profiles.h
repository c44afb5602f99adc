// Test-only: debug=1 goroutine profile text built from a few stacks, as net/http/pprof writes it.
#ifndef LEAKHOUND_WATCH_TEST_PROFILES_H_
#define LEAKHOUND_WATCH_TEST_PROFILES_H_

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace leakhound::watch::testdata {

// One record: `count` goroutines whose stack is `frames` ("function file:line", innermost first).
struct Record {
  uint64_t count;
  std::vector<std::string> frames;
};

inline std::string Debug1(const std::vector<Record>& records) {
  uint64_t total = 0;
  for (const Record& r : records) total += r.count;
  std::string out = fmt::format("goroutine profile: total {}\n", total);
  uint64_t pc = 0x401000;
  for (const Record& r : records) {
    if (r.count == 0) continue;
    std::string pcs, lines;
    for (const std::string& f : r.frames) {
      size_t sp = f.find(' ');
      pc += 0x40;
      pcs += fmt::format(" 0x{:x}", pc);
      lines += fmt::format("#\t0x{:x}\t{}+0x3f\t{}\n", pc - 1, f.substr(0, sp), f.substr(sp + 1));
    }
    out += fmt::format("{} @{} 0x4711a1\n{}\n", r.count, pcs, lines);
  }
  return out;
}

// A service with `leaked` senders parked in main.notifyAudit, `workers` in a bounded pool, and main.
inline std::string Service(uint64_t leaked, uint64_t workers) {
  return Debug1({{leaked, {"runtime.gopark /go/src/runtime/proc.go:435", "runtime.chansend1 /go/src/runtime/chan.go:161",
                           "main.notifyAudit /svc/main.go:27"}},
                 {workers, {"runtime.gopark /go/src/runtime/proc.go:435", "runtime.chanrecv1 /go/src/runtime/chan.go:506",
                            "main.worker /svc/main.go:40"}},
                 {1, {"runtime.gopark /go/src/runtime/proc.go:435", "main.main /svc/main.go:60",
                      "runtime.main /go/src/runtime/proc.go:283"}}});
}

}  // namespace leakhound::watch::testdata

#endif  // LEAKHOUND_WATCH_TEST_PROFILES_H_
