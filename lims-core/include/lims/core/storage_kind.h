// The storage tree: site → room → freezer → shelf/rack/tower → box → position; in LN2 tanks
// also canisters, cassettes and bins, containers without a grid that hold bags and boxes.
#ifndef LIMS_CORE_STORAGE_KIND_H_
#define LIMS_CORE_STORAGE_KIND_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace lims {

enum class StorageKind {
  kSite,
  kRoom,
  kFreezer,
  kShelf,
  kRack,
  kTower,
  kBox,
  kCanister,
  kCassette,
  kBin,
};

// "Site", "Room", "Freezer", "Shelf", "Rack", "Tower", "Box", "Canister", "Cassette", "Bin".
std::string_view KindLabel(StorageKind kind);

// Whether a `child` may be put inside `parent` (nullopt: at the top of the tree). A site has no
// parent; a room goes in a site; a freezer in a site or room; a shelf, rack or tower in a
// freezer, shelf, rack or tower; a canister in a freezer, shelf, rack or tower; a cassette or
// bin there or in a canister; a box in any of them; a box holds only samples. FailedPrecondition
// otherwise.
absl::Status CheckParent(std::optional<StorageKind> parent, StorageKind child);

// Canisters, cassettes and bins: no grid; they hold product bags and boxes, loose or in
// numbered slots (their `columns`; 0: no slots).
bool HoldsWithoutGrid(StorageKind kind);

// Freezers (LN2 tanks and fridges are freezers here) and rooms hold a temperature: a set point,
// alarm thresholds and a monitoring probe.
bool HoldsTemperature(StorageKind kind);

// "Site PSL / Room 1": the parent's path, then "<Kind> <name>" ("Site PSL" when no parent).
std::string JoinPath(std::string_view parent_path, StorageKind kind, std::string_view name);

}  // namespace lims

#endif  // LIMS_CORE_STORAGE_KIND_H_
