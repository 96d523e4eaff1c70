// Label printers and the print ledger (db/migrations/0006_labels.sql).
#ifndef LIMS_DB_PRINTERS_H_
#define LIMS_DB_PRINTERS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct PrinterRecord {
  int64_t id = 0;
  std::string name;  // "bench-2"
  std::string uri;   // "tcp://10.0.4.21:9100"
  int dpi = 203;
  std::string label_stock;  // the template loaded in it, e.g. "cryotube"
  std::string created_by;
  absl::Time created_at;
};

class PrinterRepository {
 public:
  explicit PrinterRepository(Tx& tx) : tx_(tx) {}

  // Sets printer.id. ABORTED if the name is taken concurrently (check FindByName first).
  absl::Status Insert(PrinterRecord& printer);
  // NOT_FOUND names the printer and says how to list them.
  absl::StatusOr<PrinterRecord> FindByName(const std::string& name);
  // Printers with id > after_id, in id order.
  absl::StatusOr<std::vector<PrinterRecord>> List(int64_t after_id, int limit);

 private:
  Tx& tx_;
};

struct PrintedLabel {
  std::string subject;    // the tube's barcode or the box's code
  int64_t sample_id = 0;  // 0: not a tube
  int64_t box_id = 0;     // 0: not a box
  bool reprint = false;
};

struct PrintJobRecord {
  int64_t id = 0;
  int64_t printer_id = 0;
  std::string printer_name;  // filled by reads
  std::string template_name;
  int copies = 1;
  std::string reason;
  std::string printed_by;
  absl::Time printed_at;
  int64_t byte_count = 0;
  std::vector<PrintedLabel> labels;
  int reprint_count = 0;  // filled by reads
};

class PrintLedger {
 public:
  explicit PrintLedger(Tx& tx) : tx_(tx) {}

  // Counts one more print of each label's tube or box and sets its `reprint` (printed before).
  // The tube's or box's row stays locked until the transaction ends, so concurrent jobs count
  // right; call it before Record in the same transaction.
  absl::Status CountPrints(std::vector<PrintedLabel>& labels);
  // Appends a job and its labels as given; sets job.id and job.reprint_count.
  absl::Status Record(PrintJobRecord& job);
  // How many times each label's tube or box was printed before, in the order given (the counts
  // CountPrints keeps; a plain read, for telling people before anything is printed).
  absl::StatusOr<std::vector<int>> TimesPrinted(const std::vector<PrintedLabel>& labels);
  // Jobs newest first with id < before_id (0: from the newest); `subject` filters when set. With
  // `site_ids` (empty: every site), only the jobs and labels of those sites' tubes and boxes.
  absl::StatusOr<std::vector<PrintJobRecord>> List(const std::string& subject,
                                                   const std::vector<int64_t>& site_ids,
                                                   int64_t before_id, int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_PRINTERS_H_
