#include "token_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace lims::services {

absl::Status WriteTokenFile(const std::string& path, const std::string& token) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the admin token file ", path, ": ", std::strerror(errno)));
  }
  // A file that existed keeps its mode on open(): tighten it before writing the secret.
  const std::string line = token + "\n";
  const bool ok = fchmod(fd, 0600) == 0 &&
                  write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                  fsync(fd) == 0;
  const int saved = errno;
  close(fd);
  if (!ok) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the admin token file ", path, ": ", std::strerror(saved)));
  }
  return absl::OkStatus();
}

}  // namespace lims::services
