#include "loopback_printer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace lims::testing {
namespace {

int ListenOnLoopback(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

LoopbackPrinter::LoopbackPrinter(bool read) : read_(read) {
  listen_fd_ = ListenOnLoopback(&port_);
  listen(listen_fd_, 16);
  thread_ = std::thread([this] { Serve(); });
}

LoopbackPrinter::~LoopbackPrinter() {
  stop_ = true;
  thread_.join();
  close(listen_fd_);
  for (int fd : idle_fds_) close(fd);
}

void LoopbackPrinter::Serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    if (!read_) {
      // Keep it open and unread: the sender's buffers fill and it must time out.
      int small = 4096;
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
      idle_fds_.push_back(fd);
      continue;
    }
    std::string job;
    char buf[65536];
    while (true) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      job.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
  }
}

std::vector<std::string> LoopbackPrinter::Jobs(size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (jobs_.size() >= count || std::chrono::steady_clock::now() > deadline) return jobs_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int ClosedLoopbackPort() {
  int port = 0;
  const int fd = ListenOnLoopback(&port);
  close(fd);
  return port;
}

}  // namespace lims::testing
