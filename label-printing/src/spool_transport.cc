// A spool directory: each job becomes one file, written under a temporary name and renamed, so
// a program watching the directory never reads half a job.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "transports.h"

namespace lims::labels {
namespace {

// Only letters, digits and '-' from the job name reach the file name.
std::string SafeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out.push_back(ok ? c : '-');
  }
  return out.substr(0, 64);
}

absl::Status SpoolFailed(const PrinterUri& printer, const std::string& what) {
  return absl::UnavailableError(absl::StrCat("printer ", printer.ToString(), " cannot take the job: ",
                                             what, " (", std::strerror(errno),
                                             "); check that the directory exists and is writable"));
}

}  // namespace

absl::Status WriteToSpool(const PrinterUri& printer, std::string_view bytes,
                          std::string_view job_name) {
  const std::string base = absl::StrCat(printer.directory, "/lims-",
                                        absl::ToUnixMicros(absl::Now()), "-", SafeName(job_name));
  const std::string temporary = base + ".tmp";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return SpoolFailed(printer, "cannot create " + temporary);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      unlink(temporary.c_str());
      return SpoolFailed(printer, "cannot write " + temporary);
    }
    written += static_cast<size_t>(n);
  }
  // Durable before it is visible; the descriptor is closed whatever fsync says.
  const bool synced = fsync(fd) == 0;
  const bool closed = close(fd) == 0;
  if (!synced || !closed || rename(temporary.c_str(), (base + ".zpl").c_str()) != 0) {
    const int error = errno;
    unlink(temporary.c_str());
    errno = error;
    return SpoolFailed(printer, "cannot finish " + base + ".zpl");
  }
  return absl::OkStatus();
}

}  // namespace lims::labels
