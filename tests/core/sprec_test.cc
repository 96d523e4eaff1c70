#include "lims/core/sprec.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

TEST(ParseSprec, FullCode_RoundTrips) {
  absl::StatusOr<SprecCode> code = ParseSprec("SER-SST-A-D-N-A-B");
  ASSERT_OK(code);
  EXPECT_EQ(code->sample_type, "SER");
  EXPECT_EQ(code->container, "SST");
  EXPECT_EQ(code->pre_centrifugation, 'A');
  EXPECT_EQ(code->centrifugation, 'D');
  EXPECT_EQ(code->second_centrifugation, 'N');
  EXPECT_EQ(code->post_centrifugation, 'A');
  EXPECT_EQ(code->long_term_storage, 'B');
  EXPECT_EQ(code->ToString(), "SER-SST-A-D-N-A-B");
}

TEST(ParseSprec, TypedLowerCaseWithBlanks_Canonicalised) {
  absl::StatusOr<SprecCode> code = ParseSprec("  pl1-ped-c-x-x-x-x\r\n");
  ASSERT_OK(code);
  EXPECT_EQ(code->ToString(), "PL1-PED-C-X-X-X-X");
}

TEST(ParseSprec, WrongElementCount_SaysHowMany) {
  EXPECT_STATUS(ParseSprec("SER-SST-A"), kInvalid, "has 3 elements");
  EXPECT_STATUS(ParseSprec("SER-SST-A-D-N-A-B-C"), kInvalid, "has 8 elements");
  EXPECT_STATUS(ParseSprec(""), kInvalid, "seven elements");
}

TEST(ParseSprec, HugeInput_RefusedBeforeSplitting) {
  EXPECT_STATUS(ParseSprec(std::string(1 << 20, '-')), kInvalid, "far too long");
}

TEST(ParseSprec, BadType_Refused) {
  EXPECT_STATUS(ParseSprec("SERUM-SST-A-D-N-A-B"), kInvalid, "not a sample type code");
}

TEST(ParseSprec, UnknownContainer_NamesTheList) {
  EXPECT_STATUS(ParseSprec("SER-ABC-A-D-N-A-B"), kInvalid, "primary container \"ABC\"");
  EXPECT_STATUS(ParseSprec("SER-ABC-A-D-N-A-B"), kInvalid, "SST");
}

TEST(ParseSprec, ProcessingElementOutOfRange_NamesTheElement) {
  EXPECT_STATUS(ParseSprec("SER-SST-Q-D-N-A-B"), kInvalid, "pre-centrifugation element");
  EXPECT_STATUS(ParseSprec("SER-SST-A-DD-N-A-B"), kInvalid, "as its centrifugation element");
  EXPECT_STATUS(ParseSprec("SER-SST-A-D-1-A-B"), kInvalid, "second centrifugation");
  EXPECT_STATUS(ParseSprec("SER-SST-A-D-N--B"), kInvalid, "post-centrifugation");
  EXPECT_STATUS(ParseSprec("SER-SST-A-D-N-A-7"), kInvalid, "long-term storage");
}

TEST(ParseSprec, UnknownAndOther_Accepted) {
  EXPECT_OK(ParseSprec("SER-XXX-X-X-X-X-X"));
  EXPECT_OK(ParseSprec("SER-ZZZ-Z-Z-Z-Z-Z"));
}

TEST(ParseSprecFor, TypeMismatch_SaysWhichTypeIsExpected) {
  EXPECT_OK(ParseSprecFor("SER-SST-A-D-N-A-B", "SER"));
  EXPECT_STATUS(ParseSprecFor("PL1-PED-A-D-N-A-B", "SER"), kInvalid,
                "first element must be SER");
}

TEST(UnknownSprec, OnlyTypeKnown) { EXPECT_EQ(UnknownSprec("BLD").ToString(), "BLD-XXX-X-X-X-X-X"); }

TEST(DerivedSprec, KeepsHistoryChangesType) {
  SprecCode parent = *ParseSprec("BLD-PED-C-X-X-X-X");
  EXPECT_EQ(DerivedSprec(parent, "PL1").ToString(), "PL1-PED-C-X-X-X-X");
}

TEST(PreCentrifugationElement, EachDelayClass_RoomAndRefrigerated) {
  struct Case {
    absl::Duration delay;
    char room, cold;
  };
  const Case cases[] = {
      {absl::ZeroDuration(), 'A', 'B'},
      {absl::Hours(2) - absl::Seconds(1), 'A', 'B'},
      {absl::Hours(2), 'C', 'D'},  // a limit belongs to the longer class
      {absl::Hours(3), 'C', 'D'},
      {absl::Hours(4), 'E', 'F'},
      {absl::Hours(8), 'G', 'H'},
      {absl::Hours(12), 'I', 'J'},
      {absl::Hours(24) - absl::Minutes(1), 'I', 'J'},
      {absl::Hours(24), 'K', 'L'},
      {absl::Hours(48), 'M', 'N'},
      {absl::Hours(24 * 30), 'M', 'N'},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::FormatDuration(c.delay));
    EXPECT_EQ(*PreCentrifugationElement(c.delay, HoldingTemperature::kRoom), c.room);
    EXPECT_EQ(*PreCentrifugationElement(c.delay, HoldingTemperature::kRefrigerated), c.cold);
  }
}

TEST(PreCentrifugationElement, NegativeDelay_Refused) {
  EXPECT_STATUS(PreCentrifugationElement(-absl::Minutes(10), HoldingTemperature::kRoom), kInvalid,
                "before the tube was collected");
}

TEST(DescribePreCentrifugation, Letters) {
  EXPECT_EQ(DescribePreCentrifugation('A'), "RT, < 2 h");
  EXPECT_EQ(DescribePreCentrifugation('D'), "2–10 °C, 2–4 h");
  EXPECT_EQ(DescribePreCentrifugation('N'), "2–10 °C, > 48 h");
  EXPECT_EQ(DescribePreCentrifugation('X'), "unknown");
  EXPECT_EQ(DescribePreCentrifugation('Q'), "");
}

}  // namespace
}  // namespace lims
