#include "lims/db/storage_units.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "like_pattern.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT u.id, COALESCE(u.parent_id, 0), u.kind, u.name, u.rows_count, u.columns_count, "
    "u.path, u.site_id, s.code, u.set_point_celsius, u.alarm_low_celsius, u.alarm_high_celsius, "
    "COALESCE(u.probe_id, ''), u.unit_state FROM storage_units u JOIN sites s ON s.id = u.site_id ";

// An optional temperature as SOCI binds it.
struct NullableDouble {
  double value = 0;
  soci::indicator indicator = soci::i_null;
  explicit NullableDouble(std::optional<double> v = std::nullopt)
      : value(v.value_or(0)), indicator(v ? soci::i_ok : soci::i_null) {}
  std::optional<double> get() const {
    return indicator == soci::i_ok ? std::optional<double>(value) : std::nullopt;
  }
};

std::string KindCode(StorageKind kind) {
  std::string code(KindLabel(kind));
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return code;
}

StorageKind KindFromCode(const std::string& code) {
  for (StorageKind k :
       {StorageKind::kSite, StorageKind::kRoom, StorageKind::kFreezer, StorageKind::kShelf,
        StorageKind::kRack, StorageKind::kTower, StorageKind::kBox, StorageKind::kCanister,
        StorageKind::kCassette, StorageKind::kBin}) {
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
    if (u.parent_id != 0) OpenParentStay(u.id, u.parent_id, now);
    return WriteClimate(u.id, u.climate);
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
    NullableDouble set_point, low, high;
    for (NullableDouble* d : {&set_point, &low, &high}) {
      st.exchange(soci::into(d->value, d->indicator));
    }
    std::string state;
    st.exchange(soci::into(row.climate.probe_id));
    st.exchange(soci::into(state));
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
      row.climate.set_point = set_point.get();
      row.climate.alarm_low = low.get();
      row.climate.alarm_high = high.get();
      auto parsed_state = ParseUnitState(state);
      if (!parsed_state.ok()) throw soci::soci_error("corrupt unit state '" + state + "'");
      row.climate.state = *parsed_state;
      out.push_back(row);
    }
    return out;
  });
}

void StorageUnitRepository::OpenParentStay(int64_t unit_id, int64_t parent_id, absl::Time at) {
  long long unit = unit_id, parent = parent_id, from = absl::ToUnixMicros(at);
  tx_.session() << "INSERT INTO unit_parent_history (unit_id, parent_id, from_at) "
                   "VALUES (:u, :p, :f)",
      soci::use(unit), soci::use(parent), soci::use(from);
}

absl::Status StorageUnitRepository::WriteClimate(int64_t id, const Climate& c) {
  return Guarded([&]() -> absl::Status {
    long long unit = id;
    NullableDouble set_point(c.set_point), low(c.alarm_low), high(c.alarm_high);
    std::string probe = c.probe_id;
    soci::indicator probe_ind = probe.empty() ? soci::i_null : soci::i_ok;
    const std::string state(UnitStateCode(c.state));
    tx_.session() << "UPDATE storage_units SET set_point_celsius = :sp, alarm_low_celsius = :lo, "
                     "alarm_high_celsius = :hi, probe_id = :pr, unit_state = :st WHERE id = :i",
        soci::use(set_point.value, set_point.indicator), soci::use(low.value, low.indicator),
        soci::use(high.value, high.indicator), soci::use(probe, probe_ind), soci::use(state),
        soci::use(unit);
    return absl::OkStatus();
  });
}

absl::Status StorageUnitRepository::Move(const StorageUnit& unit, const StorageUnit& new_parent,
                                         absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long id = unit.id, parent = new_parent.id, at = absl::ToUnixMicros(now);
    tx_.session() << "UPDATE unit_parent_history SET to_at = :t WHERE unit_id = :u "
                     "AND to_at IS NULL",
        soci::use(at), soci::use(id);
    OpenParentStay(unit.id, new_parent.id, now);
    // The unit's path and every path below it start with the new parent's.
    const std::string old_prefix = unit.path;
    const std::string new_prefix = JoinPath(new_parent.path, unit.kind, unit.name);
    std::vector<long long> ids;
    std::vector<std::string> paths;
    {
      long long row_id = 0;
      std::string path;
      const std::string below = BelowPath(old_prefix);
      soci::statement st =
          (tx_.session().prepare
               << "SELECT id, path FROM storage_units WHERE path LIKE :p ESCAPE '!'",
           soci::use(below), soci::into(row_id), soci::into(path));
      st.execute();
      while (st.fetch()) {
        if (path.compare(0, old_prefix.size() + 3, old_prefix + " / ") != 0) continue;
        ids.push_back(row_id);
        paths.push_back(new_prefix + path.substr(old_prefix.size()));
      }
    }
    tx_.session() << "UPDATE storage_units SET parent_id = :p, path = :path WHERE id = :i",
        soci::use(parent), soci::use(new_prefix), soci::use(id);
    for (size_t i = 0; i < ids.size(); ++i) {
      tx_.session() << "UPDATE storage_units SET path = :path WHERE id = :i", soci::use(paths[i]),
          soci::use(ids[i]);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<UnitStay>> StorageUnitRepository::StaysBetween(const char* key_column,
                                                                          int64_t key,
                                                                          absl::Time from,
                                                                          absl::Time to) {
  return Guarded([&]() -> absl::StatusOr<std::vector<UnitStay>> {
    std::vector<UnitStay> out;
    long long k = key, f = absl::ToUnixMicros(from), t = absl::ToUnixMicros(to);
    long long unit = 0, parent = 0, stay_from = 0, stay_to = 0;
    soci::indicator to_ind = soci::i_null;
    std::string kind;
    soci::statement st(tx_.session());
    st.exchange(soci::into(unit));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(parent));
    st.exchange(soci::into(stay_from));
    st.exchange(soci::into(stay_to, to_ind));
    st.exchange(soci::use(k));
    st.exchange(soci::use(t));
    st.exchange(soci::use(f));
    Prepare(st, absl::StrCat("SELECT h.unit_id, u.kind, h.parent_id, h.from_at, h.to_at "
                             "FROM unit_parent_history h JOIN storage_units u ON u.id = h.unit_id "
                             "WHERE h.",
                             key_column,
                             " = :k AND h.from_at < :t AND (h.to_at IS NULL OR h.to_at > :f) "
                             "ORDER BY h.from_at"));
    st.execute();
    while (st.fetch()) {
      out.push_back({unit, KindFromCode(kind), parent, absl::FromUnixMicros(stay_from),
                     to_ind == soci::i_null
                         ? std::nullopt
                         : std::optional<absl::Time>(absl::FromUnixMicros(stay_to))});
    }
    return out;
  });
}

absl::StatusOr<std::vector<UnitStay>> StorageUnitRepository::ChildrenBetween(int64_t parent_id,
                                                                             absl::Time from,
                                                                             absl::Time to) {
  return StaysBetween("parent_id", parent_id, from, to);
}

absl::StatusOr<std::vector<UnitStay>> StorageUnitRepository::ParentsBetween(int64_t unit_id,
                                                                            absl::Time from,
                                                                            absl::Time to) {
  return StaysBetween("unit_id", unit_id, from, to);
}

absl::StatusOr<std::vector<BoxInterval>> StorageUnitRepository::BoxesUnderBetween(
    const StorageUnit& unit, absl::Time from, absl::Time to) {
  std::vector<BoxInterval> out;
  if (unit.kind == StorageKind::kBox) {
    out.push_back({unit.id, from, to});
    return out;
  }
  // Down the tree as it was: each level narrows the window to the child's stay.
  std::vector<BoxInterval> pending = {{unit.id, from, to}};
  while (!pending.empty()) {
    const BoxInterval parent = pending.back();
    pending.pop_back();
    auto children = ChildrenBetween(parent.box_id, parent.from, parent.to);
    if (!children.ok()) return children.status();
    for (const UnitStay& child : *children) {
      const absl::Time f = std::max(parent.from, child.from);
      const absl::Time t = child.to ? std::min(parent.to, *child.to) : parent.to;
      if (t <= f) continue;
      if (child.unit_kind == StorageKind::kBox) {
        out.push_back({child.unit_id, f, t});
      } else {
        pending.push_back({child.unit_id, f, t});
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<StorageUnit>> StorageUnitRepository::Subtree(const StorageUnit& unit) {
  const std::string below = BelowPath(unit.path);
  return Query(
      absl::StrCat("WHERE u.id = ", unit.id, " OR u.path LIKE :n ESCAPE '!' ORDER BY u.path"), {},
      &below);
}

absl::StatusOr<std::vector<std::pair<StorageUnit, int>>> StorageUnitRepository::BoxesWithRoom(
    int64_t site_id, int rows, int columns, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<std::pair<StorageUnit, int>>> {
    std::vector<std::pair<StorageUnit, int>> out;
    long long site = site_id, id = 0, taken = 0;
    int capacity = rows * columns;
    std::string path;
    soci::statement st = (tx_.session().prepare << absl::StrCat(
                              "SELECT b.id, b.path, COUNT(pl.sample_id) FROM storage_units b "
                              "LEFT JOIN placements pl ON pl.box_id = b.id WHERE b.site_id = :s "
                              "AND b.kind = 'BOX' AND b.rows_count = :r AND b.columns_count = :c "
                              "GROUP BY b.id, b.path HAVING COUNT(pl.sample_id) < :cap "
                              "ORDER BY b.id LIMIT ",
                              limit),
                          soci::use(site), soci::use(rows), soci::use(columns), soci::use(capacity),
                          soci::into(id), soci::into(path), soci::into(taken));
    st.execute();
    while (st.fetch()) {
      StorageUnit box;
      box.id = id;
      box.path = path;
      box.kind = StorageKind::kBox;
      box.rows = rows;
      box.columns = columns;
      box.site_id = site_id;
      out.push_back({box, static_cast<int>(taken)});
    }
    return out;
  });
}

absl::StatusOr<std::optional<StorageUnit>> StorageUnitRepository::FindByProbe(
    const std::string& probe_id) {
  auto found = Query("WHERE u.probe_id = :n", {}, &probe_id);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<StorageUnit>();
  return std::optional<StorageUnit>(found->front());
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
  // LIKE's wildcards in the text are literal.
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string pattern = "%" + LikeLiteral(lower) + "%";
  // The name is bound last (Query's order), so the kind and limit are written in: both are
  // values of ours, never the caller's text.
  const std::string where = absl::StrCat(
      "WHERE u.id > :a", kind ? absl::StrCat(" AND u.kind = '", KindCode(*kind), "'") : "",
      " AND LOWER(u.name) LIKE :n ESCAPE '!' ORDER BY u.id LIMIT ", limit);
  return Query(where, {after_id}, &pattern);
}

}  // namespace lims::db
