#include "offline_queue.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "output.h"

namespace lims::cli {
namespace {

// An exclusive lock on the queue file, held for the object's life. A rewrite renames a new
// file over the path, so a lock won on the replaced file is let go and taken again.
class QueueLock {
 public:
  explicit QueueLock(const std::string& path) {
    for (;;) {
      fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) {
        throw CliError(kExitOther, "cannot open the offline queue " + path + ": " +
                                       std::strerror(errno));
      }
      struct stat held {}, named {};
      if (fstat(fd_, &held) == 0 && stat(path.c_str(), &named) == 0 &&
          held.st_ino == named.st_ino && held.st_dev == named.st_dev) {
        return;
      }
      close(fd_);
    }
  }
  ~QueueLock() { close(fd_); }
  QueueLock(const QueueLock&) = delete;
  QueueLock& operator=(const QueueLock&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

std::string Line(const QueuedScan& scan) {
  nlohmann::json j = {{"scanned_at", scan.scanned_at},
                      {"code", scan.code},
                      {"request_id", scan.request_id}};
  if (!scan.box_id.empty()) {
    j["box_id"] = scan.box_id;
    j["position"] = scan.position;
  }
  return j.dump() + "\n";
}

void WriteAll(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw CliError(kExitOther, "cannot write " + path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) throw CliError(kExitOther, "cannot flush " + path + ": " + std::strerror(errno));
}

std::vector<QueuedScan> Parse(const std::string& path) {
  std::ifstream in(path);
  std::vector<QueuedScan> scans;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      QueuedScan scan;
      scan.scanned_at = j.at("scanned_at").get<std::string>();
      scan.code = j.at("code").get<std::string>();
      scan.request_id = j.at("request_id").get<std::string>();
      scan.box_id = j.value("box_id", "");
      scan.position = j.value("position", "");
      scans.push_back(std::move(scan));
    } catch (const nlohmann::json::exception& e) {
      throw CliError(kExitUsage, path + " line " + std::to_string(number) +
                                     " is not a queued scan (" + e.what() + "); fix or remove it");
    }
  }
  return scans;
}

}  // namespace

void AppendToQueue(const std::string& path, const QueuedScan& scan) {
  QueueLock lock(path);
  WriteAll(lock.fd(), Line(scan), path);
}

std::vector<QueuedScan> ReadQueue(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) return {};
  QueueLock lock(path);
  return Parse(path);
}

void RewriteQueue(const std::string& path, size_t read_count,
                  const std::vector<QueuedScan>& remaining) {
  QueueLock lock(path);
  std::vector<QueuedScan> now = Parse(path);
  std::string text;
  for (const QueuedScan& scan : remaining) text += Line(scan);
  for (size_t i = read_count; i < now.size(); ++i) text += Line(now[i]);
  const std::string temporary = path + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw CliError(kExitOther, "cannot write " + temporary + ": " + std::strerror(errno));
  try {
    WriteAll(fd, text, temporary);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
  if (rename(temporary.c_str(), path.c_str()) != 0) {
    throw CliError(kExitOther, "cannot replace " + path + ": " + std::strerror(errno));
  }
}

}  // namespace lims::cli
