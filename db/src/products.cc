#include "lims/db/products.h"

#include "absl/strings/str_cat.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "lims/core/timepoint_window.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT p.id, p.din, p.flags, p.product_code, p.kind, p.status, p.therapy_id, t.coi, "
    "t.patient_id, pa.registry_id, t.site_id, si.code, p.enrollment_id, "
    "COALESCE(p.timepoint_id, 0), COALESCE(tp.code, ''), p.volume_amount, p.volume_unit, "
    "p.cell_count, p.viability_percent, p.batch, p.expires_on, COALESCE(p.source_product_id, 0), "
    "COALESCE(src.din, ''), COALESCE(pp.unit_id, 0), COALESCE(u.path, ''), "
    "COALESCE(pp.slot, 0), p.version "
    "FROM products p JOIN therapies t ON t.id = p.therapy_id "
    "JOIN patients pa ON pa.id = t.patient_id JOIN sites si ON si.id = t.site_id "
    "LEFT JOIN timepoints tp ON tp.id = p.timepoint_id "
    "LEFT JOIN products src ON src.id = p.source_product_id "
    "LEFT JOIN product_places pp ON pp.product_id = p.id "
    "LEFT JOIN storage_units u ON u.id = pp.unit_id ";

struct ProductRow {
  long long id = 0, therapy_id = 0, patient_id = 0, site_id = 0, enrollment_id = 0,
            timepoint_id = 0, amount = 0, source_id = 0, unit_id = 0, version = 0;
  int slot = 0;
  double cells = 0, viability = 0;
  std::string din, flags, code, kind, status, coi, registry_id, site_code, timepoint_code, unit,
      batch, expires_on, source_din, unit_path;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(din));
    st.exchange(soci::into(flags));
    st.exchange(soci::into(code));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(status));
    st.exchange(soci::into(therapy_id));
    st.exchange(soci::into(coi));
    st.exchange(soci::into(patient_id));
    st.exchange(soci::into(registry_id));
    st.exchange(soci::into(site_id));
    st.exchange(soci::into(site_code));
    st.exchange(soci::into(enrollment_id));
    st.exchange(soci::into(timepoint_id));
    st.exchange(soci::into(timepoint_code));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(cells));
    st.exchange(soci::into(viability));
    st.exchange(soci::into(batch));
    st.exchange(soci::into(expires_on));
    st.exchange(soci::into(source_id));
    st.exchange(soci::into(source_din));
    st.exchange(soci::into(unit_id));
    st.exchange(soci::into(unit_path));
    st.exchange(soci::into(slot));
    st.exchange(soci::into(version));
  }

  // Rows are written only by Insert/UpdateStatus: a value that does not parse is corrupt.
  Product ToProduct() const {
    auto parsed_kind = ParseProductKindCode(kind);
    auto parsed_status = ParseProductStatusCode(status);
    auto volume = Quantity::FromCanonical(amount, unit);
    if (!parsed_kind.ok() || !parsed_status.ok() || !volume.ok()) {
      throw soci::soci_error("corrupt kind, status or volume in product " + din);
    }
    Product p;
    p.id = id;
    p.din = din;
    p.flags = flags;
    p.product_code = code;
    p.kind = *parsed_kind;
    p.status = *parsed_status;
    p.therapy_id = therapy_id;
    p.coi = coi;
    p.patient_id = patient_id;
    p.patient_registry_id = registry_id;
    p.site_id = site_id;
    p.site_code = site_code;
    p.enrollment_id = enrollment_id;
    p.timepoint_id = timepoint_id;
    p.timepoint_code = timepoint_code;
    p.volume = *volume;
    p.cell_count = cells;
    p.viability_percent = viability;
    p.batch = batch;
    if (auto day = ParseIsoDate(expires_on); day.ok()) p.expires_on = *day;
    p.source_id = source_id;
    p.source_din = source_din;
    p.unit_id = unit_id;
    p.unit_path = unit_path;
    p.slot = slot;
    p.version = version;
    return p;
  }
};

}  // namespace

absl::StatusOr<Therapy> ProductRepository::CreateTherapy(int64_t patient_id, int64_t site_id,
                                                         const std::string& site_code,
                                                         absl::Time now) {
  return Guarded([&]() -> absl::StatusOr<Therapy> {
    long long site = site_id, patient = patient_id, at = absl::ToUnixMicros(now), count = 0;
    tx_.session() << "SELECT COUNT(*) FROM therapies WHERE site_id = :s", soci::use(site),
        soci::into(count);
    Therapy t{0, FormatCoi(site_code, count + 1), patient_id, site_id};
    // Two at once at one site: the unique COI makes the later one ABORTED, and its retry
    // counts again.
    tx_.session() << "INSERT INTO therapies (coi, patient_id, site_id, created_at) VALUES (:c, "
                     ":p, :s, :t)",
        soci::use(t.coi), soci::use(patient), soci::use(site), soci::use(at);
    t.id = LastInsertId(tx_, "therapies");
    return t;
  });
}

absl::StatusOr<std::optional<Therapy>> ProductRepository::TherapyByCoi(const std::string& coi) {
  return Guarded([&]() -> absl::StatusOr<std::optional<Therapy>> {
    Therapy t;
    long long id = 0, patient = 0, site = 0;
    tx_.session() << "SELECT id, coi, patient_id, site_id FROM therapies WHERE coi = :c",
        soci::use(coi), soci::into(id), soci::into(t.coi), soci::into(patient), soci::into(site);
    if (!tx_.session().got_data()) return std::optional<Therapy>();
    t.id = id;
    t.patient_id = patient;
    t.site_id = site;
    return std::optional<Therapy>(t);
  });
}

absl::StatusOr<std::vector<Therapy>> ProductRepository::TherapiesOfPatient(int64_t patient_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Therapy>> {
    std::vector<Therapy> out;
    long long key = patient_id, id = 0, site = 0;
    std::string coi;
    soci::statement st =
        (tx_.session().prepare << "SELECT id, coi, site_id FROM therapies WHERE patient_id = :p "
                                  "ORDER BY id",
         soci::use(key), soci::into(id), soci::into(coi), soci::into(site));
    st.execute();
    while (st.fetch()) out.push_back({id, coi, patient_id, site});
    return out;
  });
}

absl::Status ProductRepository::Insert(Product& p, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long therapy = p.therapy_id, enrollment = p.enrollment_id, timepoint = p.timepoint_id,
              source = p.source_id, amount = p.volume.canonical_amount(),
              at = absl::ToUnixMicros(now);
    soci::indicator tp_ind = p.timepoint_id ? soci::i_ok : soci::i_null;
    soci::indicator src_ind = p.source_id ? soci::i_ok : soci::i_null;
    const std::string kind(ProductKindCode(p.kind)), status(ProductStatusCode(p.status)),
        unit = p.volume.canonical_unit(),
        expires = p.expires_on ? FormatIsoDate(*p.expires_on) : "";
    tx_.session() << "INSERT INTO products (din, flags, product_code, kind, status, therapy_id, "
                     "enrollment_id, timepoint_id, source_product_id, volume_amount, "
                     "volume_unit, cell_count, viability_percent, batch, expires_on, version, "
                     "created_at) VALUES (:d, :f, :c, :k, :s, :t, :e, :tp, :src, :a, :u, :n, "
                     ":v, :b, :x, 1, :at)",
        soci::use(p.din), soci::use(p.flags), soci::use(p.product_code), soci::use(kind),
        soci::use(status), soci::use(therapy), soci::use(enrollment), soci::use(timepoint, tp_ind),
        soci::use(source, src_ind), soci::use(amount), soci::use(unit), soci::use(p.cell_count),
        soci::use(p.viability_percent), soci::use(p.batch), soci::use(expires), soci::use(at);
    p.id = LastInsertId(tx_, "products");
    p.version = 1;
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Product>> ProductRepository::Select(
    const std::string& where, const std::vector<long long>& values) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Product>> {
    std::vector<Product> out;
    ProductRow row;
    std::vector<long long> bound = values;  // soci binds by reference
    soci::statement st(tx_.session());
    row.Bind(st);
    for (long long& v : bound) st.exchange(soci::use(v));
    Prepare(st, absl::StrCat(kSelect, where));
    st.execute();
    while (st.fetch()) out.push_back(row.ToProduct());
    return out;
  });
}

absl::StatusOr<std::optional<Product>> ProductRepository::FindByDin(const std::string& din) {
  return Guarded([&]() -> absl::StatusOr<std::optional<Product>> {
    long long id = 0;
    tx_.session() << "SELECT id FROM products WHERE din = :d", soci::use(din), soci::into(id);
    if (!tx_.session().got_data()) return std::optional<Product>();
    auto found = Select("WHERE p.id = :i", {id});
    if (!found.ok()) return found.status();
    if (found->empty()) return std::optional<Product>();
    return std::optional<Product>(found->front());
  });
}

absl::StatusOr<Product> ProductRepository::FindById(int64_t id) {
  auto found = Select("WHERE p.id = :i", {id});
  if (!found.ok()) return found.status();
  if (found->empty()) return absl::NotFoundError(absl::StrCat("no product ", id));
  return found->front();
}

absl::Status ProductRepository::UpdateStatus(Product& p) {
  return Guarded([&]() -> absl::Status {
    long long id = p.id, version = p.version;
    const std::string status(ProductStatusCode(p.status));
    soci::statement st = (tx_.session().prepare << "UPDATE products SET status = :s, version = "
                                                   "version + 1 WHERE id = :i AND version = :v",
                          soci::use(status), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError("the product changed meanwhile; retry");
    }
    ++p.version;
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Product>> ProductRepository::OfTherapy(int64_t therapy_id) {
  return Select("WHERE p.therapy_id = :t ORDER BY p.id", {therapy_id});
}

absl::StatusOr<std::vector<Product>> ProductRepository::List(const ProductFilter& f) {
  std::string where = "WHERE 1 = 1";
  std::vector<long long> values;
  if (!f.all_sites) {
    if (f.site_ids.empty()) return std::vector<Product>();
    absl::StrAppend(&where, " AND t.site_id IN (", IdList(f.site_ids), ")");
  }
  if (f.status) {
    absl::StrAppend(&where, " AND p.status = '", std::string(ProductStatusCode(*f.status)), "'");
  }
  if (f.patient_id) {
    where += " AND t.patient_id = :p";
    values.push_back(f.patient_id);
  }
  if (f.after_id) {
    where += " AND p.id > :a";
    values.push_back(f.after_id);
  }
  absl::StrAppend(&where, " ORDER BY p.id LIMIT ", f.limit);
  return Select(where, values);
}

absl::Status ProductRepository::Place(int64_t product_id, int64_t unit_id, int slot,
                                      absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long product = product_id, unit = unit_id, at = absl::ToUnixMicros(now);
    int s = slot;
    soci::indicator slot_ind = slot ? soci::i_ok : soci::i_null;
    tx_.session() << "INSERT INTO product_places (product_id, unit_id, slot, placed_at) VALUES "
                     "(:p, :u, :s, :t)",
        soci::use(product), soci::use(unit), soci::use(s, slot_ind), soci::use(at);
    return absl::OkStatus();
  });
}

absl::Status ProductRepository::Unplace(int64_t product_id) {
  return Guarded([&]() -> absl::Status {
    long long product = product_id;
    tx_.session() << "DELETE FROM product_places WHERE product_id = :p", soci::use(product);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> ProductRepository::SlotTaken(int64_t unit_id, int slot) {
  return Guarded([&]() -> absl::StatusOr<bool> {
    long long unit = unit_id, count = 0;
    int s = slot;
    tx_.session() << "SELECT COUNT(*) FROM product_places WHERE unit_id = :u AND slot = :s",
        soci::use(unit), soci::use(s), soci::into(count);
    return count > 0;
  });
}

absl::StatusOr<int64_t> ProductRepository::CountIn(int64_t unit_id) {
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    long long unit = unit_id, count = 0;
    tx_.session() << "SELECT COUNT(*) FROM product_places WHERE unit_id = :u", soci::use(unit),
        soci::into(count);
    return static_cast<int64_t>(count);
  });
}

absl::Status ProductRepository::LinkSample(int64_t sample_id, int64_t product_id) {
  return Guarded([&]() -> absl::Status {
    long long sample = sample_id, product = product_id;
    tx_.session() << "INSERT INTO product_samples (sample_id, product_id) VALUES (:s, :p)",
        soci::use(sample), soci::use(product);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> ProductRepository::SamplesOfTherapy(int64_t therapy_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> out;
    long long therapy = therapy_id;
    std::string barcode;
    soci::statement st =
        (tx_.session().prepare << "SELECT s.barcode FROM product_samples ps JOIN products p ON "
                                  "p.id = ps.product_id JOIN samples s ON s.id = ps.sample_id "
                                  "WHERE p.therapy_id = :t ORDER BY s.id",
         soci::use(therapy), soci::into(barcode));
    st.execute();
    while (st.fetch()) out.push_back(barcode);
    return out;
  });
}

absl::Status ProductRepository::AppendEvent(const CustodyRecord& e) {
  return Guarded([&]() -> absl::Status {
    long long product = e.product_id, at = absl::ToUnixMicros(e.at);
    const std::string step(CustodyStepCode(e.step));
    tx_.session() << "INSERT INTO custody_events (product_id, event, at, actor, place, reason) "
                     "VALUES (:p, :e, :t, :a, :w, :r)",
        soci::use(product), soci::use(step), soci::use(at), soci::use(e.actor), soci::use(e.place),
        soci::use(e.reason);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<CustodyRecord>> ProductRepository::Events(int64_t therapy_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<CustodyRecord>> {
    std::vector<CustodyRecord> out;
    CustodyRecord r;
    long long therapy = therapy_id, product = 0, at = 0;
    std::string step;
    soci::statement st =
        (tx_.session().prepare << "SELECT e.product_id, p.din, e.event, e.at, e.actor, e.place, "
                                  "e.reason FROM custody_events e JOIN products p ON p.id = "
                                  "e.product_id WHERE p.therapy_id = :t ORDER BY e.at, e.id",
         soci::use(therapy), soci::into(product), soci::into(r.din), soci::into(step),
         soci::into(at), soci::into(r.actor), soci::into(r.place), soci::into(r.reason));
    st.execute();
    while (st.fetch()) {
      auto parsed = ParseCustodyStepCode(step);
      if (!parsed.ok()) throw soci::soci_error("corrupt custody event " + step);
      r.product_id = product;
      r.step = *parsed;
      r.at = absl::FromUnixMicros(at);
      out.push_back(r);
    }
    return out;
  });
}

absl::Status ProductRepository::InsertIssue(ProductIssue& issue) {
  return Guarded([&]() -> absl::Status {
    long long product = issue.product_id, patient = issue.patient_id,
              at = absl::ToUnixMicros(issue.issued_at);
    tx_.session() << "INSERT INTO product_issues (product_id, patient_id, issued_by, issued_at) "
                     "VALUES (:p, :pa, :b, :t)",
        soci::use(product), soci::use(patient), soci::use(issue.issued_by), soci::use(at);
    issue.id = LastInsertId(tx_, "product_issues");
    return absl::OkStatus();
  });
}

namespace {
constexpr char kIssueColumns[] =
    "SELECT id, product_id, patient_id, issued_by, issued_at, COALESCE(confirmed_by, '') FROM "
    "product_issues ";
}  // namespace

absl::StatusOr<ProductIssue> ProductRepository::FindIssue(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<ProductIssue> {
    ProductIssue issue;
    long long key = id, found = 0, product = 0, patient = 0, at = 0;
    tx_.session() << absl::StrCat(kIssueColumns, "WHERE id = :i"), soci::use(key),
        soci::into(found), soci::into(product), soci::into(patient), soci::into(issue.issued_by),
        soci::into(at), soci::into(issue.confirmed_by);
    if (!tx_.session().got_data()) {
      return absl::NotFoundError(absl::StrCat("no issue ", id, ": check the issue number"));
    }
    issue.id = found;
    issue.product_id = product;
    issue.patient_id = patient;
    issue.issued_at = absl::FromUnixMicros(at);
    return issue;
  });
}

absl::StatusOr<std::optional<ProductIssue>> ProductRepository::LatestIssue(int64_t product_id) {
  return Guarded([&]() -> absl::StatusOr<std::optional<ProductIssue>> {
    long long product = product_id, id = 0;
    tx_.session() << "SELECT COALESCE(MAX(id), 0) FROM product_issues WHERE product_id = :p",
        soci::use(product), soci::into(id);
    if (id == 0) return std::optional<ProductIssue>();
    auto issue = FindIssue(id);
    if (!issue.ok()) return issue.status();
    return std::optional<ProductIssue>(*issue);
  });
}

absl::Status ProductRepository::ConfirmIssue(int64_t id, const std::string& by, absl::Time at) {
  return Guarded([&]() -> absl::Status {
    long long key = id, when = absl::ToUnixMicros(at);
    soci::statement st = (tx_.session().prepare << "UPDATE product_issues SET confirmed_by = :b, "
                                                   "confirmed_at = :t WHERE id = :i AND "
                                                   "confirmed_by IS NULL",
                          soci::use(by), soci::use(when), soci::use(key));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError("the issue was confirmed meanwhile; retry");
    }
    return absl::OkStatus();
  });
}

}  // namespace lims::db
