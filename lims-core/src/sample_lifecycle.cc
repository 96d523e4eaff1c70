#include "lims/core/sample_lifecycle.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "text.h"

namespace lims {
namespace {

using S = SampleStatus;
using E = SampleEvent;

struct Transition {
  SampleStatus from;
  SampleEvent event;
  SampleStatus to;
};

// The whole lifecycle. Anything not listed here is refused.
constexpr Transition kTransitions[] = {
    {S::kCollected, E::kReceive, S::kReceived},
    {S::kShipped, E::kReceive, S::kReceived},  // receipt at the destination
    {S::kCollected, E::kStartProcessing, S::kInProcessing},
    {S::kReceived, E::kStartProcessing, S::kInProcessing},
    {S::kCollected, E::kStore, S::kStored},
    {S::kReceived, E::kStore, S::kStored},
    {S::kInProcessing, E::kStore, S::kStored},
    {S::kStored, E::kCheckOut, S::kCheckedOut},
    {S::kCheckedOut, E::kReturn, S::kStored},
    {S::kStored, E::kShip, S::kShipped},
    {S::kCheckedOut, E::kShip, S::kShipped},
    {S::kCollected, E::kConsume, S::kConsumed},
    {S::kReceived, E::kConsume, S::kConsumed},
    {S::kInProcessing, E::kConsume, S::kConsumed},
    {S::kCheckedOut, E::kConsume, S::kConsumed},
    {S::kCollected, E::kDispose, S::kDisposed},
    {S::kReceived, E::kDispose, S::kDisposed},
    {S::kInProcessing, E::kDispose, S::kDisposed},
    {S::kStored, E::kDispose, S::kDisposed},
    {S::kCheckedOut, E::kDispose, S::kDisposed},
    {S::kShipped, E::kDispose, S::kDisposed},
    {S::kMissing, E::kDispose, S::kDisposed},  // written off after a search
    {S::kStored, E::kMarkMissing, S::kMissing},
    {S::kCheckedOut, E::kMarkMissing, S::kMissing},
    {S::kShipped, E::kMarkMissing, S::kMissing},
    {S::kMissing, E::kClearMissing, S::kStored},  // found again by an audit
};

constexpr SampleStatus kAllStatuses[] = {
    S::kCollected, S::kReceived, S::kInProcessing, S::kStored,  S::kCheckedOut,
    S::kShipped,   S::kConsumed, S::kDisposed,     S::kMissing,
};

bool IsTerminal(SampleStatus status) {
  return status == S::kConsumed || status == S::kDisposed;
}

// The event as a verb in "cannot <verb> a sample that is ...".
std::string_view EventVerb(SampleEvent event) {
  switch (event) {
    case E::kReceive: return "receive";
    case E::kStartProcessing: return "start processing";
    case E::kStore: return "store";
    case E::kCheckOut: return "check out";
    case E::kReturn: return "return";
    case E::kShip: return "ship";
    case E::kConsume: return "consume";
    case E::kDispose: return "dispose of";
    case E::kMarkMissing: return "mark as missing";
    case E::kClearMissing: return "clear the missing flag of";
  }
  return "change";
}

std::string RefusalReason(SampleStatus from, SampleEvent event) {
  if (IsTerminal(from)) {
    return absl::StrFormat("%s is final and the sample can no longer change",
                           StatusName(from));
  }
  std::vector<std::string_view> allowed;
  for (const Transition& t : kTransitions) {
    if (t.event == event) allowed.push_back(StatusName(t.from));
  }
  std::string list;
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) list += (i + 1 == allowed.size()) ? " or " : ", ";
    list.append(allowed[i]);
  }
  return absl::StrFormat("'%s' applies only to a sample that is %s", EventName(event), list);
}

}  // namespace

std::string_view StatusName(SampleStatus status) {
  switch (status) {
    case S::kCollected: return "COLLECTED";
    case S::kReceived: return "RECEIVED";
    case S::kInProcessing: return "IN_PROCESSING";
    case S::kStored: return "STORED";
    case S::kCheckedOut: return "CHECKED_OUT";
    case S::kShipped: return "SHIPPED";
    case S::kConsumed: return "CONSUMED";
    case S::kDisposed: return "DISPOSED";
    case S::kMissing: return "MISSING";
  }
  return "UNKNOWN";
}

absl::StatusOr<SampleStatus> ParseStatusName(std::string_view name) {
  const std::string upper = text::ToUpper(text::Trim(name));
  std::string names;
  for (SampleStatus status : kAllStatuses) {
    if (StatusName(status) == upper) return status;
    if (!names.empty()) names += ", ";
    names.append(StatusName(status));
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "sample status %s is not known; use one of %s", text::Quoted(name), names));
}

std::string_view EventName(SampleEvent event) {
  switch (event) {
    case E::kReceive: return "receive";
    case E::kStartProcessing: return "start_processing";
    case E::kStore: return "store";
    case E::kCheckOut: return "check_out";
    case E::kReturn: return "return";
    case E::kShip: return "ship";
    case E::kConsume: return "consume";
    case E::kDispose: return "dispose";
    case E::kMarkMissing: return "mark_missing";
    case E::kClearMissing: return "clear_missing";
  }
  return "unknown";
}

absl::StatusOr<SampleStatus> ApplyEvent(SampleStatus from, SampleEvent event) {
  for (const Transition& t : kTransitions) {
    if (t.from == from && t.event == event) return t.to;
  }
  return absl::FailedPreconditionError(absl::StrFormat(
      "cannot %s a sample that is %s; %s", EventVerb(event), StatusName(from),
      RefusalReason(from, event)));
}

bool HoldsMaterial(SampleStatus status) {
  return status == S::kCollected || status == S::kReceived || status == S::kInProcessing ||
         status == S::kCheckedOut;
}

}  // namespace lims
