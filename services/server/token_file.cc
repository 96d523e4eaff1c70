#include "token_file.h"

#include "owner_only_file.h"

namespace lims::services {

absl::Status WriteTokenFile(const std::string& path, const std::string& token) {
  return WriteOwnerOnlyFile(path, token + "\n", /*replace=*/true, "admin token file");
}

}  // namespace lims::services
