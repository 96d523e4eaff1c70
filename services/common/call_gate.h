// Every RPC passes through here: authentication, the access policy, then the work — a mutation
// in one transaction with its audit events and request_id replay, or a read on a pooled session
// — and finally the one status mapping and one log line (call_log.h). Handlers cannot skip it:
// they get the CallContext (and so the principal) only from the gate.
#ifndef LIMS_SERVICES_COMMON_CALL_GATE_H_
#define LIMS_SERVICES_COMMON_CALL_GATE_H_

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "access_policy.h"
#include "authenticator.h"
#include "call_context.h"
#include "call_log.h"
#include "lims/db/database.h"
#include "request_replay.h"
#include "status_mapping.h"

namespace lims::services {

class CallGate {
 public:
  CallGate(db::Database& db, Authenticator& authenticator)
      : db_(db), authenticator_(authenticator) {}

  Authenticator& authenticator() { return authenticator_; }

  // `work(tx, call, response)` does the job inside the call's transaction. `method` is the full
  // name, e.g. "lims.v1.StorageService.PlaceSample".
  template <typename Request, typename Response, typename Work>
  grpc::Status Mutate(const grpc::ServerContext& context, const std::string& method,
                      const Request& request, Response* response, Work&& work) {
    return MutateAnswering(context, method, request, response,
                           [&](db::Tx& tx, CallContext& call, Response* out,
                               absl::Status*) -> absl::Status { return work(tx, call, out); });
  }

  // Like Mutate, but `work(tx, call, response, refusal)` may set `*refusal` and return OK: the
  // refusal it has recorded (an issue to the wrong patient, with its custody event and audit)
  // is committed, then given as the answer. An error returned by the work rolls everything
  // back. A refusal is not kept for request_id replay: the same request again is judged again.
  template <typename Request, typename Response, typename Work>
  grpc::Status MutateAnswering(const grpc::ServerContext& context, const std::string& method,
                               const Request& request, Response* response, Work&& work) {
    // Admitted on a read first: an anonymous or refused call never opens a write transaction
    // (on SQLite it would hold the one write lock).
    CallLog log(method, request.request_id());
    absl::StatusOr<CallContext> admitted = absl::UnknownError("not admitted");
    absl::Status status = db_.Read([&](db::Tx& tx) -> absl::Status {
      admitted = Admit(tx, context, method, request.request_id());
      return admitted.status();
    });
    if (admitted.ok()) log.set_user(admitted->actor);
    absl::Status answer;
    if (status.ok()) {
      status = db_.Write([&](db::Tx& tx) -> absl::Status {
        response->Clear();  // a retried transaction starts from scratch
        answer = absl::OkStatus();
        CallContext call = *admitted;
        call.now = absl::Now();
        if (!call.request_id.empty()) {
          bool replayed = false;
          absl::Status seen = ReplayIfSeen(tx, call, method, request, response, &replayed);
          if (!seen.ok() || replayed) return seen;
        }
        absl::Status done = work(tx, call, response, &answer);
        if (!done.ok()) return done;
        if (!answer.ok() || call.request_id.empty()) return absl::OkStatus();
        return RecordOutcome(tx, call, method, request, *response);
      });
    }
    if (status.ok()) status = answer;
    if (!status.ok()) response->Clear();
    return log.Finish(ToGrpcStatus(status));
  }

  // The read that opens a mutating call done in steps (PrintLabels: plan, talk to a device,
  // then Mutate): admitted like Mutate, request_id checked, then `work` on a pooled session.
  template <typename Request, typename Response, typename Work>
  grpc::Status QueryBeforeMutate(const grpc::ServerContext& context, const std::string& method,
                                 const Request& request, Response* response, Work&& work) {
    CallLog log(method, request.request_id(), CallLog::Stage::kPlan);
    absl::Status status = db_.Read([&](db::Tx& tx) -> absl::Status {
      auto call = Admit(tx, context, method, request.request_id());
      if (!call.ok()) return call.status();
      log.set_user(call->actor);
      return work(tx, *call, response);
    });
    if (!status.ok()) response->Clear();
    return log.Finish(ToGrpcStatus(status));
  }

  // Authentication and the access policy only, for work that needs no database (decoding a
  // picture): OK means go ahead, without holding a connection for the work.
  // Its log line says whether the call was admitted; the work after it is not timed.
  // `stage` kPlan: a call whose own step follows through the gate (counted there).
  grpc::Status AdmitOnly(const grpc::ServerContext& context, const std::string& method,
                         CallLog::Stage stage = CallLog::Stage::kAdmission) {
    CallLog log(method, "", stage);
    return log.Finish(ToGrpcStatus(db_.Read([&](db::Tx& tx) {
      auto call = Admit(tx, context, method, "");
      if (call.ok()) log.set_user(call->actor);
      return call.status();
    })));
  }

  // A call that needs no token (Login): `work(tx, response)` returns the answer to give, and its
  // writes are committed even when that answer is a refusal (a wrong password is counted and
  // audited); only a failing database rolls back.
  template <typename Response, typename Work>
  grpc::Status Unauthenticated(const std::string& method, Response* response, Work&& work) {
    CallLog log(method, "");
    absl::Status answer;
    absl::Status status = db_.Write([&](db::Tx& tx) -> absl::Status {
      response->Clear();  // a retried transaction starts from scratch
      absl::StatusOr<absl::Status> outcome = work(tx, response);
      if (!outcome.ok()) return outcome.status();
      answer = *outcome;
      return absl::OkStatus();
    });
    if (status.ok()) status = answer;
    if (!status.ok()) response->Clear();
    return log.Finish(ToGrpcStatus(status));
  }

  // `work(tx, call, response)` reads on a pooled session without a transaction.
  template <typename Response, typename Work>
  grpc::Status Query(const grpc::ServerContext& context, const std::string& method,
                     Response* response, Work&& work) {
    CallLog log(method, "");
    absl::Status status = db_.Read([&](db::Tx& tx) -> absl::Status {
      auto call = Admit(tx, context, method, "");
      if (!call.ok()) return call.status();
      log.set_user(call->actor);
      return work(tx, *call, response);
    });
    if (!status.ok()) response->Clear();
    return log.Finish(ToGrpcStatus(status));
  }

 private:
  absl::StatusOr<CallContext> Admit(db::Tx& tx, const grpc::ServerContext& context,
                                    const std::string& method, const std::string& request_id);

  db::Database& db_;
  Authenticator& authenticator_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CALL_GATE_H_
