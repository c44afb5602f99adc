// A program the tests start and stop by pid: leakhound itself (watch), or a real peer such as Debian's prometheus
// and alertmanager. stdout is read on a thread, line by line (lines that are JSON objects are kept as events, as
// `leakhound watch -f json` prints them); stderr goes to a file. The destructor kills and reaps it.
//
// Thread-safety: the accessors may be called from any thread while the reader runs.
#ifndef LEAKHOUND_TESTING_CHILD_H_
#define LEAKHOUND_TESTING_CHILD_H_

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace leakhound::testing {

class Child {
 public:
  // Starts argv[0] (a path) with NO_COLOR=1 and `env` ("NAME=value") added; stderr to `err_path`. pid() is -1 when it
  // could not be started.
  Child(const std::vector<std::string>& argv, const std::string& err_path, const std::vector<std::string>& env = {});
  ~Child();  // SIGKILL and reap, if it still runs
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  // The JSON lines of stdout whose "event" is `kind` (and "target" is `target`, when given).
  std::vector<nlohmann::json> Events(const std::string& kind, const std::string& target = "") const;
  std::vector<std::string> Lines() const;
  int not_json() const;
  // Polls `pred` every 100 ms until it holds or `timeout` passes; its last result.
  template <typename Pred>
  static bool WaitFor(Pred pred, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pred();
  }
  // SIGTERM and wait for the exit: the seconds it took, or -1 when it did not end within `timeout`.
  double Terminate(std::chrono::milliseconds timeout, int* status);
  // SIGKILL and reap.
  void Kill();

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::thread reader_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
  std::vector<nlohmann::json> events_;
  int not_json_ = 0;
};

}  // namespace leakhound::testing

#endif  // LEAKHOUND_TESTING_CHILD_H_
