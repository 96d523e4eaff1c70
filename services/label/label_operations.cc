#include "label_operations.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "audit.h"
#include "lims/core/isbt128.h"
#include "lims/core/sample_types.h"
#include "lims/core/timepoint_window.h"
#include "lims/core/unit_label.h"
#include "lims/db/products.h"
#include "lims/db/samples.h"
#include "lims/db/storage_units.h"
#include "lims/labels/label_layout.h"
#include "lims/labels/label_png.h"
#include "lims/labels/zpl.h"
#include "request_labels.h"
#include "sample_access.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

constexpr int kMaxCopies = 20;
constexpr size_t kMaxLabelsPerJob = 384;  // four 96-tube racks

labels::LabelValues SampleValues(const Sample& s) {
  return {{"barcode", s.barcode},
          {"sample_type", s.sample_type},
          {"sample_type_name", SampleTypeName(s.sample_type)},
          {"quantity", s.quantity.ToShortString()},
          {"patient_registry_id", s.patient_registry_id},
          {"protocol_code", s.protocol_code},
          {"timepoint_code", s.timepoint_code},
          {"collected_date", absl::FormatTime("%Y-%m-%d", s.collected_at, absl::UTCTimeZone())},
          {"site_code", s.site_code},
          {"sprec", s.sprec}};
}

labels::LabelValues BoxValues(const StorageUnit& box) {
  return {{"box_code", BoxCode(box.id)},
          {"box_name", box.name},
          {"box_path", box.path},
          {"box_layout", absl::StrCat(box.rows, " x ", box.columns)},
          {"site_code", box.site_code}};
}

// A bag's label: its DIN as scanned (data identifier, 13 characters, flags), as printed with
// its check character, and its chain of identity.
labels::LabelValues BagValues(const Product& p) {
  const std::string printed = absl::StrCat(p.din.substr(0, 5), " ", p.din.substr(5, 2), " ",
                                           p.din.substr(7), " ", std::string(1, p.check));
  return {{"din_scan", absl::StrCat("=", p.din, p.flags.empty() ? "00" : p.flags)},
          {"din_printed", printed},
          {"coi", p.coi},
          {"product_code", p.product_code},
          {"product_kind", std::string(ProductKindCode(p.kind))},
          {"patient_registry_id", p.patient_registry_id},
          {"expires_on", p.expires_on ? FormatIsoDate(*p.expires_on) : ""},
          {"site_code", p.site_code}};
}

absl::StatusOr<labels::LabelTemplate> FindTemplate(const labels::TemplateLibrary& templates,
                                                   const std::string& name) {
  LIMS_RETURN_IF_ERROR(CheckText(name, "template", 64, /*required=*/true));
  auto found = templates.Find(name);
  // An unknown template is the caller's mistake, not a missing entity.
  if (absl::IsNotFound(found.status())) {
    return absl::InvalidArgumentError(std::string(found.status().message()));
  }
  return found;
}

// One subject's label laid out; an error names the tube or box.
absl::StatusOr<labels::LabelLayout> LayOut(const labels::LabelTemplate& t,
                                           const LabelSubject& subject, int dpi) {
  auto layout = labels::LayOutLabel(t, subject.values, dpi);
  if (!layout.ok()) {
    return absl::Status(layout.status().code(),
                        absl::StrCat(subject.subject, ": ", layout.status().message()));
  }
  return layout;
}

std::vector<db::PrintedLabel> ToPrintedLabels(const std::vector<LabelSubject>& subjects) {
  std::vector<db::PrintedLabel> out;
  for (const LabelSubject& s : subjects) out.push_back({s.subject, s.sample_id, s.box_id, false});
  return out;
}

}  // namespace

std::string BoxCode(int64_t box_id) { return UnitLabelCode(box_id); }

absl::StatusOr<std::vector<LabelSubject>> LoadLabelSubjects(
    db::Tx& tx, const CallContext& call, const std::vector<std::string>& barcodes,
    const std::vector<int64_t>& box_ids, const std::vector<std::string>& dins) {
  std::vector<LabelSubject> out;
  std::set<std::string> seen;
  for (const std::string& barcode : barcodes) {
    LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
    out.push_back({sample.barcode, sample.id, 0, SampleValues(sample), sample.barcode});
  }
  for (int64_t id : box_ids) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit box, db::StorageUnitRepository(tx).FindById(id));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, box.site_id, absl::StrCat("storage unit ", id)));
    if (box.kind != StorageKind::kBox) {
      return absl::InvalidArgumentError(absl::StrCat(
          "storage unit ", id, " (", box.name, ") is not a box; box labels are for boxes"));
    }
    out.push_back({BoxCode(box.id), 0, box.id, BoxValues(box), ""});
  }
  for (const std::string& text : dins) {
    LIMS_ASSIGN_OR_RETURN(Din din, ParseDin(text));
    LIMS_ASSIGN_OR_RETURN(auto product, db::ProductRepository(tx).FindByDin(din.code));
    if (!product) {
      return absl::NotFoundError(absl::StrCat("no product has DIN ", din.Printed()));
    }
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, product->site_id, "DIN " + din.Printed()));
    product->check = din.check;
    out.push_back({product->din, 0, 0, BagValues(*product), ""});
  }
  for (const LabelSubject& s : out) {
    if (!seen.insert(s.subject).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          s.subject, " is listed twice; list each tube or box once and use copies for more"));
    }
  }
  return out;
}

absl::StatusOr<db::PrinterRecord> AddPrinter(db::Tx& tx, const CallContext& call,
                                             const labels::TemplateLibrary& templates,
                                             const std::vector<IpNetwork>& networks,
                                             db::PrinterRecord printer) {
  LIMS_RETURN_IF_ERROR(CheckText(printer.name, "name", 64, /*required=*/true));
  LIMS_RETURN_IF_ERROR(CheckText(printer.uri, "uri", 500, /*required=*/true));
  LIMS_ASSIGN_OR_RETURN(labels::PrinterUri uri, labels::ParsePrinterUri(printer.uri));
  // A spool directory makes the server write files where it is told: an admin's decision.
  if (uri.scheme == labels::PrinterUri::Scheme::kFile && call.principal.role != Role::kAdmin) {
    return absl::PermissionDeniedError(
        "spool-directory printers (file://) are registered by an admin; ask one, or register "
        "a tcp:// or cups:// printer");
  }
  if (uri.scheme == labels::PrinterUri::Scheme::kTcp && call.principal.role != Role::kAdmin &&
      !IsAddressIn(uri.host, networks)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "tcp:// printers are registered by IP address inside the networks an admin allowed (",
        networks.empty() ? "none yet" : "lims-server --printer-networks",
        "); ", uri.host, " is not one: ask an admin"));
  }
  LIMS_RETURN_IF_ERROR(labels::DotsPerMm(printer.dpi).status());
  LIMS_RETURN_IF_ERROR(FindTemplate(templates, printer.label_stock).status());
  db::PrinterRepository printers(tx);
  const absl::Status taken = printers.FindByName(printer.name).status();
  if (taken.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("a printer named '", printer.name,
                                                 "' is registered already; choose another name"));
  }
  if (!absl::IsNotFound(taken)) return taken;
  printer.uri = uri.ToString();
  printer.created_by = call.actor;
  printer.created_at = call.now;
  LIMS_RETURN_IF_ERROR(printers.Insert(printer));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("printer.registered", "printer", printer.name)
                                 .Details(absl::StrCat(printer.uri, ", ", printer.dpi, " dpi, ",
                                                       printer.label_stock, " labels"))));
  return printer;
}

absl::StatusOr<Preview> RenderLabelPreview(db::Tx& tx, const CallContext& call,
                                           const labels::TemplateLibrary& templates,
                                           const PreviewSubject& what,
                                           const std::string& template_name, int dpi) {
  const int given =
      !what.barcode.empty() + (what.box_id != 0) + !what.request_code.empty() + !what.din.empty();
  if (given != 1) {
    return absl::InvalidArgumentError(
        "give either a tube's barcode, a box_id, a request tube's request_code or a bag's din");
  }
  std::vector<LabelSubject> subjects;
  if (!what.request_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(LabelSubject subject, LoadRequestLabelSubject(tx, call, what.request_code));
    subjects.push_back(std::move(subject));
  } else if (what.box_id != 0) {
    LIMS_ASSIGN_OR_RETURN(subjects, LoadLabelSubjects(tx, call, {}, {what.box_id}));
  } else if (!what.din.empty()) {
    LIMS_ASSIGN_OR_RETURN(subjects, LoadLabelSubjects(tx, call, {}, {}, {what.din}));
  } else {
    LIMS_ASSIGN_OR_RETURN(subjects, LoadLabelSubjects(tx, call, {what.barcode}, {}));
  }
  Preview preview;
  preview.template_name = !template_name.empty()       ? template_name
                          : what.box_id                ? "box"
                          : !what.din.empty()          ? "bag"
                          : !what.request_code.empty() ? kResearchTubeTemplate
                                                       : "cryotube";
  preview.dpi = dpi == 0 ? 203 : dpi;
  LIMS_ASSIGN_OR_RETURN(labels::LabelTemplate t, FindTemplate(templates, preview.template_name));
  LIMS_ASSIGN_OR_RETURN(labels::LabelLayout layout, LayOut(t, subjects.front(), preview.dpi));
  preview.zpl = labels::LabelToZpl(layout, 1);
  LIMS_ASSIGN_OR_RETURN(preview.png, labels::LabelToPng(layout));
  return preview;
}

absl::StatusOr<PrintPlan> PlanPrint(db::Tx& tx, const CallContext& call,
                                    const labels::TemplateLibrary& templates,
                                    const PrintRequest& request) {
  const size_t count = request.barcodes.size() + request.box_ids.size() + request.dins.size();
  const bool for_request = request.sample_request_id != 0;
  if (for_request && count > 0) {
    return absl::InvalidArgumentError(
        "give a sample_request_id or tubes and boxes, not both: a request's labels are a job "
        "of their own");
  }
  if (count == 0 && !for_request) {
    return absl::InvalidArgumentError("name at least one tube (barcodes) or box");
  }
  if (count > kMaxLabelsPerJob) {
    return absl::InvalidArgumentError(absl::StrCat(
        count, " labels in one job; print at most ", kMaxLabelsPerJob, " at a time"));
  }
  if (request.copies < 1 || request.copies > kMaxCopies) {
    return absl::InvalidArgumentError(
        absl::StrCat("copies must be 1 to ", kMaxCopies, " (got ", request.copies, ")"));
  }
  LIMS_RETURN_IF_ERROR(CheckText(request.reason, "reason", 1000, /*required=*/false));
  LIMS_RETURN_IF_ERROR(CheckText(request.printer, "printer", 64, /*required=*/true));
  PrintPlan plan;
  LIMS_ASSIGN_OR_RETURN(plan.printer, db::PrinterRepository(tx).FindByName(request.printer));
  LIMS_ASSIGN_OR_RETURN(plan.uri, labels::ParsePrinterUri(plan.printer.uri));
  // A request's tubes get the research label unless told otherwise: the printer's stock
  // template would print the barcodes the research label is there to cover.
  plan.template_name = !request.template_name.empty() ? request.template_name
                       : for_request                  ? kResearchTubeTemplate
                                                      : plan.printer.label_stock;
  plan.copies = request.copies;
  plan.reason = request.reason;
  if (for_request) {
    LIMS_ASSIGN_OR_RETURN(plan.subjects,
                          LoadRequestLabelSubjects(tx, call, request.sample_request_id));
    if (plan.subjects.size() > kMaxLabelsPerJob) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the request has ", plan.subjects.size(), " tubes; print at most ", kMaxLabelsPerJob,
          " labels at a time"));
    }
    // Each is one more label of a tube that has its own: a reprint in the ledger's terms, whose
    // reason is this.
    if (plan.reason.find_first_not_of(" \t") == std::string::npos) {
      plan.reason = "research label for request " + plan.subjects.front().values.at("request");
    }
  } else {
    LIMS_ASSIGN_OR_RETURN(plan.subjects, LoadLabelSubjects(tx, call, request.barcodes,
                                                           request.box_ids, request.dins));
  }

  LIMS_ASSIGN_OR_RETURN(const std::vector<int> printed_before,
                        db::PrintLedger(tx).TimesPrinted(ToPrintedLabels(plan.subjects)));
  std::vector<std::string> named;
  for (size_t i = 0; i < plan.subjects.size(); ++i) {
    const int times = printed_before[i];
    if (times == 0) continue;
    named.push_back(
        absl::StrCat(plan.subjects[i].subject, " (", times, times == 1 ? " time)" : " times)"));
  }
  if (!named.empty() && plan.reason.find_first_not_of(" \t") == std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(
        "already printed: ", absl::StrJoin(named, ", "),
        "; a reprint needs a reason (e.g. \"label smudged\"), or leave those out"));
  }

  LIMS_ASSIGN_OR_RETURN(labels::LabelTemplate t, FindTemplate(templates, plan.template_name));
  for (const LabelSubject& s : plan.subjects) {
    LIMS_ASSIGN_OR_RETURN(labels::LabelLayout layout, LayOut(t, s, plan.printer.dpi));
    plan.zpl += labels::LabelToZpl(layout, plan.copies);
  }
  return plan;
}

absl::StatusOr<db::PrintJobRecord> RecordPrint(db::Tx& tx, const CallContext& call,
                                               const PrintPlan& plan) {
  db::PrintLedger ledger(tx);
  db::PrintJobRecord job;
  job.printer_id = plan.printer.id;
  job.printer_name = plan.printer.name;
  job.template_name = plan.template_name;
  job.copies = plan.copies;
  job.reason = plan.reason;
  job.printed_by = call.actor;
  job.printed_at = call.now;
  job.byte_count = static_cast<int64_t>(plan.zpl.size());
  job.labels = ToPrintedLabels(plan.subjects);
  LIMS_RETURN_IF_ERROR(ledger.CountPrints(job.labels));
  const bool reprints = std::any_of(job.labels.begin(), job.labels.end(),
                                    [](const db::PrintedLabel& l) { return l.reprint; });
  if (reprints && plan.reason.empty()) {
    // Another bench printed one of these tubes between this job's check and its printing.
    job.reason = "no reason given: printed at the same time as another job";
  }
  LIMS_RETURN_IF_ERROR(ledger.Record(job));
  // job.labels are plan.subjects in the same order.
  for (size_t i = 0; i < job.labels.size(); ++i) {
    const db::PrintedLabel& l = job.labels[i];
    const LabelSubject& subject = plan.subjects[i];
    const bool tube = l.sample_id != 0;
    // A research label is filed in its tube's history, saying under which code it went out.
    const std::string under =
        tube && subject.subject != subject.barcode ? " for " + subject.subject : "";
    LIMS_RETURN_IF_ERROR(
        Audit(tx, call,
              AuditEntry(l.reprint ? "label.reprinted" : "label.printed",
                         tube ? "sample" : "storage_unit",
                         tube ? subject.barcode : std::to_string(l.box_id))
                  .Details(absl::StrCat(plan.template_name, " label", under, " x", plan.copies,
                                        " on printer ", plan.printer.name, " (job ", job.id, ")"))
                  .Reason(l.reprint ? job.reason : "")));
  }
  return job;
}

absl::StatusOr<std::vector<db::PrinterRecord>> ListPrinterPage(db::Tx& tx, const Page& page) {
  return db::PrinterRepository(tx).List(page.after_id, page.size);
}

absl::StatusOr<std::vector<db::PrintJobRecord>> ListPrintJobPage(db::Tx& tx,
                                                                 const CallContext& call,
                                                                 const PrintJobsQuery& query,
                                                                 const Page& page) {
  std::vector<int64_t> site_ids;
  if (call.principal.role != Role::kAdmin) {
    site_ids = call.principal.site_ids;
    if (site_ids.empty()) return std::vector<db::PrintJobRecord>();
  }
  return db::PrintLedger(tx).List(query.subject, site_ids, page.after_id, page.size);
}

}  // namespace lims::services
