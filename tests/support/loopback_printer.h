// Test helper standing in for a Zebra printer: a TCP listener on 127.0.0.1 (a port the kernel
// picks) that records every connection's bytes.
#ifndef LIMS_TESTS_SUPPORT_LOOPBACK_PRINTER_H_
#define LIMS_TESTS_SUPPORT_LOOPBACK_PRINTER_H_

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lims::testing {

class LoopbackPrinter {
 public:
  // `read` false: accept connections but never read (a printer that stopped taking data).
  explicit LoopbackPrinter(bool read = true);
  ~LoopbackPrinter();
  LoopbackPrinter(const LoopbackPrinter&) = delete;
  LoopbackPrinter& operator=(const LoopbackPrinter&) = delete;

  int port() const { return port_; }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  // The bytes of each finished connection, in order; waits up to 5 s for `count` of them.
  std::vector<std::string> Jobs(size_t count = 0);

 private:
  void Serve();

  bool read_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> jobs_;
  std::vector<int> idle_fds_;
  std::thread thread_;
};

// A loopback port with nothing listening (bound, then closed).
int ClosedLoopbackPort();

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_LOOPBACK_PRINTER_H_
