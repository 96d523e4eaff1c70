#include "owner_only_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace lims::services {

absl::Status WriteOwnerOnlyFile(const std::string& path, const std::string& content, bool replace,
                                const std::string& what) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (replace ? O_TRUNC : O_EXCL);
  const int fd = open(path.c_str(), flags, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError(absl::StrCat(what, " ", path, " exists"));
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the ", what, " ", path, ": ", std::strerror(errno)));
  }
  // A file that existed keeps its mode on open(): tighten it before writing the secret.
  const bool ok = fchmod(fd, 0600) == 0 &&
                  write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
                  fsync(fd) == 0;
  const int saved = errno;
  close(fd);
  if (!ok) {
    if (!replace) unlink(path.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the ", what, " ", path, ": ", std::strerror(saved)));
  }
  return absl::OkStatus();
}

}  // namespace lims::services
