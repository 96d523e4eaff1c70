// Label use cases on domain types: what goes on a tube's or a box's label, printer
// registration, and the two halves of printing (plan and render inside a read; record in the
// ledger after the printer took the bytes).
#ifndef LIMS_SERVICES_LABEL_LABEL_OPERATIONS_H_
#define LIMS_SERVICES_LABEL_LABEL_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/net_address.h"
#include "lims/db/database.h"
#include "lims/db/printers.h"
#include "lims/labels/label_template.h"
#include "lims/labels/printer_transport.h"
#include "paging.h"

namespace lims::services {

// A box's code on its label: "BOX-<id>".
std::string BoxCode(int64_t box_id);

// One label's subject: a tube or a box, with the values its template is filled with.
struct LabelSubject {
  std::string subject;  // the tube's barcode, the box's code, or a tube's request code
  int64_t sample_id = 0;
  int64_t box_id = 0;
  labels::LabelValues values;
  std::string barcode;  // a tube's barcode, whose history records the label; "" for a box
};

// Loads tubes by barcode and boxes by id, in that order, applying the site rule. NOT_FOUND for
// an unknown one, INVALID_ARGUMENT for an id that is not a box, or for a list naming the same
// subject twice.
absl::StatusOr<std::vector<LabelSubject>> LoadLabelSubjects(
    db::Tx& tx, const CallContext& call, const std::vector<std::string>& barcodes,
    const std::vector<int64_t>& box_ids, const std::vector<std::string>& dins = {});

// Validates and stores a printer (its uri, dpi 203/300/600 and a label stock that names an
// existing template); ALREADY_EXISTS for a taken name. Only an admin registers a spool
// directory, or a tcp:// printer outside `networks` (given by its IP address): PERMISSION_DENIED
// otherwise, so that no one else can point the server at another service on the network.
absl::StatusOr<db::PrinterRecord> AddPrinter(db::Tx& tx, const CallContext& call,
                                             const labels::TemplateLibrary& templates,
                                             const std::vector<IpNetwork>& networks,
                                             db::PrinterRecord printer);

struct Preview {
  std::string zpl;
  std::string png;
  std::string template_name;
  int dpi = 203;
};

// What a preview shows: exactly one of a tube's barcode, a box, a request tube's code.
struct PreviewSubject {
  std::string barcode;
  int64_t box_id = 0;
  std::string request_code;
  std::string din;  // a cell-therapy bag
};
// One subject's label as ZPL and PNG. The template defaults to "cryotube" for a tube, "box" for
// a box and "research-tube" for a request tube; dpi 0 means 203.
absl::StatusOr<Preview> RenderLabelPreview(db::Tx& tx, const CallContext& call,
                                           const labels::TemplateLibrary& templates,
                                           const PreviewSubject& what,
                                           const std::string& template_name, int dpi);

struct PrintRequest {
  std::vector<std::string> barcodes;
  std::vector<int64_t> box_ids;
  std::vector<std::string> dins;  // cell-therapy bags
  std::string printer;
  std::string template_name;  // empty: the printer's label stock
  int copies = 1;
  std::string reason;
  // Instead of tubes and boxes: a researcher's request's tubes (request_labels.h).
  int64_t sample_request_id = 0;
};

struct PrintPlan {
  db::PrinterRecord printer;
  labels::PrinterUri uri;
  std::string template_name;
  int copies = 1;
  std::string reason;
  std::vector<LabelSubject> subjects;
  std::string zpl;  // every label of the job, in order
};

// Everything short of printing: subjects loaded, reprints found (FAILED_PRECONDITION naming
// them when no reason is given), every label rendered (INVALID_ARGUMENT if one does not fit).
absl::StatusOr<PrintPlan> PlanPrint(db::Tx& tx, const CallContext& call,
                                    const labels::TemplateLibrary& templates,
                                    const PrintRequest& request);

// After the printer took the job: appends it to the ledger (reprints counted again, now) and
// audits one event per tube or box.
absl::StatusOr<db::PrintJobRecord> RecordPrint(db::Tx& tx, const CallContext& call,
                                               const PrintPlan& plan);

// --- reads ---

absl::StatusOr<std::vector<db::PrinterRecord>> ListPrinterPage(db::Tx& tx, const Page& page);

struct PrintJobsQuery {
  std::string subject;  // a canonical barcode or "BOX-<id>"; "": every subject
};
// Newest first, only the jobs and labels of the caller's sites (admins: all).
absl::StatusOr<std::vector<db::PrintJobRecord>> ListPrintJobPage(db::Tx& tx,
                                                                 const CallContext& call,
                                                                 const PrintJobsQuery& query,
                                                                 const Page& page);

}  // namespace lims::services

#endif  // LIMS_SERVICES_LABEL_LABEL_OPERATIONS_H_
