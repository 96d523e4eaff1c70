#include "lims/core/sample_id.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "lims/core/check_character.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

// A minted-id-shaped text whose check character is right for its own digits.
std::string WithOwnCheck(const std::string& site_year, const std::string& digits) {
  absl::StatusOr<char> check = Mod37_2CheckCharacter(site_year + digits);
  EXPECT_TRUE(check.ok()) << check.status();
  return site_year + "-" + digits + "-" + std::string(1, *check);
}

TEST(ValidateSiteCode, TwoToSixUpperCaseLetters_Ok) {
  EXPECT_OK(ValidateSiteCode("PS"));
  EXPECT_OK(ValidateSiteCode("PSL"));
  EXPECT_OK(ValidateSiteCode("ABCDEF"));
}

TEST(ValidateSiteCode, WrongLengthCaseOrCharacters_InvalidArgument) {
  EXPECT_STATUS(ValidateSiteCode(""), kInvalid, "2 to 6 upper-case letters");
  EXPECT_STATUS_CODE(ValidateSiteCode("P"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSiteCode("ABCDEFG"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSiteCode("psl"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSiteCode("PS1"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSiteCode("PS-L"), kInvalid);
}

TEST(FormatSampleId, DesignDocExample_ReturnsPslId) {
  absl::StatusOr<std::string> id = FormatSampleId({"PSL", 26, 123});
  ASSERT_OK(id);
  EXPECT_EQ(*id, "PSL26-000123-K");
}

TEST(FormatSampleId, SingleDigitYear_ZeroPadded) {
  absl::StatusOr<std::string> id = FormatSampleId({"AB", 5, 1});
  ASSERT_OK(id);
  EXPECT_EQ(id->substr(0, 12), "AB05-000001-");
}

TEST(FormatSampleId, SequenceAboveSixDigits_PrintedInFull) {
  absl::StatusOr<std::string> id = FormatSampleId({"PSL", 26, 1000000});
  ASSERT_OK(id);
  EXPECT_EQ(*id, "PSL26-1000000-T");
  absl::StatusOr<std::string> max = FormatSampleId({"PSL", 26, 999999999});
  ASSERT_OK(max);
  EXPECT_EQ(max->substr(0, 16), "PSL26-999999999-");
}

TEST(FormatSampleId, CheckValue36_EndsWithAsterisk) {
  absl::StatusOr<std::string> id = FormatSampleId({"PSL", 26, 3});
  ASSERT_OK(id);
  EXPECT_EQ(*id, "PSL26-000003-*");
}

TEST(FormatSampleId, BadSite_InvalidArgument) {
  EXPECT_STATUS(FormatSampleId({"psl", 26, 1}), kInvalid, "site code");
}

TEST(FormatSampleId, YearOutOfRange_InvalidArgument) {
  EXPECT_STATUS(FormatSampleId({"PSL", -1, 1}), kInvalid, "year");
  EXPECT_STATUS(FormatSampleId({"PSL", 100, 1}), kInvalid, "year");
  EXPECT_STATUS_CODE(FormatSampleId({"PSL", 2026, 1}), kInvalid);
}

TEST(FormatSampleId, SequenceOutOfRange_InvalidArgument) {
  EXPECT_STATUS(FormatSampleId({"PSL", 26, 0}), kInvalid, "number");
  EXPECT_STATUS_CODE(FormatSampleId({"PSL", 26, -5}), kInvalid);
  EXPECT_STATUS_CODE(FormatSampleId({"PSL", 26, 1000000000}), kInvalid);
}

TEST(LooksLikeMintedId, MintedShapes_True) {
  EXPECT_TRUE(LooksLikeMintedId("PSL26-000123-K"));
  EXPECT_TRUE(LooksLikeMintedId("psl26-000123-k"));
  EXPECT_TRUE(LooksLikeMintedId("PSL26-000123-X"));  // wrong check: still the shape
  EXPECT_TRUE(LooksLikeMintedId("PSL26-000003-*"));
  EXPECT_TRUE(LooksLikeMintedId("AB00-999999999-0"));
  EXPECT_TRUE(LooksLikeMintedId("ABCDEF99-000001-Z"));
}

TEST(LooksLikeMintedId, OtherShapes_False) {
  EXPECT_FALSE(LooksLikeMintedId(""));
  EXPECT_FALSE(LooksLikeMintedId("1234567890"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26000123K"));
  EXPECT_FALSE(LooksLikeMintedId("P26-000123-K"));
  EXPECT_FALSE(LooksLikeMintedId("ABCDEFG26-000123-K"));
  EXPECT_FALSE(LooksLikeMintedId("PSL2-000123-K"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26-00012-K"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26-0001234567-K"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26-000123-KK"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26-000123-"));
  EXPECT_FALSE(LooksLikeMintedId("PSL26-000123-/"));
  EXPECT_FALSE(LooksLikeMintedId(" PSL26-000123-K"));  // callers trim first
}

TEST(ParseSampleId, MintedId_ReturnsParts) {
  absl::StatusOr<SampleId> id = ParseSampleId("PSL26-000123-K");
  ASSERT_OK(id);
  EXPECT_EQ(id->site_code, "PSL");
  EXPECT_EQ(id->year, 26);
  EXPECT_EQ(id->sequence, 123);
}

TEST(ParseSampleId, LowerCaseAndScannerWhitespace_Accepted) {
  absl::StatusOr<SampleId> id = ParseSampleId(" psl26-000123-k\r\n");
  ASSERT_OK(id);
  EXPECT_EQ(id->site_code, "PSL");
  EXPECT_EQ(id->sequence, 123);
}

TEST(ParseSampleId, RoundTrip_SameId) {
  for (const SampleId& original : {SampleId{"PSL", 26, 123}, SampleId{"AB", 0, 1},
                                   SampleId{"ABCDEF", 99, 999999999},
                                   SampleId{"MTP", 7, 1234567}}) {
    absl::StatusOr<std::string> text = FormatSampleId(original);
    ASSERT_OK(text);
    absl::StatusOr<SampleId> parsed = ParseSampleId(*text);
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->site_code, original.site_code);
    EXPECT_EQ(parsed->year, original.year);
    EXPECT_EQ(parsed->sequence, original.sequence);
  }
}

TEST(ParseSampleId, WrongCheckCharacter_InvalidArgumentSayingRescan) {
  EXPECT_STATUS(ParseSampleId("PSL26-000123-X"), kInvalid,
                "check character does not match; the id was mistyped or misread; rescan the "
                "tube");
}

TEST(ParseSampleId, NotAnIdShape_InvalidArgumentShowingFormat) {
  EXPECT_STATUS(ParseSampleId("1234567890"), kInvalid, "PSL26-000123-K");
  EXPECT_STATUS_CODE(ParseSampleId(""), kInvalid);
  EXPECT_STATUS_CODE(ParseSampleId("PSL26000123K"), kInvalid);
}

TEST(ParseSampleId, ExtraLeadingZeros_InvalidArgument) {
  // Its own check character is right, but the LIMS would print PSL26-000123-K.
  EXPECT_STATUS(ParseSampleId(WithOwnCheck("PSL26", "0000123")), kInvalid,
                "extra leading zeros");
  EXPECT_STATUS_CODE(ParseSampleId(WithOwnCheck("PSL26", "000000123")), kInvalid);
}

TEST(ParseSampleId, SequenceZero_InvalidArgument) {
  EXPECT_STATUS(ParseSampleId(WithOwnCheck("PSL26", "000000")), kInvalid, "number 0");
}

TEST(ParseSampleId, EverySingleSubstitution_Refused) {
  const std::string id = "PSL26-000123-K";
  const std::string replacements = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*-";
  for (size_t i = 0; i < id.size(); ++i) {
    for (char c : replacements) {
      if (c == id[i]) continue;
      std::string mutated = id;
      mutated[i] = c;
      EXPECT_STATUS_CODE(ParseSampleId(mutated), kInvalid) << mutated;
    }
  }
}

TEST(ParseSampleId, EveryAdjacentTransposition_Refused) {
  for (int64_t sequence : {1, 123, 102030, 1000000, 918273645}) {
    absl::StatusOr<std::string> id = FormatSampleId({"PSL", 26, sequence});
    ASSERT_OK(id);
    for (size_t i = 0; i + 1 < id->size(); ++i) {
      if ((*id)[i] == (*id)[i + 1]) continue;
      std::string swapped = *id;
      std::swap(swapped[i], swapped[i + 1]);
      EXPECT_STATUS_CODE(ParseSampleId(swapped), kInvalid) << swapped;
    }
  }
}

TEST(ValidatePreprintedBarcode, CryotubeAndVendorCodes_Ok) {
  EXPECT_OK(ValidatePreprintedBarcode("1234567890"));
  EXPECT_OK(ValidatePreprintedBarcode("FR-2024_a.b/7"));
  EXPECT_OK(ValidatePreprintedBarcode("ABCD"));
  EXPECT_OK(ValidatePreprintedBarcode(std::string(64, '7')));
  EXPECT_OK(ValidatePreprintedBarcode("PSL26000123K"));  // no hyphens: not the minted shape
}

TEST(ValidatePreprintedBarcode, Empty_InvalidArgument) {
  EXPECT_STATUS(ValidatePreprintedBarcode(""), kInvalid, "barcode is empty");
}

TEST(ValidatePreprintedBarcode, TooShortOrTooLong_InvalidArgumentGivingLimits) {
  EXPECT_STATUS(ValidatePreprintedBarcode("123"), kInvalid, "4 to 64 characters");
  EXPECT_STATUS(ValidatePreprintedBarcode(std::string(65, '7')), kInvalid,
                "4 to 64 characters");
}

TEST(ValidatePreprintedBarcode, ForbiddenCharacter_InvalidArgumentNamingIt) {
  EXPECT_STATUS(ValidatePreprintedBarcode("12 34"), kInvalid, "a space at position 3");
  EXPECT_STATUS(ValidatePreprintedBarcode("1234*"), kInvalid, "'*' at position 5");
  EXPECT_STATUS(ValidatePreprintedBarcode("12\n34"), kInvalid, "byte 0x0A");
  EXPECT_STATUS_CODE(ValidatePreprintedBarcode("12\xC3\xA9" "34"), kInvalid);
}

TEST(ValidatePreprintedBarcode, MintedShape_InvalidArgumentReserved) {
  EXPECT_STATUS(ValidatePreprintedBarcode("PSL26-000123-K"), kInvalid, "reserved");
  EXPECT_STATUS(ValidatePreprintedBarcode("psl26-000123-x"), kInvalid, "reserved");
}

TEST(CanonicalBarcode, MintedIdAnyCaseWithWhitespace_UpperCased) {
  absl::StatusOr<std::string> code = CanonicalBarcode(" psl26-000123-k\r\n");
  ASSERT_OK(code);
  EXPECT_EQ(*code, "PSL26-000123-K");
}

TEST(CanonicalBarcode, MintedIdWrongCheck_InvalidArgument) {
  EXPECT_STATUS(CanonicalBarcode("PSL26-000123-X\n"), kInvalid, "check character");
}

TEST(CanonicalBarcode, PreprintedCode_TrimmedCasePreserved) {
  absl::StatusOr<std::string> code = CanonicalBarcode("\t1234567890\r\n");
  ASSERT_OK(code);
  EXPECT_EQ(*code, "1234567890");
  absl::StatusOr<std::string> mixed = CanonicalBarcode("AbCd-12");
  ASSERT_OK(mixed);
  EXPECT_EQ(*mixed, "AbCd-12");
}

TEST(ValidatePreprintedBarcode, BoxLabelPrefix_Reserved) {
  EXPECT_STATUS(ValidatePreprintedBarcode("BOX-12"), kInvalid, "box labels");
  EXPECT_STATUS(ValidatePreprintedBarcode("box-0042"), kInvalid, "box labels");
  EXPECT_OK(ValidatePreprintedBarcode("BOXED-12"));
}

TEST(CanonicalBarcode, HugeInput_ShortMessage) {
  // Error messages travel in a gRPC header: a 2 MiB scan must not come back whole.
  const absl::Status status = CanonicalBarcode(std::string(2 << 20, 'A')).status();
  EXPECT_EQ(status.code(), kInvalid);
  EXPECT_LT(status.message().size(), 400u) << status.message().substr(0, 400);
  EXPECT_NE(status.message().find("(2097152 bytes)"), std::string::npos);
}

TEST(CanonicalBarcode, SymbologyIdentifiers_Dropped) {
  EXPECT_EQ(*CanonicalBarcode("]d1PSL26-000123-K\r\n"), "PSL26-000123-K");
  EXPECT_EQ(*CanonicalBarcode("]C0 1234567890"), "1234567890");
  EXPECT_EQ(*CanonicalBarcode("]Q1psl26-000123-k"), "PSL26-000123-K");
  // Only one identifier, only at the front, only of its shape.
  EXPECT_STATUS(CanonicalBarcode("]d1]d11234567890"), kInvalid, "position 1");
  EXPECT_STATUS(CanonicalBarcode("1234]d1567890"), kInvalid, "position 5");
  EXPECT_STATUS(CanonicalBarcode("]1d1234567890"), kInvalid, "position 1");
  // A mistyped id is still refused by its check character behind an identifier.
  EXPECT_STATUS(CanonicalBarcode("]d1PSL26-000123-X"), kInvalid, "check character");
  EXPECT_STATUS(CanonicalBarcode("]d1"), kInvalid, "barcode is empty");
}

TEST(CanonicalBarcode, PreprintedCodesDifferingInCase_StayDifferent) {
  absl::StatusOr<std::string> lower = CanonicalBarcode("abcd1234");
  absl::StatusOr<std::string> upper = CanonicalBarcode("ABCD1234");
  ASSERT_OK(lower);
  ASSERT_OK(upper);
  EXPECT_NE(*lower, *upper);
}

TEST(CanonicalBarcode, EmptyOrBlank_InvalidArgument) {
  EXPECT_STATUS(CanonicalBarcode(""), kInvalid, "barcode is empty");
  EXPECT_STATUS(CanonicalBarcode(" \r\n\t"), kInvalid, "barcode is empty");
}

TEST(CanonicalBarcode, MalformedCode_InvalidArgument) {
  EXPECT_STATUS_CODE(CanonicalBarcode("12"), kInvalid);
  EXPECT_STATUS_CODE(CanonicalBarcode("12 34 56"), kInvalid);
  EXPECT_STATUS_CODE(CanonicalBarcode(WithOwnCheck("PSL26", "0000123")), kInvalid);
}

}  // namespace
}  // namespace lims

namespace lims {
namespace {

// Found by the sample_id fuzzer: a minted id with a lost hyphen or check character must not be
// taken for a pre-printed code (it would register or look up a tube under a misread id).
TEST(ValidatePreprintedBarcode, BrokenMintedIds_AreRefusedAsMisreads) {
  for (const char* broken : {"PSL26-000123-", "PSL26_000123-K", "PSL26-0001230K",
                             "PSL26-000123-K-", "psl26-000123"}) {
    EXPECT_STATUS(ValidatePreprintedBarcode(broken), absl::StatusCode::kInvalidArgument,
                  "misread")
        << broken;
    EXPECT_STATUS(CanonicalBarcode(broken), absl::StatusCode::kInvalidArgument, "misread")
        << broken;
  }
  // Vendor codes that merely contain letters and digits stay valid.
  EXPECT_OK(ValidatePreprintedBarcode("FR12345678"));
  EXPECT_OK(ValidatePreprintedBarcode("AB1-0001"));
}

}  // namespace
}  // namespace lims
