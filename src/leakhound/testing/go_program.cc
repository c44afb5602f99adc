#include "leakhound/testing/go_program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

#include "leakhound/dump/reader.h"
#include "leakhound/dump/source.h"

extern char** environ;

namespace leakhound::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

#ifndef LEAKHOUND_SOURCE_DIR
#error "LEAKHOUND_SOURCE_DIR must be defined for the test binary"
#endif
#ifndef LEAKHOUND_BINARY_DIR
#error "LEAKHOUND_BINARY_DIR must be defined for the test binary"
#endif
#ifndef LEAKHOUND_CLI
#error "LEAKHOUND_CLI must be defined for the test binary"
#endif

std::string ErrnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

util::Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return util::Status::IOError(ErrnoText("pipe2"));
  *read_end = Fd(fds[0]);
  *write_end = Fd(fds[1]);
  return util::Status::Ok();
}

// The current environment with `overrides` ("KEY=VALUE") replacing entries of the same key.
std::vector<std::string> BuildEnv(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  auto key_of = [](const std::string& kv) { return kv.substr(0, kv.find('=')); };
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv(*e);
    bool overridden = false;
    for (const std::string& o : overrides) overridden = overridden || key_of(o) == key_of(kv);
    if (!overridden) env.push_back(std::move(kv));
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// fork + execve with the child's stdin/stdout/stderr on the given descriptors. Only async-signal-safe calls happen
// in the child; an exec failure is reported back through a close-on-exec pipe.
util::Result<pid_t> Spawn(std::vector<std::string> argv, std::vector<std::string> env, const std::string& cwd,
                          int in_fd, int out_fd, int err_fd) {
  std::vector<char*> c_argv = CStrings(argv);
  std::vector<char*> c_env = CStrings(env);
  const char* c_cwd = cwd.empty() ? nullptr : cwd.c_str();
  const pid_t parent = ::getpid();

  Fd err_read, err_write;
  if (util::Status s = MakePipe(&err_read, &err_write); !s.ok()) return s;

  pid_t pid = ::fork();
  if (pid < 0) return util::Status::IOError(ErrnoText("fork"));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(in_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
      int e = errno;
      (void)!::write(err_write.get(), &e, sizeof e);
      ::_exit(127);
    }
    if (c_cwd != nullptr && ::chdir(c_cwd) != 0) {
      int e = errno;
      (void)!::write(err_write.get(), &e, sizeof e);
      ::_exit(127);
    }
    ::execve(c_argv[0], c_argv.data(), c_env.data());
    int e = errno;
    (void)!::write(err_write.get(), &e, sizeof e);
    ::_exit(127);
  }
  err_write.Reset();
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(err_read.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    ::waitpid(pid, nullptr, 0);
    return util::Status::IOError("cannot run " + argv[0] + ": " + std::strerror(child_errno));
  }
  return pid;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// waitpid with a deadline; true when the child was reaped (its status in *status).
bool WaitPid(pid_t pid, Clock::time_point deadline, int* status) {
  for (;;) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // not our child any more (already reaped)
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

void KillAndReap(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

Fd OpenDevNull() { return Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Tail(const std::string& s, size_t n) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }

bool IsExecutable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0 && fs::is_regular_file(path); }

// The `go` command: from PATH, else the usual install locations.
bool EnvEmpty(const char* key) {
  const char* v = std::getenv(key);
  return v == nullptr || *v == '\0';
}

bool ValidCaseName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// Newest modification time of go.mod and of every file of the case.
fs::file_time_type NewestSource(const fs::path& module_dir, const fs::path& case_dir) {
  std::error_code ec;
  fs::file_time_type newest = fs::last_write_time(module_dir / "go.mod", ec);
  // The case and the packages shared by every case.
  for (const fs::path& dir : {case_dir, module_dir / "internal"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      fs::file_time_type t = entry.last_write_time(ec);
      if (!ec && t > newest) newest = t;
    }
  }
  return newest;
}

util::Result<std::string> BuildGoCaseLocked(const std::string& name, const std::string& experiment) {
  const fs::path module_dir = GoCasesDir();
  const fs::path case_dir = module_dir / name;
  if (!ValidCaseName(name) || !fs::is_regular_file(case_dir / "main.go")) {
    return util::Status::NotFound("no Go case " + (case_dir / "main.go").string());
  }
  const std::string go = FindGo();
  if (go.empty()) return util::Status::NotFound("the go command is not installed (looked in PATH and /usr/local/go)");

  const fs::path out_dir = fs::path(LEAKHOUND_BINARY_DIR) / "go";
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return util::Status::IOError("cannot create " + out_dir.string() + ": " + ec.message());

  // Serialise builds of all test processes sharing this build dir.
  Fd lock(::open((out_dir / ".build.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (lock.get() < 0) return util::Status::IOError(ErrnoText("open build lock"));
  while (::flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return util::Status::IOError(ErrnoText("flock"));
  }

  const fs::path binary = out_dir / (experiment.empty() ? name : name + ".exp-" + experiment);
  if (fs::is_regular_file(binary, ec) && fs::last_write_time(binary, ec) >= NewestSource(module_dir, case_dir)) {
    return binary.string();  // up to date: built by an earlier process
  }

  const fs::path tmp = out_dir / (binary.filename().string() + ".tmp." + std::to_string(::getpid()));
  std::vector<std::string> env = {"GOTOOLCHAIN=local", "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false",
                                  "GOEXPERIMENT=" + experiment};
  if (EnvEmpty("HOME") && EnvEmpty("XDG_CACHE_HOME") && EnvEmpty("GOCACHE")) {
    env.push_back("GOCACHE=" + (out_dir / "gocache").string());
  }
  if (EnvEmpty("HOME") && EnvEmpty("GOPATH")) env.push_back("GOPATH=" + (out_dir / "gopath").string());

  util::Result<CommandResult> built =
      RunCommand({go, "build", "-o", tmp.string(), "./" + name}, std::chrono::minutes(5), env, module_dir.string());
  if (!built.ok()) return built.status();
  if (built->exit_code != 0) {
    fs::remove(tmp, ec);
    return util::Status::IOError("go build ./" + name + " in " + module_dir.string() + " failed (exit " +
                                 std::to_string(built->exit_code) + "):\n" + built->out + built->err);
  }
  if (::rename(tmp.c_str(), binary.c_str()) != 0) return util::Status::IOError(ErrnoText("rename built binary"));
  return binary.string();
}

}  // namespace

std::string FindGo() {
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (dir.empty()) continue;
      std::string candidate = dir + "/go";
      if (IsExecutable(candidate)) return candidate;
    }
  }
  for (const char* candidate : {"/usr/local/go/bin/go", "/usr/lib/go/bin/go"}) {
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

std::string GoCasesDir() { return std::string(LEAKHOUND_SOURCE_DIR) + "/tests/go"; }

util::Result<std::string> BuildGoCase(const std::string& name, const std::string& experiment) {
  // Per process: each case is built (or found up to date) once; failures are remembered too.
  static std::mutex mu;
  static std::map<std::string, std::pair<bool, std::string>> built;  // name/experiment -> (ok, path or error)
  std::lock_guard<std::mutex> lock(mu);
  const std::string key = name + "/" + experiment;
  auto it = built.find(key);
  if (it == built.end()) {
    util::Result<std::string> r = BuildGoCaseLocked(name, experiment);
    it = built.emplace(key, r.ok() ? std::make_pair(true, r.value()) : std::make_pair(false, r.status().message()))
             .first;
  }
  if (!it->second.first) return util::Status::IOError(it->second.second);
  return it->second.second;
}

util::Result<CommandResult> RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                       const std::vector<std::string>& extra_env, const std::string& cwd) {
  if (argv.empty()) return util::Status::InvalidArgument("RunCommand: empty argv");
  const Clock::time_point deadline = Clock::now() + timeout;
  Fd out_read, out_write, err_read, err_write;
  if (util::Status s = MakePipe(&out_read, &out_write); !s.ok()) return s;
  if (util::Status s = MakePipe(&err_read, &err_write); !s.ok()) return s;
  Fd dev_null = OpenDevNull();
  if (dev_null.get() < 0) return util::Status::IOError(ErrnoText("open /dev/null"));

  util::Result<pid_t> pid =
      Spawn(argv, BuildEnv(extra_env), cwd, dev_null.get(), out_write.get(), err_write.get());
  if (!pid.ok()) return pid.status();
  out_write.Reset();
  err_write.Reset();

  CommandResult result;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[2];
    nfds_t nfds = 0;
    if (out_open) fds[nfds++] = pollfd{out_read.get(), POLLIN, 0};
    if (err_open) fds[nfds++] = pollfd{err_read.get(), POLLIN, 0};
    int ready = ::poll(fds, nfds, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      KillAndReap(*pid);
      return util::Status::Unavailable(argv[0] + " did not finish within " + std::to_string(timeout.count()) +
                                       " ms; stderr so far:\n" + Tail(result.err, 2000));
    }
    for (nfds_t i = 0; i < nfds; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      const bool is_out = fds[i].fd == out_read.get();
      if (n <= 0) {
        (is_out ? out_open : err_open) = false;
      } else {
        (is_out ? result.out : result.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  if (!WaitPid(*pid, deadline, &status)) {
    KillAndReap(*pid);
    return util::Status::Unavailable(argv[0] + " closed its output but did not exit within " +
                                     std::to_string(timeout.count()) + " ms");
  }
  result.exit_code = DecodeStatus(status);
  return result;
}

std::string CliPath() { return LEAKHOUND_CLI; }

util::Result<CommandResult> RunCli(const std::vector<std::string>& args, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {CliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, timeout, {"NO_COLOR=1"});
}

dump::Dump ParseText(std::string name, std::string text) {
  auto owner = std::make_shared<const std::string>(std::move(text));
  std::string_view bytes(*owner);
  return dump::ParseDump(std::move(name), bytes, owner, dump::ReadOptions{});
}

util::Result<std::unique_ptr<GoProgram>> GoProgram::Start(const std::string& name,
                                                           const std::vector<std::string>& args,
                                                           std::chrono::milliseconds ready_timeout,
                                                           const std::string& experiment) {
  util::Result<std::string> binary = BuildGoCase(name, experiment);
  if (!binary.ok()) return binary.status();

  static std::atomic<int> sequence{0};
  const fs::path run_dir = fs::path(LEAKHOUND_BINARY_DIR) / "go" / "runs";
  std::error_code ec;
  fs::create_directories(run_dir, ec);

  std::unique_ptr<GoProgram> program(new GoProgram());
  program->name_ = name;
  program->stderr_path_ = (run_dir / (name + "." + std::to_string(::getpid()) + "." +
                                      std::to_string(sequence.fetch_add(1)) + ".stderr"))
                              .string();

  Fd err_file(::open(program->stderr_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (err_file.get() < 0) return util::Status::IOError(ErrnoText(("open " + program->stderr_path_).c_str()));
  Fd out_read, out_write;
  if (util::Status s = MakePipe(&out_read, &out_write); !s.ok()) return s;
  Fd dev_null = OpenDevNull();
  if (dev_null.get() < 0) return util::Status::IOError(ErrnoText("open /dev/null"));

  std::vector<std::string> argv = {binary.value()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::Result<pid_t> pid = Spawn(argv, BuildEnv({"GOTRACEBACK=all"}), "", dev_null.get(), out_write.get(),
                                  err_file.get());
  if (!pid.ok()) return pid.status();
  program->pid_ = *pid;
  program->stdout_fd_ = out_read.Release();
  out_write.Reset();

  // Read stdout until the READY line.
  const Clock::time_point deadline = Clock::now() + ready_timeout;
  std::string out;
  for (;;) {
    size_t nl = out.find('\n');
    while (nl != std::string::npos) {
      std::string line = out.substr(0, nl);
      out.erase(0, nl + 1);
      static constexpr std::string_view kReady = "READY ";
      if (line.compare(0, kReady.size(), kReady) == 0) {
        program->base_url_ = line.substr(kReady.size());
        while (!program->base_url_.empty() && program->base_url_.back() == '/') program->base_url_.pop_back();
        return program;
      }
      nl = out.find('\n');
    }
    pollfd pfd{program->stdout_fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      program->Kill();
      return util::Status::Unavailable(name + " printed no READY line within " +
                                       std::to_string(ready_timeout.count()) + " ms; stderr:\n" +
                                       Tail(program->ReadStderr(), 4000));
    }
    char buf[4096];
    ssize_t n = ::read(program->stdout_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int status = 0;
      program->WaitExit(std::chrono::seconds(10), &status);
      program->Kill();
      return util::Status::Unavailable(name + " exited (status " + std::to_string(DecodeStatus(status)) +
                                       ") before printing READY; stderr:\n" + Tail(program->ReadStderr(), 4000));
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

GoProgram::~GoProgram() {
  Kill();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (!stderr_path_.empty()) {
    std::error_code ec;
    fs::remove(stderr_path_, ec);
  }
}

std::string GoProgram::ProfileUrl(int debug) const {
  return base_url_ + "/debug/pprof/goroutine?debug=" + std::to_string(debug);
}

util::Result<std::string> GoProgram::Fetch(const std::string& path_and_query) const {
  dump::FetchOptions options;
  options.timeout = std::chrono::seconds(30);
  return dump::FetchUrl(base_url_ + path_and_query, options);
}

util::Result<dump::Dump> GoProgram::LoadProfile(int debug) const {
  dump::FetchOptions options;
  options.timeout = std::chrono::seconds(30);
  return dump::LoadSource(ProfileUrl(debug), dump::ReadOptions{}, options);
}

util::Result<std::string> GoProgram::Quit(std::chrono::milliseconds timeout) {
  if (!running()) return util::Status::InvalidArgument(name_ + " is not running");
  if (::kill(pid_, SIGQUIT) != 0) return util::Status::IOError(ErrnoText("kill(SIGQUIT)"));
  int status = 0;
  if (!WaitExit(timeout, &status)) {
    Kill();
    return util::Status::Unavailable(name_ + " did not exit within " + std::to_string(timeout.count()) +
                                     " ms of SIGQUIT");
  }
  return ReadStderr();
}

void GoProgram::Kill() {
  if (pid_ > 0) KillAndReap(pid_);
  pid_ = -1;
}

bool GoProgram::WaitExit(std::chrono::milliseconds timeout, int* status) {
  if (pid_ <= 0) return true;
  if (!WaitPid(pid_, Clock::now() + timeout, status)) return false;
  pid_ = -1;
  return true;
}

std::string GoProgram::ReadStderr() const { return ReadWholeFile(stderr_path_); }

}  // namespace leakhound::testing
