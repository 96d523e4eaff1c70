#include "signing_key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "owner_only_file.h"

namespace lims::services {
namespace {

absl::Status Failed(const std::string& what, const std::string& path, int error) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " the signing key file ", path, ": ", std::strerror(error)));
}

absl::StatusOr<SigningKey> ReadKey(const std::string& path, int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return Failed("read", path, errno);
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the signing key file ", path, " may be read or written by others (mode ",
        absl::StrFormat("%03o", st.st_mode & 0777), "); chmod 600 it, and make a new key if "
        "others may have read it"));
  }
  char text[256];
  const ssize_t n = read(fd, text, sizeof text);
  if (n < 0) return Failed("read", path, errno);
  auto key = SigningKey::FromSeedHex(std::string_view(text, static_cast<size_t>(n)));
  std::memset(text, 0, sizeof text);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(key.status().message(), ": ", path));
  }
  return key;
}

}  // namespace

absl::StatusOr<LoadedSigningKey> LoadOrCreateSigningKey(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    auto key = ReadKey(path, fd);
    close(fd);
    if (!key.ok()) return key.status();
    return LoadedSigningKey{*std::move(key), false};
  }
  if (errno != ENOENT) return Failed("read", path, errno);
  // Never replacing: two processes starting at once do not each write their own key.
  SigningKey key = SigningKey::Generate();
  const absl::Status written =
      WriteOwnerOnlyFile(path, key.SeedHex() + "\n", /*replace=*/false, "signing key file");
  if (absl::IsAlreadyExists(written)) {
    usleep(200'000);  // another process is writing it
    return LoadOrCreateSigningKey(path);
  }
  if (!written.ok()) return written;
  return LoadedSigningKey{std::move(key), true};
}

}  // namespace lims::services
