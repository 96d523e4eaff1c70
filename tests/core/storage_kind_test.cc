#include "lims/core/storage_kind.h"

#include <optional>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

using K = StorageKind;
constexpr absl::StatusCode kRefused = absl::StatusCode::kFailedPrecondition;

constexpr K kAllKinds[] = {K::kSite, K::kRoom, K::kFreezer, K::kShelf,
                           K::kRack, K::kTower, K::kBox};

bool Allowed(std::optional<K> parent, K child) {
  switch (child) {
    case K::kSite: return !parent.has_value();
    case K::kRoom: return parent == K::kSite;
    case K::kFreezer: return parent == K::kSite || parent == K::kRoom;
    case K::kShelf:
    case K::kRack:
    case K::kTower:
    case K::kBox:
      return parent == K::kFreezer || parent == K::kShelf || parent == K::kRack ||
             parent == K::kTower;
  }
  return false;
}

TEST(KindLabel, AllKinds_CapitalisedLabels) {
  EXPECT_EQ(KindLabel(K::kSite), "Site");
  EXPECT_EQ(KindLabel(K::kRoom), "Room");
  EXPECT_EQ(KindLabel(K::kFreezer), "Freezer");
  EXPECT_EQ(KindLabel(K::kShelf), "Shelf");
  EXPECT_EQ(KindLabel(K::kRack), "Rack");
  EXPECT_EQ(KindLabel(K::kTower), "Tower");
  EXPECT_EQ(KindLabel(K::kBox), "Box");
}

TEST(CheckParent, EveryParentChildPair_MatchesStorageTree) {
  for (K child : kAllKinds) {
    std::optional<K> no_parent;
    if (Allowed(no_parent, child)) {
      EXPECT_OK(CheckParent(no_parent, child)) << KindLabel(child);
    } else {
      EXPECT_STATUS_CODE(CheckParent(no_parent, child), kRefused) << KindLabel(child);
    }
    for (K parent : kAllKinds) {
      if (Allowed(parent, child)) {
        EXPECT_OK(CheckParent(parent, child)) << KindLabel(parent) << " > " << KindLabel(child);
      } else {
        EXPECT_STATUS_CODE(CheckParent(parent, child), kRefused)
            << KindLabel(parent) << " > " << KindLabel(child);
      }
    }
  }
}

TEST(CheckParent, SiteWithParent_FailedPreconditionTopOfTree) {
  EXPECT_STATUS(CheckParent(K::kRoom, K::kSite), kRefused, "top of the storage tree");
}

TEST(CheckParent, FreezerWithoutParent_FailedPreconditionNamingParents) {
  EXPECT_STATUS(CheckParent(std::nullopt, K::kFreezer), kRefused,
                "a Freezer must be inside a Site or Room");
}

TEST(CheckParent, AnythingInBox_FailedPreconditionBoxHoldsSamples) {
  EXPECT_STATUS(CheckParent(K::kBox, K::kBox), kRefused, "a Box holds only samples");
  EXPECT_STATUS(CheckParent(K::kBox, K::kRack), kRefused,
                "put the Rack inside a Freezer, Shelf, Rack or Tower");
}

TEST(CheckParent, BoxDirectlyInRoom_FailedPrecondition) {
  EXPECT_STATUS(CheckParent(K::kRoom, K::kBox), kRefused,
                "a Box cannot be put inside a Room");
}

TEST(JoinPath, NoParent_KindAndName) {
  EXPECT_EQ(JoinPath("", K::kSite, "PSL"), "Site PSL");
}

TEST(JoinPath, WithParent_SlashSeparated) {
  std::string path = JoinPath("", K::kSite, "PSL");
  path = JoinPath(path, K::kRoom, "1");
  EXPECT_EQ(path, "Site PSL / Room 1");
  path = JoinPath(path, K::kFreezer, "F-01");
  path = JoinPath(path, K::kBox, "B-0042");
  EXPECT_EQ(path, "Site PSL / Room 1 / Freezer F-01 / Box B-0042");
}

}  // namespace
}  // namespace lims
