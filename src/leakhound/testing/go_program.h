// Test-only helpers (compiled into leakhound_tests only): build and run the real Go programs under tests/go/<case>,
// take goroutine dumps from them, and run the leakhound CLI as a child process.
//
// A GoProgram owns one running child process. Its destructor kills (SIGKILL) and reaps the child if it still runs, so
// a failed assertion never leaves a Go program behind; children also get PR_SET_PDEATHSIG, so they die with the test
// process even when it crashes. Paths come from the compile definitions LEAKHOUND_SOURCE_DIR, LEAKHOUND_BINARY_DIR
// and LEAKHOUND_CLI of the test binary.
//
// Thread-safety: BuildGoCase may be called from any thread (and from concurrent processes: builds are serialised by a
// file lock and installed by an atomic rename). A GoProgram is used from one thread at a time.
#ifndef LEAKHOUND_TESTING_GO_PROGRAM_H_
#define LEAKHOUND_TESTING_GO_PROGRAM_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "leakhound/dump/model.h"
#include "leakhound/util/status.h"

namespace leakhound::testing {

// <source>/tests/go: the Go module holding one program per case.
std::string GoCasesDir();

// Builds tests/go/<name> with the installed Go toolchain into <binary>/go/<name> and returns the binary's path.
// Builds at most once per process; a binary newer than go.mod and every file of the case is reused, so parallel test
// processes build each case once per change. Errors carry the `go build` output.
// `experiment` is passed as GOEXPERIMENT (e.g. "goroutineleakprofile"); such builds get their own binary.
util::Result<std::string> BuildGoCase(const std::string& name, const std::string& experiment = "");

// The go command: the first `go` in PATH, else /usr/local/go/bin/go or /usr/lib/go/bin/go; "" when there is none.
std::string FindGo();

struct CommandResult {
  int exit_code = -1;  // exit status, or 128 + signal number when a signal ended the process
  std::string out;
  std::string err;
};

// Runs argv[0] (a path) with the given arguments, stdin from /dev/null, and captures stdout and stderr. Fails when
// the program cannot be started or does not finish within `timeout` (it is then killed).
util::Result<CommandResult> RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                       const std::vector<std::string>& extra_env = {},
                                       const std::string& cwd = "");

// The leakhound binary (LEAKHOUND_CLI) and RunCommand on it.
std::string CliPath();
util::Result<CommandResult> RunCli(const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Parses dump text as the CLI would (format detected from the bytes); the Dump owns a copy of `text`.
dump::Dump ParseText(std::string name, std::string text);

// One running Go case. Started with GOTRACEBACK=all, stdout on a pipe (for the READY line), stderr to a file (for the
// SIGQUIT dump).
class GoProgram {
 public:
  // Builds the case if needed, starts it with `args` and waits for its "READY http://127.0.0.1:PORT" line.
  static util::Result<std::unique_ptr<GoProgram>> Start(
      const std::string& name, const std::vector<std::string>& args,
      std::chrono::milliseconds ready_timeout = std::chrono::seconds(60), const std::string& experiment = "");

  GoProgram(const GoProgram&) = delete;
  GoProgram& operator=(const GoProgram&) = delete;
  ~GoProgram();  // kills and reaps the child if it still runs, removes the stderr file

  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT"
  // The file that receives the child's stderr; it exists until the GoProgram is destroyed.
  const std::string& stderr_path() const { return stderr_path_; }

  // "<base>/debug/pprof/goroutine?debug=N"
  std::string ProfileUrl(int debug) const;
  // GET <base><path_and_query> through dump::FetchUrl.
  util::Result<std::string> Fetch(const std::string& path_and_query) const;
  // The goroutine profile at ?debug=N, loaded and parsed through dump::LoadSource.
  util::Result<dump::Dump> LoadProfile(int debug) const;

  // Sends SIGQUIT, waits for the child to exit and returns everything it wrote to stderr: with GOTRACEBACK=all the
  // traceback of every goroutine. The program is gone afterwards. REQUIRES: running()
  util::Result<std::string> Quit(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // SIGKILL and reap; no-op when the child has already exited.
  void Kill();

 private:
  GoProgram() = default;
  // Waits up to `timeout` for the child to exit; true when it was reaped.
  bool WaitExit(std::chrono::milliseconds timeout, int* status);
  std::string ReadStderr() const;

  std::string name_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string base_url_;
  std::string stderr_path_;
};

}  // namespace leakhound::testing

#endif  // LEAKHOUND_TESTING_GO_PROGRAM_H_
