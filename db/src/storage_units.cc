#include "lims/db/storage_units.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT u.id, COALESCE(u.parent_id, 0), u.kind, u.name, u.rows_count, u.columns_count, "
    "u.path, u.site_id, s.code FROM storage_units u JOIN sites s ON s.id = u.site_id ";

std::string KindCode(StorageKind kind) {
  std::string code(KindLabel(kind));
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return code;
}

StorageKind KindFromCode(const std::string& code) {
  for (StorageKind k : {StorageKind::kSite, StorageKind::kRoom, StorageKind::kFreezer,
                        StorageKind::kShelf, StorageKind::kRack, StorageKind::kTower,
                        StorageKind::kBox}) {
    if (KindCode(k) == code) return k;
  }
  throw soci::soci_error("corrupt storage kind '" + code + "'");
}

}  // namespace

absl::Status StorageUnitRepository::Insert(StorageUnit& u, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long parent = u.parent_id, site = u.site_id, at = absl::ToUnixMicros(now);
    soci::indicator parent_ind = u.parent_id == 0 ? soci::i_null : soci::i_ok;
    const std::string kind = KindCode(u.kind);
    tx_.session() << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, "
                     "path, site_id, created_at) VALUES (:p, :k, :n, :r, :c, :path, :s, :t)",
        soci::use(parent, parent_ind), soci::use(kind), soci::use(u.name), soci::use(u.rows),
        soci::use(u.columns), soci::use(u.path), soci::use(site), soci::use(at);
    u.id = LastInsertId(tx_, "storage_units");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<StorageUnit>> StorageUnitRepository::Query(
    const std::string& where, const std::vector<long long>& values, const std::string* name) {
  return Guarded([&]() -> absl::StatusOr<std::vector<StorageUnit>> {
    std::vector<StorageUnit> out;
    long long id = 0, parent = 0, site = 0;
    std::string kind;
    StorageUnit row;
    std::vector<long long> bound = values;  // soci binds by reference
    soci::statement st(tx_.session());
    for (auto* v : {&id, &parent}) st.exchange(soci::into(*v));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(row.name));
    st.exchange(soci::into(row.rows));
    st.exchange(soci::into(row.columns));
    st.exchange(soci::into(row.path));
    st.exchange(soci::into(site));
    st.exchange(soci::into(row.site_code));
    for (long long& v : bound) st.exchange(soci::use(v));
    std::string name_value = name ? *name : std::string();
    if (name) st.exchange(soci::use(name_value));
    Prepare(st, kSelect + where);
    st.execute();
    while (st.fetch()) {
      row.id = id;
      row.parent_id = parent;
      row.site_id = site;
      row.kind = KindFromCode(kind);
      out.push_back(row);
    }
    return out;
  });
}

absl::StatusOr<StorageUnit> StorageUnitRepository::FindById(int64_t id) {
  auto found = Query("WHERE u.id = :i", {id}, nullptr);
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return absl::NotFoundError(absl::StrCat(
        "storage unit ", id, " does not exist; check the id (lims storage tree lists them)"));
  }
  return found->front();
}

absl::StatusOr<std::optional<StorageUnit>> StorageUnitRepository::FindChildByName(
    int64_t parent_id, const std::string& name) {
  const std::string key(name);
  auto found = Query("WHERE u.parent_id = :p AND u.name = :n", {parent_id}, &key);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<StorageUnit>();
  return std::optional<StorageUnit>(found->front());
}

absl::StatusOr<std::optional<StorageUnit>> StorageUnitRepository::FindSiteRoot(int64_t site_id) {
  auto found = Query("WHERE u.site_id = :s AND u.parent_id IS NULL", {site_id}, nullptr);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<StorageUnit>();
  return std::optional<StorageUnit>(found->front());
}

absl::StatusOr<std::vector<StorageUnit>> StorageUnitRepository::ListChildren(int64_t parent_id,
                                                                             int64_t after_id,
                                                                             int limit) {
  if (parent_id == 0) {
    return Query("WHERE u.parent_id IS NULL AND u.id > :a ORDER BY u.id LIMIT :l",
                 {after_id, limit}, nullptr);
  }
  return Query("WHERE u.parent_id = :p AND u.id > :a ORDER BY u.id LIMIT :l",
               {parent_id, after_id, limit}, nullptr);
}

absl::StatusOr<std::vector<StorageUnit>> StorageUnitRepository::SearchByName(
    const std::string& text, std::optional<StorageKind> kind, int64_t after_id, int limit) {
  // LIKE's wildcards in the text are literal ('!' escapes them on both databases).
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') pattern += '!';
    pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  pattern += '%';
  // The name is bound last (Query's order), so the kind and limit are written in: both are
  // values of ours, never the caller's text.
  const std::string where = absl::StrCat(
      "WHERE u.id > :a", kind ? absl::StrCat(" AND u.kind = '", KindCode(*kind), "'") : "",
      " AND LOWER(u.name) LIKE :n ESCAPE '!' ORDER BY u.id LIMIT ", limit);
  return Query(where, {after_id}, &pattern);
}

}  // namespace lims::db
