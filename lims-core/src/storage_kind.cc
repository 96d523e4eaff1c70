#include "lims/core/storage_kind.h"

#include <vector>

#include "absl/strings/str_format.h"

namespace lims {
namespace {

using K = StorageKind;

// The kinds a unit of `child` kind may sit in; empty for a site (top of the tree).
std::vector<StorageKind> AllowedParents(StorageKind child) {
  switch (child) {
    case K::kSite: return {};
    case K::kRoom: return {K::kSite};
    case K::kFreezer: return {K::kSite, K::kRoom};
    case K::kShelf:
    case K::kRack:
    case K::kTower:
    case K::kCanister:
      return {K::kFreezer, K::kShelf, K::kRack, K::kTower};
    case K::kCassette:
    case K::kBin:
      return {K::kFreezer, K::kShelf, K::kRack, K::kTower, K::kCanister};
    case K::kBox:
      return {K::kFreezer, K::kShelf, K::kRack, K::kTower, K::kCanister, K::kCassette, K::kBin};
  }
  return {};
}

// "a Freezer, Shelf, Rack or Tower"
std::string DescribeKinds(const std::vector<StorageKind>& kinds) {
  std::string out = "a ";
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) out += (i + 1 == kinds.size()) ? " or " : ", ";
    out.append(KindLabel(kinds[i]));
  }
  return out;
}

}  // namespace

std::string_view KindLabel(StorageKind kind) {
  switch (kind) {
    case K::kSite: return "Site";
    case K::kRoom: return "Room";
    case K::kFreezer: return "Freezer";
    case K::kShelf: return "Shelf";
    case K::kRack: return "Rack";
    case K::kTower: return "Tower";
    case K::kBox: return "Box";
    case K::kCanister:
      return "Canister";
    case K::kCassette:
      return "Cassette";
    case K::kBin:
      return "Bin";
  }
  return "Unit";
}

absl::Status CheckParent(std::optional<StorageKind> parent, StorageKind child) {
  const std::vector<StorageKind> allowed = AllowedParents(child);
  if (!parent.has_value()) {
    if (allowed.empty()) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrFormat(
        "a %s must be inside %s; choose where it goes", KindLabel(child),
        DescribeKinds(allowed)));
  }
  if (allowed.empty()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "a %s is the top of the storage tree and cannot be put inside a %s", KindLabel(child),
        KindLabel(*parent)));
  }
  if (*parent == K::kBox) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "a Box holds only samples, not a %s; put the %s inside %s", KindLabel(child),
        KindLabel(child), DescribeKinds(allowed)));
  }
  for (StorageKind kind : allowed) {
    if (kind == *parent) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrFormat(
      "a %s cannot be put inside a %s; put it inside %s", KindLabel(child), KindLabel(*parent),
      DescribeKinds(allowed)));
}

bool HoldsWithoutGrid(StorageKind kind) {
  return kind == K::kCanister || kind == K::kCassette || kind == K::kBin;
}

std::string JoinPath(std::string_view parent_path, StorageKind kind, std::string_view name) {
  const std::string own = absl::StrFormat("%s %s", KindLabel(kind), name);
  if (parent_path.empty()) return own;
  return absl::StrFormat("%s / %s", parent_path, own);
}

bool HoldsTemperature(StorageKind kind) {
  return kind == StorageKind::kFreezer || kind == StorageKind::kRoom;
}

}  // namespace lims
