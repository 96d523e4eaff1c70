#include "lims/core/sample_lifecycle.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

using S = SampleStatus;
using E = SampleEvent;
constexpr absl::StatusCode kRefused = absl::StatusCode::kFailedPrecondition;

constexpr S kAllStatuses[] = {S::kCollected, S::kReceived, S::kInProcessing,
                              S::kStored,    S::kCheckedOut, S::kShipped,
                              S::kConsumed,  S::kDisposed,   S::kMissing};
constexpr E kAllEvents[] = {E::kReceive, E::kStartProcessing, E::kStore, E::kCheckOut,
                            E::kReturn,  E::kShip,            E::kConsume, E::kDispose,
                            E::kMarkMissing, E::kClearMissing};

// The lifecycle as written in the design, independently of the implementation's table.
const std::map<std::pair<S, E>, S>& Allowed() {
  static const auto* allowed = new std::map<std::pair<S, E>, S>{
      {{S::kCollected, E::kReceive}, S::kReceived},
      {{S::kShipped, E::kReceive}, S::kReceived},
      {{S::kCollected, E::kStartProcessing}, S::kInProcessing},
      {{S::kReceived, E::kStartProcessing}, S::kInProcessing},
      {{S::kCollected, E::kStore}, S::kStored},
      {{S::kReceived, E::kStore}, S::kStored},
      {{S::kInProcessing, E::kStore}, S::kStored},
      {{S::kStored, E::kCheckOut}, S::kCheckedOut},
      {{S::kCheckedOut, E::kReturn}, S::kStored},
      {{S::kStored, E::kShip}, S::kShipped},
      {{S::kCheckedOut, E::kShip}, S::kShipped},
      {{S::kCollected, E::kConsume}, S::kConsumed},
      {{S::kReceived, E::kConsume}, S::kConsumed},
      {{S::kInProcessing, E::kConsume}, S::kConsumed},
      {{S::kCheckedOut, E::kConsume}, S::kConsumed},
      {{S::kCollected, E::kDispose}, S::kDisposed},
      {{S::kReceived, E::kDispose}, S::kDisposed},
      {{S::kInProcessing, E::kDispose}, S::kDisposed},
      {{S::kStored, E::kDispose}, S::kDisposed},
      {{S::kCheckedOut, E::kDispose}, S::kDisposed},
      {{S::kShipped, E::kDispose}, S::kDisposed},
      {{S::kMissing, E::kDispose}, S::kDisposed},
      {{S::kStored, E::kMarkMissing}, S::kMissing},
      {{S::kCheckedOut, E::kMarkMissing}, S::kMissing},
      {{S::kShipped, E::kMarkMissing}, S::kMissing},
      {{S::kMissing, E::kClearMissing}, S::kStored},
  };
  return *allowed;
}

TEST(ApplyEvent, EveryStatusAndEvent_MatchesDesignedLifecycle) {
  int allowed_count = 0;
  for (S from : kAllStatuses) {
    for (E event : kAllEvents) {
      const auto expected = Allowed().find({from, event});
      absl::StatusOr<S> to = ApplyEvent(from, event);
      if (expected != Allowed().end()) {
        ++allowed_count;
        ASSERT_OK(to) << StatusName(from) << " + " << EventName(event);
        EXPECT_EQ(*to, expected->second) << StatusName(from) << " + " << EventName(event);
      } else {
        EXPECT_STATUS_CODE(to, kRefused) << StatusName(from) << " + " << EventName(event);
      }
    }
  }
  EXPECT_EQ(allowed_count, 26);
}

TEST(ApplyEvent, StoreShipped_FailedPreconditionExplainingAllowedStates) {
  EXPECT_STATUS(ApplyEvent(S::kShipped, E::kStore), kRefused,
                "cannot store a sample that is SHIPPED; 'store' applies only to a sample that "
                "is COLLECTED, RECEIVED or IN_PROCESSING");
}

TEST(ApplyEvent, StoredCheckOutReturn_RoundTrip) {
  absl::StatusOr<S> out = ApplyEvent(S::kStored, E::kCheckOut);
  ASSERT_OK(out);
  EXPECT_EQ(*out, S::kCheckedOut);
  absl::StatusOr<S> back = ApplyEvent(*out, E::kReturn);
  ASSERT_OK(back);
  EXPECT_EQ(*back, S::kStored);
}

TEST(ApplyEvent, ShippedThenReceivedAtDestination_Received) {
  absl::StatusOr<S> to = ApplyEvent(S::kShipped, E::kReceive);
  ASSERT_OK(to);
  EXPECT_EQ(*to, S::kReceived);
}

TEST(ApplyEvent, MissingClearedByAudit_Stored) {
  absl::StatusOr<S> to = ApplyEvent(S::kMissing, E::kClearMissing);
  ASSERT_OK(to);
  EXPECT_EQ(*to, S::kStored);
}

TEST(ApplyEvent, AnythingOnTerminalStatus_FailedPreconditionSayingFinal) {
  for (S terminal : {S::kConsumed, S::kDisposed}) {
    for (E event : kAllEvents) {
      EXPECT_STATUS(ApplyEvent(terminal, event), kRefused, "is final");
    }
  }
}

TEST(ApplyEvent, ConsumeStored_FailedPrecondition) {
  EXPECT_STATUS(ApplyEvent(S::kStored, E::kConsume), kRefused,
                "cannot consume a sample that is STORED");
}

TEST(ApplyEvent, CheckOutCheckedOut_FailedPrecondition) {
  EXPECT_STATUS(ApplyEvent(S::kCheckedOut, E::kCheckOut), kRefused,
                "'check_out' applies only to a sample that is STORED");
}

TEST(ApplyEvent, MarkMissingCollected_FailedPrecondition) {
  EXPECT_STATUS(ApplyEvent(S::kCollected, E::kMarkMissing), kRefused,
                "STORED, CHECKED_OUT or SHIPPED");
}

TEST(StatusName, AllStatuses_UpperSnakeNames) {
  EXPECT_EQ(StatusName(S::kCollected), "COLLECTED");
  EXPECT_EQ(StatusName(S::kReceived), "RECEIVED");
  EXPECT_EQ(StatusName(S::kInProcessing), "IN_PROCESSING");
  EXPECT_EQ(StatusName(S::kStored), "STORED");
  EXPECT_EQ(StatusName(S::kCheckedOut), "CHECKED_OUT");
  EXPECT_EQ(StatusName(S::kShipped), "SHIPPED");
  EXPECT_EQ(StatusName(S::kConsumed), "CONSUMED");
  EXPECT_EQ(StatusName(S::kDisposed), "DISPOSED");
  EXPECT_EQ(StatusName(S::kMissing), "MISSING");
}

TEST(ParseStatusName, EveryName_RoundTrips) {
  for (S status : kAllStatuses) {
    absl::StatusOr<S> parsed = ParseStatusName(StatusName(status));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, status);
  }
}

TEST(ParseStatusName, LowerCase_Accepted) {
  absl::StatusOr<S> parsed = ParseStatusName("checked_out");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, S::kCheckedOut);
}

TEST(ParseStatusName, Unknown_InvalidArgumentListingNames) {
  EXPECT_STATUS(ParseStatusName("FROZEN"), absl::StatusCode::kInvalidArgument,
                "COLLECTED, RECEIVED, IN_PROCESSING");
  EXPECT_STATUS_CODE(ParseStatusName(""), absl::StatusCode::kInvalidArgument);
  EXPECT_STATUS_CODE(ParseStatusName("CHECKED OUT"), absl::StatusCode::kInvalidArgument);
}

TEST(EventName, AllEvents_SnakeCaseNames) {
  EXPECT_EQ(EventName(E::kReceive), "receive");
  EXPECT_EQ(EventName(E::kStartProcessing), "start_processing");
  EXPECT_EQ(EventName(E::kStore), "store");
  EXPECT_EQ(EventName(E::kCheckOut), "check_out");
  EXPECT_EQ(EventName(E::kReturn), "return");
  EXPECT_EQ(EventName(E::kShip), "ship");
  EXPECT_EQ(EventName(E::kConsume), "consume");
  EXPECT_EQ(EventName(E::kDispose), "dispose");
  EXPECT_EQ(EventName(E::kMarkMissing), "mark_missing");
  EXPECT_EQ(EventName(E::kClearMissing), "clear_missing");
}

TEST(HoldsMaterial, BenchStatuses_True) {
  EXPECT_TRUE(HoldsMaterial(S::kCollected));
  EXPECT_TRUE(HoldsMaterial(S::kReceived));
  EXPECT_TRUE(HoldsMaterial(S::kInProcessing));
  EXPECT_TRUE(HoldsMaterial(S::kCheckedOut));
}

TEST(HoldsMaterial, StoredAwayOrGone_False) {
  EXPECT_FALSE(HoldsMaterial(S::kStored));
  EXPECT_FALSE(HoldsMaterial(S::kShipped));
  EXPECT_FALSE(HoldsMaterial(S::kConsumed));
  EXPECT_FALSE(HoldsMaterial(S::kDisposed));
  EXPECT_FALSE(HoldsMaterial(S::kMissing));
}

}  // namespace
}  // namespace lims
