#include "lims/core/isbt128.h"

#include <gtest/gtest.h>

#include "lims/core/check_character.h"

namespace lims {
namespace {

TEST(Isbt128Test, IccbbasWorkedExample_G123498654321_HasCheckCharacterH) {
  const auto din = ParseDin("G123498654321");
  ASSERT_TRUE(din.ok()) << din.status();
  EXPECT_EQ(din->check, 'H');
  EXPECT_EQ(din->Printed(), "G1234 98 654321 H");
}

TEST(Isbt128Test, PrintedTypedAndScanned_AreTheSameDin) {
  for (const char* text : {"G1234 98 654321 H", "g123498654321h", "  G1234 98 654321 00 H\n",
                           "=G12349865432100", "=G123498654321", "G123498654321"}) {
    const auto din = ParseDin(text);
    ASSERT_TRUE(din.ok()) << text << ": " << din.status();
    EXPECT_EQ(din->code, "G123498654321") << text;
    EXPECT_EQ(din->check, 'H') << text;
  }
  EXPECT_EQ(ParseDin("=G12349865432100")->flags, "00");
  EXPECT_EQ(ParseDin("G1234 98 654321 07 H")->flags, "07");
}

TEST(Isbt128Test, AStarIsACheckCharacterLikeAnyOther) {
  // Find a DIN whose check character is '*' and type it with the star.
  for (int n = 0; n < 1000; ++n) {
    const std::string code =
        "W0000"
        "26" +
        std::string(6 - std::to_string(n).size(), '0') + std::to_string(n);
    if (*Mod37_2CheckCharacter(code) != '*') continue;
    const auto din = ParseDin(code + " *");
    ASSERT_TRUE(din.ok()) << din.status();
    EXPECT_EQ(din->check, '*');
    return;
  }
  FAIL() << "no DIN with '*' among the first thousand";
}

TEST(Isbt128Test, AMistypedDin_IsRefusedByItsCheckCharacter) {
  const auto wrong = ParseDin("G1234 98 654321 J");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("mistyped"), std::string::npos);
  // Every single substitution and adjacent swap of the typed DIN is caught.
  const std::string typed = "G123498654321H";
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (size_t i = 0; i + 1 < typed.size(); ++i) {
    for (char c : alphabet) {
      if (c == typed[i]) continue;
      std::string mistyped = typed;
      mistyped[i] = c;
      EXPECT_FALSE(ParseDin(mistyped).ok()) << mistyped;
    }
    std::string swapped = typed;
    std::swap(swapped[i], swapped[i + 1]);
    if (swapped != typed) EXPECT_FALSE(ParseDin(swapped).ok()) << swapped;
  }
}

TEST(Isbt128Test, BadShapes_AreRefusedWithWhatADinLooksLike) {
  for (const char* text : {"", "=", "G12349865432", "1123498654321", "G12A498654321",
                           "GG23498654321", "G123498654321 00", "G123498654321 XYZW",
                           "=G1234986543210", "=G123498654321!!", "=<E0713V00", "PSL26-000001-X"}) {
    const auto din = ParseDin(text);
    ASSERT_FALSE(din.ok()) << text;
    EXPECT_EQ(din.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_NE(ParseDin("G12349865432").status().message().find("e.g. G1234 98 654321"),
            std::string::npos);
}

TEST(Isbt128Test, ProductCodes_AsGivenOrScanned) {
  EXPECT_EQ(*ParseProductCode("E0713V00"), "E0713V00");
  EXPECT_EQ(*ParseProductCode("=<e0713v00"), "E0713V00");
  EXPECT_EQ(*ParseProductCode(" S1234 0A0 "), "S12340A0");
  for (const char* bad : {"", "E0713V0", "E0713V000", "00713V00", "EA713V00", "E0713V-0", "=<"}) {
    EXPECT_FALSE(ParseProductCode(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace lims
