#include "lims/core/check_character.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "lims/core/sample_id.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

// Payload + check character of a minted id, hyphens removed ("PSL26000123K").
std::string CompactMintedId(const std::string& site, int year, int64_t sequence) {
  absl::StatusOr<std::string> id = FormatSampleId({site, year, sequence});
  EXPECT_TRUE(id.ok()) << id.status();
  std::string compact;
  for (char c : *id) {
    if (c != '-') compact += c;
  }
  return compact;
}

TEST(Mod37_2CheckCharacter, IsbtWorkedExample_ReturnsH) {
  absl::StatusOr<char> check = Mod37_2CheckCharacter("G123498654321");
  ASSERT_OK(check);
  EXPECT_EQ(*check, 'H');
}

TEST(Mod37_2CheckCharacter, DesignDocExample_ReturnsK) {
  absl::StatusOr<char> check = Mod37_2CheckCharacter("PSL26000123");
  ASSERT_OK(check);
  EXPECT_EQ(*check, 'K');
}

TEST(Mod37_2CheckCharacter, CheckValue36_ReturnsAsterisk) {
  absl::StatusOr<char> check = Mod37_2CheckCharacter("PSL26000003");
  ASSERT_OK(check);
  EXPECT_EQ(*check, '*');
}

TEST(Mod37_2CheckCharacter, Empty_InvalidArgument) {
  EXPECT_STATUS_CODE(Mod37_2CheckCharacter(""), absl::StatusCode::kInvalidArgument);
}

TEST(Mod37_2CheckCharacter, LowerCase_InvalidArgumentNamingPosition) {
  EXPECT_STATUS(Mod37_2CheckCharacter("PSl26"), absl::StatusCode::kInvalidArgument,
                "'l' at position 3");
}

TEST(Mod37_2CheckCharacter, HyphenOrAsterisk_InvalidArgument) {
  EXPECT_STATUS_CODE(Mod37_2CheckCharacter("PSL26-000123"),
                     absl::StatusCode::kInvalidArgument);
  EXPECT_STATUS_CODE(Mod37_2CheckCharacter("PSL*"), absl::StatusCode::kInvalidArgument);
}

TEST(Mod37_2IsValid, CorrectCheck_True) {
  EXPECT_TRUE(Mod37_2IsValid("G123498654321H"));
  EXPECT_TRUE(Mod37_2IsValid("PSL26000123K"));
  EXPECT_TRUE(Mod37_2IsValid("PSL26000003*"));
}

TEST(Mod37_2IsValid, WrongCheck_False) {
  EXPECT_FALSE(Mod37_2IsValid("G123498654321G"));
  EXPECT_FALSE(Mod37_2IsValid("PSL26000123k"));
}

TEST(Mod37_2IsValid, TooShortOrBadPayload_False) {
  EXPECT_FALSE(Mod37_2IsValid(""));
  EXPECT_FALSE(Mod37_2IsValid("K"));
  EXPECT_FALSE(Mod37_2IsValid("ps0"));
}

TEST(Mod37_2IsValid, EverySingleSubstitution_Detected) {
  for (const auto& [site, year] : {std::pair<std::string, int>{"PSL", 26},
                                   {"AB", 0}, {"MTPLYO", 99}}) {
    for (int64_t sequence : {1, 123, 4567, 999999, 1000000, 987654321}) {
      const std::string id = CompactMintedId(site, year, sequence);
      ASSERT_TRUE(Mod37_2IsValid(id)) << id;
      for (size_t i = 0; i < id.size(); ++i) {
        for (const char* c = kAlphabet; *c != '\0'; ++c) {
          if (*c == id[i]) continue;
          std::string mutated = id;
          mutated[i] = *c;
          EXPECT_FALSE(Mod37_2IsValid(mutated)) << id << " -> " << mutated;
        }
      }
    }
  }
}

TEST(Mod37_2IsValid, EveryAdjacentTransposition_Detected) {
  for (const auto& [site, year] : {std::pair<std::string, int>{"PSL", 26},
                                   {"AB", 0}, {"MTPLYO", 99}}) {
    for (int64_t sequence = 1; sequence <= 3000; sequence += 7) {
      const std::string id = CompactMintedId(site, year, sequence);
      for (size_t i = 0; i + 1 < id.size(); ++i) {
        if (id[i] == id[i + 1]) continue;  // swapping equal characters changes nothing
        std::string swapped = id;
        std::swap(swapped[i], swapped[i + 1]);
        EXPECT_FALSE(Mod37_2IsValid(swapped)) << id << " -> " << swapped;
      }
    }
  }
}

}  // namespace
}  // namespace lims
