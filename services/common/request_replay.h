// Safe retries: the outcome of a mutating call is stored under its user and request_id in the
// call's own transaction, and a retry with the same id gets that outcome back (see
// CallGate::Mutate). Outcomes older than the server's --replay-days are purged.
#ifndef LIMS_SERVICES_COMMON_REQUEST_REPLAY_H_
#define LIMS_SERVICES_COMMON_REQUEST_REPLAY_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "call_context.h"
#include "lims/db/database.h"

namespace lims::services {

// The replay part, typed on protobuf messages only: returns true in *replayed when the caller's
// request_id was seen before from the same user (and fills `response` with the first answer),
// after checking it was the same RPC with the same request (else INVALID_ARGUMENT). Another
// user's request_id is a fresh request.
absl::Status ReplayIfSeen(db::Tx& tx, const CallContext& call, const std::string& rpc,
                          const google::protobuf::Message& request,
                          google::protobuf::Message* response, bool* replayed);
absl::Status RecordOutcome(db::Tx& tx, const CallContext& call, const std::string& rpc,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_REQUEST_REPLAY_H_
