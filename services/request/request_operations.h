// Researcher request use cases on domain types, inside the caller's transaction: preview,
// submit, approve (reserving the tubes and minting the request's codes) or reject, and picking
// at the freezer. Every change is audited.
#ifndef LIMS_SERVICES_REQUEST_REQUEST_OPERATIONS_H_
#define LIMS_SERVICES_REQUEST_REQUEST_OPERATIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "criteria_json.h"
#include "lims/core/request_selection.h"
#include "lims/db/database.h"
#include "lims/db/requests.h"

namespace lims::services {

struct RequestPreview {
  int patients = 0, samples = 0;
  std::vector<std::pair<std::string, int>> by_timepoint;  // in the protocols' schedule order
};
// What the criteria would get now from every site (nothing reserved). INVALID_ARGUMENT for
// criteria that do not check out or name a protocol, timepoint or site that does not exist.
absl::StatusOr<RequestPreview> CountMatchingSamples(db::Tx& tx, const CallContext& call,
                                                    const RequestCriteria& criteria);

struct NewRequest {
  std::string title;
  std::string ethics_reference;
  RequestCriteria criteria;
};
absl::StatusOr<db::SampleRequestRecord> FileRequest(db::Tx& tx, const CallContext& call,
                                                    const NewRequest& request);

struct RequestDecision {
  int64_t id = 0;
  std::string reason;
};
// Reserves what the criteria get at this moment, from the approver's sites (every site for an
// admin), and mints R0007-P.. / R0007-S.. codes in a random order. FAILED_PRECONDITION when the
// request is not waiting for a decision or no tube qualifies any more.
absl::StatusOr<db::SampleRequestRecord> ApproveAndReserve(db::Tx& tx, const CallContext& call,
                                                          const RequestDecision& request);
absl::StatusOr<db::SampleRequestRecord> DeclineRequest(db::Tx& tx, const CallContext& call,
                                                       const RequestDecision& request);

struct RequestView {
  db::SampleRequestRecord request;
  RequestCriteria criteria;
  std::vector<db::RequestedTube> tubes;  // in code order
};
// A researcher sees only their own requests (all their tubes, by codes); site staff see any
// request, with the tubes of their sites only.
absl::StatusOr<RequestView> GetRequest(db::Tx& tx, const CallContext& call, int64_t id);
absl::StatusOr<std::vector<db::SampleRequestRecord>> ListRequests(db::Tx& tx,
                                                                  const CallContext& call,
                                                                  int64_t after_id, int limit);

// The reserved tubes in the order to fetch them: by box path (site, room, freezer, rack, box),
// then position, so each box is opened once.
absl::StatusOr<std::vector<db::RequestedTube>> PickList(db::Tx& tx, const CallContext& call,
                                                        int64_t id);

struct PickResult {
  db::RequestedTube tube;
  int remaining = 0;  // on the caller's list (their sites)
};

struct PickedTube {
  int64_t id = 0;
  std::string barcode;
};
// The tube is checked out for the request and its reservation released. FAILED_PRECONDITION,
// naming the next tube expected and where it is, for a tube not (or no longer) on the caller's
// list: the tubes of their sites only.
absl::StatusOr<PickResult> TickOffTube(db::Tx& tx, const CallContext& call,
                                       const PickedTube& request);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REQUEST_REQUEST_OPERATIONS_H_
