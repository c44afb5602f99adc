// Test-only loopback peers for the fetch and watch tests: what misbehaving or malicious endpoints do to a client that
// reads them, and a webhook receiver. Each is a real server on 127.0.0.1 in the test process.
//
// Thread-safety: a server object is created and destroyed by one thread; its connections run on their own threads.
#ifndef LEAKHOUND_TESTING_PEERS_H_
#define LEAKHOUND_TESTING_PEERS_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace leakhound::testing {

// `mib` MiB of zeros, gzipped (~1 KB per MiB): served as a debug=0 profile it must not be inflated past the budget.
// Made once per size and kept.
const std::string& GzipBomb(size_t mib = 64);

// A port that was free a moment ago: nothing listens there, connecting is refused.
int DeadPort();

// A target that answers every request with a status line and then drips its headers, one byte every 50 ms, forever:
// every read is well inside any read timeout, so only a deadline on the whole exchange ends it.
class HeaderDripServer {
 public:
  HeaderDripServer();
  ~HeaderDripServer();  // closes every connection and joins
  HeaderDripServer(const HeaderDripServer&) = delete;
  HeaderDripServer& operator=(const HeaderDripServer&) = delete;

  int port() const { return port_; }  // 0 when it could not listen
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> conns_;
};

// Records every POST to /hook. The first `failures` requests get `status` (a receiver that is overloaded or rejects);
// the rest 204. `port` 0 picks a free one; a given port (one that was dead a moment ago: a receiver that comes up
// late) is bound or port() stays 0.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(int failures = 0, int status = 503, int port = 0);
  ~WebhookReceiver();  // stops and joins
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> bodies() const;
  std::string content_type() const;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int failures_, status_;
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  std::string content_type_;
};

}  // namespace leakhound::testing

#endif  // LEAKHOUND_TESTING_PEERS_H_
