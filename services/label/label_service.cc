#include "label_service.h"

#include "absl/strings/str_cat.h"
#include "convert.h"
#include "label_operations.h"
#include "lims/core/sample_id.h"
#include "paging.h"
#include "request_replay.h"
#include "spdlog/spdlog.h"
#include "status_macros.h"
#include "status_mapping.h"

namespace lims::services {
namespace {

constexpr char kPrintLabels[] = "lims.v1.LabelService.PrintLabels";

v1::Printer ToProto(const db::PrinterRecord& p) {
  v1::Printer out;
  out.set_name(p.name);
  out.set_uri(p.uri);
  out.set_dpi(p.dpi);
  out.set_label_stock(p.label_stock);
  out.set_created_by(p.created_by);
  *out.mutable_created_at() = services::ToProto(p.created_at);
  return out;
}

absl::StatusOr<std::vector<int64_t>> ParseIds(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<int64_t> out;
  for (const std::string& id : ids) {
    LIMS_ASSIGN_OR_RETURN(int64_t parsed, ParseId(id, "box_ids"));
    out.push_back(parsed);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CanonicalBarcodes(
    const google::protobuf::RepeatedPtrField<std::string>& scanned) {
  std::vector<std::string> out;
  for (const std::string& code : scanned) {
    LIMS_ASSIGN_OR_RETURN(std::string canonical, CanonicalBarcode(code));
    out.push_back(std::move(canonical));
  }
  return out;
}

}  // namespace

grpc::Status LabelService::RegisterPrinter(grpc::ServerContext* context,
                                           const v1::RegisterPrinterRequest* request,
                                           v1::RegisterPrinterResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.LabelService.RegisterPrinter", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RegisterPrinterResponse* out) -> absl::Status {
        db::PrinterRecord printer;
        printer.name = request->name();
        printer.uri = request->uri();
        printer.dpi = request->dpi();
        printer.label_stock = request->label_stock();
        LIMS_ASSIGN_OR_RETURN(printer, services::AddPrinter(tx, call, templates_, printer_networks_,
                                                            std::move(printer)));
        *out->mutable_printer() = ToProto(printer);
        return absl::OkStatus();
      });
}

grpc::Status LabelService::ListPrinters(grpc::ServerContext* context,
                                        const v1::ListPrintersRequest* request,
                                        v1::ListPrintersResponse* response) {
  return gate_.Query(
      *context, "lims.v1.LabelService.ListPrinters", response,
      [&](db::Tx& tx, const CallContext&, v1::ListPrintersResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(auto printers, ListPrinterPage(tx, page));
        for (const auto& p : printers) *out->add_printers() = ToProto(p);
        out->set_next_page_token(NextPageToken(page, static_cast<int>(printers.size()),
                                               printers.empty() ? 0 : printers.back().id));
        return absl::OkStatus();
      });
}

grpc::Status LabelService::ListLabelTemplates(grpc::ServerContext* context,
                                              const v1::ListLabelTemplatesRequest*,
                                              v1::ListLabelTemplatesResponse* response) {
  return gate_.Query(*context, "lims.v1.LabelService.ListLabelTemplates", response,
                     [&](db::Tx&, const CallContext&,
                         v1::ListLabelTemplatesResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(auto all, templates_.List());
                       for (const labels::LabelTemplate& t : all) {
                         v1::LabelTemplateInfo* info = out->add_templates();
                         info->set_name(t.name);
                         info->set_description(t.description);
                         info->set_width_mm(t.width_mm);
                         info->set_height_mm(t.height_mm);
                       }
                       return absl::OkStatus();
                     });
}

grpc::Status LabelService::PreviewLabel(grpc::ServerContext* context,
                                        const v1::PreviewLabelRequest* request,
                                        v1::PreviewLabelResponse* response) {
  return gate_.Query(
      *context, "lims.v1.LabelService.PreviewLabel", response,
      [&](db::Tx& tx, const CallContext& call, v1::PreviewLabelResponse* out) -> absl::Status {
        PreviewSubject what;
        if (!request->barcode().empty()) {
          LIMS_ASSIGN_OR_RETURN(what.barcode, CanonicalBarcode(request->barcode()));
        }
        if (!request->box_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(what.box_id, ParseId(request->box_id(), "box_id"));
        }
        what.request_code = request->request_code();
        what.din = request->din();
        LIMS_ASSIGN_OR_RETURN(Preview preview,
                              services::RenderLabelPreview(tx, call, templates_, what,
                                                           request->template_(), request->dpi()));
        out->set_zpl(preview.zpl);
        out->set_png(preview.png);
        out->set_template_(preview.template_name);
        out->set_dpi(preview.dpi);
        return absl::OkStatus();
      });
}

// Printing talks to a device, so it is not one transaction: plan and render on a read (a retry
// of a request_id that printed already is answered from the first outcome and prints nothing),
// send, and only then record the job. A printer that cannot be reached leaves no trace in the
// ledger and the call fails UNAVAILABLE; the same request_id may then be retried.
grpc::Status LabelService::PrintLabels(grpc::ServerContext* context,
                                       const v1::PrintLabelsRequest* request,
                                       v1::PrintLabelsResponse* response) {
  PrintPlan plan;
  bool replayed = false;
  grpc::Status planned = gate_.QueryBeforeMutate(
      *context, kPrintLabels, *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::PrintLabelsResponse* out) -> absl::Status {
        if (!request->request_id().empty()) {
          LIMS_RETURN_IF_ERROR(
              ReplayIfSeen(tx, call, kPrintLabels, *request, out, &replayed));
          if (replayed) return absl::OkStatus();
        }
        PrintRequest print;
        LIMS_ASSIGN_OR_RETURN(print.barcodes, CanonicalBarcodes(request->barcodes()));
        LIMS_ASSIGN_OR_RETURN(print.box_ids, ParseIds(request->box_ids()));
        print.dins.assign(request->dins().begin(), request->dins().end());
        print.printer = request->printer();
        print.template_name = request->template_();
        print.copies = request->copies() == 0 ? 1 : request->copies();
        print.reason = request->reason();
        if (!request->sample_request_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(print.sample_request_id,
                                ParseId(request->sample_request_id(), "sample_request_id"));
        }
        LIMS_ASSIGN_OR_RETURN(plan, PlanPrint(tx, call, templates_, print));
        return absl::OkStatus();
      });
  if (!planned.ok() || replayed) return planned;

  const std::string job_name = absl::StrCat("lims-", plan.template_name, "-",
                                            plan.subjects.size(), "-labels");
  absl::Status sent = labels::SendToPrinter(plan.uri, plan.zpl, job_name, send_options_);
  if (!sent.ok()) return ToGrpcStatus(sent);

  grpc::Status recorded = gate_.Mutate(
      *context, kPrintLabels, *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::PrintLabelsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(db::PrintJobRecord job, RecordPrint(tx, call, plan));
        out->set_job_id(std::to_string(job.id));
        out->set_labels_printed(static_cast<int>(job.labels.size()));
        out->set_reprints(job.reprint_count);
        out->set_bytes_sent(job.byte_count);
        return absl::OkStatus();
      });
  if (!recorded.ok()) {
    // The labels exist now: say so where an administrator will look.
    spdlog::error("{} labels were sent to printer {} but not recorded in the ledger: {}",
                  plan.subjects.size(), plan.printer.name, recorded.error_message());
  }
  return recorded;
}

grpc::Status LabelService::ListPrintJobs(grpc::ServerContext* context,
                                         const v1::ListPrintJobsRequest* request,
                                         v1::ListPrintJobsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.LabelService.ListPrintJobs", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListPrintJobsResponse* out) -> absl::Status {
        // Newest first: the token is the smallest job id seen so far.
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        std::string subject;
        if (!request->subject().empty()) {
          subject = request->subject();
          if (subject.rfind("BOX-", 0) != 0) {
            LIMS_ASSIGN_OR_RETURN(subject, CanonicalBarcode(subject));
          }
        }
        LIMS_ASSIGN_OR_RETURN(auto jobs, ListPrintJobPage(tx, call, {subject}, page));
        for (const db::PrintJobRecord& job : jobs) {
          v1::PrintJob* j = out->add_jobs();
          j->set_job_id(std::to_string(job.id));
          j->set_printer(job.printer_name);
          j->set_template_(job.template_name);
          j->set_copies(job.copies);
          j->set_reason(job.reason);
          j->set_printed_by(job.printed_by);
          *j->mutable_printed_at() = services::ToProto(job.printed_at);
          j->set_reprints(job.reprint_count);
          j->set_bytes_sent(job.byte_count);
          for (const db::PrintedLabel& l : job.labels) {
            v1::PrintedLabel* label = j->add_labels();
            label->set_subject(l.subject);
            label->set_reprint(l.reprint);
          }
        }
        out->set_next_page_token(NextPageToken(page, static_cast<int>(jobs.size()),
                                               jobs.empty() ? 0 : jobs.back().id));
        return absl::OkStatus();
      });
}

}  // namespace lims::services
