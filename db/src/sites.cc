#include "lims/db/sites.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {
constexpr char kSelect[] = "SELECT id, code, name FROM sites ";
}

absl::Status SiteRepository::Insert(Site& site, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(now);
    tx_.session() << "INSERT INTO sites (code, name, created_at) VALUES (:c, :n, :t)",
        soci::use(site.code), soci::use(site.name), soci::use(at);
    site.id = LastInsertId(tx_, "sites");
    return absl::OkStatus();
  });
}

absl::StatusOr<Site> SiteRepository::FindByCode(const std::string& code) {
  return Guarded([&]() -> absl::StatusOr<Site> {
    Site site;
    long long id = 0;
    const std::string key(code);
    tx_.session() << kSelect << "WHERE code = :c", soci::use(key), soci::into(id),
        soci::into(site.code), soci::into(site.name);
    if (!tx_.session().got_data()) {
      return absl::NotFoundError(
          absl::StrCat("site '", code, "' does not exist; create it first (lims site create)"));
    }
    site.id = id;
    return site;
  });
}

absl::StatusOr<Site> SiteRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<Site> {
    Site site;
    long long key = id;
    tx_.session() << kSelect << "WHERE id = :i", soci::use(key), soci::into(key),
        soci::into(site.code), soci::into(site.name);
    if (!tx_.session().got_data()) return absl::NotFoundError(absl::StrCat("site ", id));
    site.id = id;
    return site;
  });
}

absl::StatusOr<std::vector<Site>> SiteRepository::List(int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Site>> {
    std::vector<Site> out;
    Site row;
    long long id = 0;
    long long after = after_id;
    soci::statement st = (tx_.session().prepare << kSelect << "WHERE id > :a ORDER BY id LIMIT :l",
                          soci::use(after), soci::use(limit), soci::into(id),
                          soci::into(row.code), soci::into(row.name));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      out.push_back(row);
    }
    return out;
  });
}

}  // namespace lims::db
