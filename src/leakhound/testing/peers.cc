#include "leakhound/testing/peers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <map>

#include "leakhound/util/gzip.h"

namespace leakhound::testing {

const std::string& GzipBomb(size_t mib) {
  static std::mutex mu;
  static std::map<size_t, std::string> made;
  std::lock_guard<std::mutex> lock(mu);
  auto it = made.find(mib);
  if (it == made.end()) it = made.emplace(mib, util::Gzip(std::string(mib << 20, '\0'))).first;
  return it->second;
}

int DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);  // bound, never listening, now closed: connecting is refused
  return port;
}

HeaderDripServer::HeaderDripServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return;
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] {
    for (;;) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;  // the listening socket was shut down
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      conns_.emplace_back([this, fd] {
        char buf[4096];
        (void)::recv(fd, buf, sizeof buf, 0);  // the request
        const char head[] = "HTTP/1.1 200 OK\r\nX-Drip: ";
        bool ok = ::send(fd, head, sizeof head - 1, MSG_NOSIGNAL) > 0;
        while (ok && !stopping_) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          ok = ::send(fd, "x", 1, MSG_NOSIGNAL) > 0;
        }
        ::close(fd);
      });
    }
  });
}

HeaderDripServer::~HeaderDripServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  std::lock_guard<std::mutex> lock(mu_);
  for (std::thread& t : conns_) t.join();
}

WebhookReceiver::WebhookReceiver(int failures, int status, int port)
    : server_(std::make_unique<httplib::Server>()), failures_(failures), status_(status) {
  server_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    bodies_.push_back(req.body);
    content_type_ = req.get_header_value("Content-Type");
    res.status = static_cast<int>(bodies_.size()) <= failures_ ? status_ : 204;
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    port_ = server_->bind_to_port("127.0.0.1", port) ? port : 0;
  }
  if (port_ > 0) thread_ = std::thread([this] { server_->listen_after_bind(); });
}

WebhookReceiver::~WebhookReceiver() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> WebhookReceiver::bodies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bodies_;
}

std::string WebhookReceiver::content_type() const {
  std::lock_guard<std::mutex> lock(mu_);
  return content_type_;
}

}  // namespace leakhound::testing
