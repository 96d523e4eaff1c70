// Runs one mutating RPC the same way everywhere: one transaction for the whole call, the audit
// events inside it, safe retries by request_id, and the status mapping.
#ifndef LIMS_SERVICES_COMMON_MUTATION_H_
#define LIMS_SERVICES_COMMON_MUTATION_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/status.h"
#include "call_context.h"
#include "lims/db/database.h"
#include "status_mapping.h"

namespace lims::services {

// The replay part, typed on protobuf messages only: returns true in *replayed when `request_id`
// was seen before (and fills `response` with the first answer), after checking it was the same
// RPC with the same request (else INVALID_ARGUMENT).
absl::Status ReplayIfSeen(db::Tx& tx, const std::string& rpc, const std::string& request_id,
                          const google::protobuf::Message& request,
                          google::protobuf::Message* response, bool* replayed);
absl::Status RecordOutcome(db::Tx& tx, const CallContext& call, const std::string& rpc,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response);

// `work(tx, call, response)` does the call's job inside the transaction and returns its status.
template <typename Request, typename Response, typename Work>
grpc::Status RunMutation(db::Database& db, const grpc::ServerContext& context,
                         const std::string& rpc, const Request& request, Response* response,
                         Work&& work) {
  auto call = MakeCallContext(context, request.request_id());
  if (!call.ok()) return ToGrpcStatus(call.status());
  absl::Status status = db.Write([&](db::Tx& tx) -> absl::Status {
    response->Clear();  // a retried transaction starts from scratch
    if (!call->request_id.empty()) {
      bool replayed = false;
      absl::Status seen = ReplayIfSeen(tx, rpc, call->request_id, request, response, &replayed);
      if (!seen.ok() || replayed) return seen;
    }
    absl::Status done = work(tx, *call, response);
    if (!done.ok() || call->request_id.empty()) return done;
    return RecordOutcome(tx, *call, rpc, request, *response);
  });
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

// Runs a read-only RPC on a pooled session: `work(tx, response)`.
template <typename Response, typename Work>
grpc::Status RunQuery(db::Database& db, Response* response, Work&& work) {
  absl::Status status = db.Read([&](db::Tx& tx) { return work(tx, response); });
  if (!status.ok()) response->Clear();
  return ToGrpcStatus(status);
}

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_MUTATION_H_
