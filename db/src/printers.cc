#include "lims/db/printers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelectPrinter[] =
    "SELECT id, name, uri, dpi, label_stock, created_by, created_at FROM printers ";

// A label's tube or box: which of our two tables holds its print count, and its row.
const char* SubjectTable(const PrintedLabel& l) { return l.sample_id ? "samples" : "storage_units"; }
long long SubjectId(const PrintedLabel& l) { return l.sample_id ? l.sample_id : l.box_id; }

struct PrinterRow {
  long long id = 0, created_at = 0;
  int dpi = 0;
  std::string name, uri, stock, created_by;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(name));
    st.exchange(soci::into(uri));
    st.exchange(soci::into(dpi));
    st.exchange(soci::into(stock));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(created_at));
  }
  PrinterRecord ToRecord() const {
    return {id, name, uri, dpi, stock, created_by, absl::FromUnixMicros(created_at)};
  }
};

}  // namespace

absl::Status PrinterRepository::Insert(PrinterRecord& p) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(p.created_at);
    tx_.session() << "INSERT INTO printers (name, uri, dpi, label_stock, created_by, created_at) "
                     "VALUES (:n, :u, :d, :s, :b, :t)",
        soci::use(p.name), soci::use(p.uri), soci::use(p.dpi), soci::use(p.label_stock),
        soci::use(p.created_by), soci::use(at);
    p.id = LastInsertId(tx_, "printers");
    return absl::OkStatus();
  });
}

absl::StatusOr<PrinterRecord> PrinterRepository::FindByName(const std::string& name) {
  return Guarded([&]() -> absl::StatusOr<PrinterRecord> {
    PrinterRow row;
    std::string key(name);
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSelectPrinter, "WHERE name = :n"));
    st.execute();
    if (!st.fetch()) {
      return absl::NotFoundError(absl::StrCat("no printer named '", name,
                                              "'; lims printer list shows the registered ones"));
    }
    return row.ToRecord();
  });
}

absl::StatusOr<std::vector<PrinterRecord>> PrinterRepository::List(int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<PrinterRecord>> {
    std::vector<PrinterRecord> out;
    PrinterRow row;
    long long after = after_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(after));
    st.exchange(soci::use(limit));
    Prepare(st, absl::StrCat(kSelectPrinter, "WHERE id > :a ORDER BY id LIMIT :l"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToRecord());
    return out;
  });
}

absl::Status PrintLedger::CountPrints(std::vector<PrintedLabel>& labels) {
  return Guarded([&]() -> absl::Status {
    soci::session& sql = tx_.session();
    // Bump each subject's print count with its row locked, tubes then boxes, each in id order (one
    // order for every transaction: no deadlock), and read it back with a locking read, which sees
    // the newest committed count even where the transaction's snapshot is older.
    std::vector<PrintedLabel*> order;
    for (PrintedLabel& l : labels) order.push_back(&l);
    std::sort(order.begin(), order.end(), [](const PrintedLabel* a, const PrintedLabel* b) {
      return std::make_pair(a->sample_id == 0, SubjectId(*a)) <
             std::make_pair(b->sample_id == 0, SubjectId(*b));
    });
    for (PrintedLabel* l : order) {
      long long id = SubjectId(*l);
      int times = 0;
      sql << "UPDATE " << SubjectTable(*l) << " SET label_prints = label_prints + 1 WHERE id = :i",
          soci::use(id);
      sql << "SELECT label_prints FROM " << SubjectTable(*l) << " WHERE id = :i"
          << LockingReadSuffix(tx_.backend()),
          soci::use(id), soci::into(times);
      l->reprint = times > 1;
    }
    return absl::OkStatus();
  });
}

absl::Status PrintLedger::Record(PrintJobRecord& job) {
  return Guarded([&]() -> absl::Status {
    soci::session& sql = tx_.session();
    long long printer = job.printer_id, at = absl::ToUnixMicros(job.printed_at);
    long long bytes = job.byte_count;
    int labels = static_cast<int>(job.labels.size()), reprints = 0;
    for (const PrintedLabel& l : job.labels) reprints += l.reprint ? 1 : 0;
    job.reprint_count = reprints;
    sql << "INSERT INTO print_jobs (printer_id, template_name, copies, label_count, reprint_count, "
           "reason, printed_by, printed_at, byte_count) VALUES (:p, :t, :c, :l, :r, :why, :by, "
           ":at, :b)",
        soci::use(printer), soci::use(job.template_name), soci::use(job.copies),
        soci::use(labels), soci::use(reprints), soci::use(job.reason), soci::use(job.printed_by),
        soci::use(at), soci::use(bytes);
    job.id = LastInsertId(tx_, "print_jobs");
    long long job_id = job.id;
    for (const PrintedLabel& l : job.labels) {
      long long sample = l.sample_id, box = l.box_id;
      soci::indicator sample_ind = l.sample_id == 0 ? soci::i_null : soci::i_ok;
      soci::indicator box_ind = l.box_id == 0 ? soci::i_null : soci::i_ok;
      int reprint = l.reprint ? 1 : 0;
      sql << "INSERT INTO print_job_labels (job_id, subject, sample_id, box_id, reprint) VALUES "
             "(:j, :s, :sa, :b, :r)",
          soci::use(job_id), soci::use(l.subject), soci::use(sample, sample_ind),
          soci::use(box, box_ind), soci::use(reprint);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<int>> PrintLedger::TimesPrinted(
    const std::vector<PrintedLabel>& labels) {
  return Guarded([&]() -> absl::StatusOr<std::vector<int>> {
    std::vector<int> out;
    for (const PrintedLabel& l : labels) {
      long long id = SubjectId(l);
      int times = 0;
      tx_.session() << "SELECT label_prints FROM " << SubjectTable(l) << " WHERE id = :i",
          soci::use(id), soci::into(times);
      out.push_back(times);
    }
    return out;
  });
}

absl::StatusOr<std::vector<PrintJobRecord>> PrintLedger::List(const std::string& subject,
                                                              const std::vector<int64_t>& site_ids,
                                                              int64_t before_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<PrintJobRecord>> {
    // A label's site is its tube's or its box's.
    const std::string at_sites =
        site_ids.empty() ? "1 = 1"
                         : absl::StrCat("COALESCE(s.site_id, u.site_id) IN (", IdList(site_ids), ")");
    const std::string label_join =
        " FROM print_job_labels l LEFT JOIN samples s ON s.id = l.sample_id "
        "LEFT JOIN storage_units u ON u.id = l.box_id ";
    std::vector<PrintJobRecord> out;
    soci::session& sql = tx_.session();
    long long id = 0, printer = 0, at = 0, bytes = 0;
    long long before = before_id == 0 ? INT64_MAX : before_id;
    int copies = 0, reprints = 0;
    std::string printer_name, template_name, reason, by, key(subject);
    const int filtered = subject.empty() ? 0 : 1;
    soci::statement st =
        (sql.prepare << "SELECT j.id, j.printer_id, p.name, j.template_name, j.copies, "
                        "j.reprint_count, j.reason, j.printed_by, j.printed_at, j.byte_count "
                        "FROM print_jobs j JOIN printers p ON p.id = j.printer_id "
                        "WHERE j.id < :b AND EXISTS (SELECT 1"
                     << label_join << "WHERE l.job_id = j.id AND (:f = 0 OR l.subject = :s) AND "
                     << at_sites << ") ORDER BY j.id DESC LIMIT :l",
         soci::use(before), soci::use(filtered), soci::use(key), soci::use(limit), soci::into(id),
         soci::into(printer), soci::into(printer_name), soci::into(template_name),
         soci::into(copies), soci::into(reprints), soci::into(reason), soci::into(by),
         soci::into(at), soci::into(bytes));
    st.execute();
    while (st.fetch()) {
      PrintJobRecord job;
      job.id = id;
      job.printer_id = printer;
      job.printer_name = printer_name;
      job.template_name = template_name;
      job.copies = copies;
      job.reprint_count = reprints;
      job.reason = reason;
      job.printed_by = by;
      job.printed_at = absl::FromUnixMicros(at);
      job.byte_count = bytes;
      out.push_back(std::move(job));
    }
    for (PrintJobRecord& job : out) {
      long long job_id = job.id, sample = 0, box = 0;
      soci::indicator sample_ind = soci::i_ok, box_ind = soci::i_ok;
      std::string label_subject;
      int reprint = 0;
      soci::statement labels =
          (sql.prepare << "SELECT l.subject, l.sample_id, l.box_id, l.reprint" << label_join
                       << "WHERE l.job_id = :j AND " << at_sites << " ORDER BY l.id",
           soci::use(job_id), soci::into(label_subject), soci::into(sample, sample_ind),
           soci::into(box, box_ind), soci::into(reprint));
      labels.execute();
      while (labels.fetch()) {
        job.labels.push_back({label_subject, sample_ind == soci::i_null ? 0 : sample,
                              box_ind == soci::i_null ? 0 : box, reprint != 0});
      }
    }
    return out;
  });
}

}  // namespace lims::db
