#include "leakhound/testing/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace leakhound::testing {

using json = nlohmann::json;

Child::Child(const std::vector<std::string>& args, const std::string& err_path, const std::vector<std::string>& env) {
  int out[2];
  if (args.empty() || ::pipe(out) != 0) return;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err, 2);
    ::close(out[0]);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::setenv("NO_COLOR", "1", 1);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    ::execv(args[0].c_str(), argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (pid_ < 0) {
    ::close(out[0]);
    return;
  }
  reader_ = std::thread([this, fd = out[0]] {
    std::string pending;
    char buf[65536];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
      pending.append(buf, static_cast<size_t>(n));
      for (size_t nl; (nl = pending.find('\n')) != std::string::npos; pending.erase(0, nl + 1)) {
        std::string line = pending.substr(0, nl);
        json e = json::parse(line, nullptr, false);
        std::lock_guard<std::mutex> lock(mu_);
        if (e.is_object()) {
          events_.push_back(std::move(e));
        } else {
          ++not_json_;
        }
        lines_.push_back(std::move(line));
      }
    }
    ::close(fd);
  });
}

Child::~Child() {
  Kill();
  if (reader_.joinable()) reader_.join();
}

void Child::Kill() {
  if (pid_ > 0 && !exited_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    exited_ = true;
  }
}

std::vector<json> Child::Events(const std::string& kind, const std::string& target) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<json> out;
  for (const json& e : events_) {
    if (e.value("event", "") == kind && (target.empty() || e.value("target", "") == target)) out.push_back(e);
  }
  return out;
}

std::vector<std::string> Child::Lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

int Child::not_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  return not_json_;
}

double Child::Terminate(std::chrono::milliseconds timeout, int* status) {
  const auto start = std::chrono::steady_clock::now();
  if (pid_ <= 0 || exited_) return 0;
  ::kill(pid_, SIGTERM);
  while (std::chrono::steady_clock::now() - start < timeout) {
    if (::waitpid(pid_, status, WNOHANG) == pid_) {
      exited_ = true;
      if (reader_.joinable()) reader_.join();
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace leakhound::testing
