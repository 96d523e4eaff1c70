// Raw TCP to a label printer (Zebra "port 9100"): connect and write with deadlines, so an
// unplugged printer is a quick, clear error instead of a bench PC that hangs.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "transports.h"

namespace lims::labels {
namespace {

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

absl::Status Unreachable(const PrinterUri& printer, const std::string& why) {
  return absl::UnavailableError(absl::StrCat(
      "printer ", printer.ToString(), " cannot be reached: ", why,
      "; check that it is switched on, on the network and not busy, or print on another printer"));
}

// A connection that did not open, said the same way whether the port was closed, filtered or
// the host is down: the answer must not map the network for whoever registered the printer.
absl::Status NoConnection(const PrinterUri& printer) {
  return Unreachable(printer, "no connection could be opened");
}

// Waits until `fd` is ready for writing or `deadline` passes.
bool WaitWritable(int fd, absl::Time deadline) {
  while (true) {
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) return false;
    pollfd p{fd, POLLOUT, 0};
    const int n = poll(&p, 1, static_cast<int>(ms));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

absl::Status SendOverTcp(const PrinterUri& printer, std::string_view bytes,
                         const SendOptions& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(printer.port);
  if (int rc = getaddrinfo(printer.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return NoConnection(printer);
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  Socket sock(socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                     found->ai_protocol));
  if (sock.fd() < 0) return Unreachable(printer, std::strerror(errno));
  if (connect(sock.fd(), found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
    return NoConnection(printer);
  }
  if (!WaitWritable(sock.fd(), absl::Now() + options.connect_timeout)) {
    return NoConnection(printer);
  }
  int error = 0;
  socklen_t len = sizeof(error);
  getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) return NoConnection(printer);

  const absl::Time deadline = absl::Now() + options.write_timeout;
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(sock.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      if (!WaitWritable(sock.fd(), deadline)) {
        return Unreachable(printer, absl::StrCat("it stopped taking data after ", sent, " of ",
                                                 bytes.size(), " bytes"));
      }
    } else {
      return Unreachable(printer, absl::StrCat("sending failed after ", sent, " bytes: ",
                                               std::strerror(errno)));
    }
  }
  shutdown(sock.fd(), SHUT_WR);
  return absl::OkStatus();
}

}  // namespace lims::labels
