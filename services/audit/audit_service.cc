#include "audit_service.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "audit_operations.h"
#include "convert.h"
#include "lims/db/audit_log.h"
#include "paging.h"
#include "status_macros.h"

namespace lims::services {
namespace {

// An unset Timestamp means "no bound".
absl::StatusOr<std::optional<absl::Time>> Bound(const google::protobuf::Timestamp& ts,
                                                absl::string_view field) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return std::optional<absl::Time>();
  LIMS_ASSIGN_OR_RETURN(absl::Time time, FromProto(ts, field));
  return std::optional<absl::Time>(time);
}

// The window of a query, as the request gives it (unset bounds are open).
absl::Status TimeWindow(const google::protobuf::Timestamp& since,
                        const google::protobuf::Timestamp& until, AuditQuery& query) {
  LIMS_ASSIGN_OR_RETURN(query.since, Bound(since, "since"));
  LIMS_ASSIGN_OR_RETURN(query.until, Bound(until, "until"));
  return absl::OkStatus();
}

void ToProto(const db::AuditEvent& e, v1::AuditEvent& out) {
  out.set_id(absl::StrCat(e.id));
  *out.mutable_at() = services::ToProto(e.at);
  out.set_actor(e.actor);
  out.set_action(e.action);
  out.set_entity_type(e.entity_type);
  out.set_entity_key(e.entity_key);
  out.set_details(e.details);
  out.set_reason(e.reason);
  out.set_before_json(e.before_json);
  out.set_after_json(e.after_json);
  out.set_hash(e.hash);
  out.set_prev_hash(e.prev_hash);
  out.set_request_id(e.request_id);
}

}  // namespace

grpc::Status AuditService::ListAuditEvents(grpc::ServerContext* context,
                                           const v1::ListAuditEventsRequest* request,
                                           v1::ListAuditEventsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.AuditService.ListAuditEvents", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListAuditEventsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        AuditQuery query{request->actor(), request->entity_barcode(), request->action()};
        LIMS_RETURN_IF_ERROR(TimeWindow(request->since(), request->until(), query));
        LIMS_ASSIGN_OR_RETURN(auto events, ListAuditPage(tx, call, query, page));
        for (const db::AuditEvent& e : events) ToProto(e, *out->add_events());
        out->set_next_page_token(NextPageToken(page, static_cast<int>(events.size()),
                                               events.empty() ? 0 : events.back().id));
        return absl::OkStatus();
      });
}

grpc::Status AuditService::VerifyAuditChain(grpc::ServerContext* context,
                                            const v1::VerifyAuditChainRequest* request,
                                            v1::VerifyAuditChainResponse* response) {
  return gate_.Query(
      *context, "lims.v1.AuditService.VerifyAuditChain", response,
      [&](db::Tx& tx, const CallContext&, v1::VerifyAuditChainResponse* out) -> absl::Status {
        std::optional<db::ChainAnchor> anchor;
        if (!request->anchor_event_id().empty() || !request->anchor_hash().empty()) {
          LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->anchor_event_id(), "anchor_event_id"));
          if (request->anchor_hash().size() != 64) {
            return absl::InvalidArgumentError(
                "anchor_hash must be the 64 hexadecimal digits `lims audit anchor` wrote");
          }
          anchor = db::ChainAnchor{id, request->anchor_hash()};
        }
        LIMS_ASSIGN_OR_RETURN(db::ChainCheck check, CheckAuditChain(tx, anchor));
        out->set_ok(check.ok);
        out->set_events_checked(check.events_checked);
        if (!check.ok) out->set_first_broken_event_id(absl::StrCat(check.first_broken_event_id));
        out->set_problem(check.problem);
        if (check.ok) {
          out->set_head_event_id(absl::StrCat(check.head_event_id));
          out->set_head_hash(check.head_hash);
        }
        return absl::OkStatus();
      });
}

// The chunks go out while the rows are read, a page at a time: neither side holds the trail.
// The call keeps one pooled connection (outside any transaction) until the last chunk is sent.
grpc::Status AuditService::ExportAuditCsv(grpc::ServerContext* context,
                                          const v1::ExportAuditCsvRequest* request,
                                          grpc::ServerWriter<v1::ExportAuditCsvResponse>* writer) {
  v1::ExportAuditCsvResponse unused;  // the answer is the stream
  return gate_.Query(
      *context, "lims.v1.AuditService.ExportAuditCsv", &unused,
      [&](db::Tx& tx, const CallContext& call, v1::ExportAuditCsvResponse*) -> absl::Status {
        AuditQuery query{request->actor(), request->entity_barcode(), request->action()};
        LIMS_RETURN_IF_ERROR(TimeWindow(request->since(), request->until(), query));
        return StreamAuditCsv(tx, call, query, [&](absl::string_view chunk) -> absl::Status {
          v1::ExportAuditCsvResponse piece;
          piece.set_chunk(std::string(chunk));
          if (context->IsCancelled() || !writer->Write(piece)) {
            return absl::CancelledError("the client stopped reading the export");
          }
          return absl::OkStatus();
        });
      });
}

}  // namespace lims::services
