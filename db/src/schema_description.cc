#include "lims/db/schema_description.h"

#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "soci/soci.h"

namespace lims::db {
namespace {

std::vector<std::string> Strings(soci::session& sql, const std::string& query) {
  std::vector<std::string> out;
  std::string value;
  soci::statement st = (sql.prepare << query, soci::into(value));
  st.execute();
  while (st.fetch()) out.push_back(value);
  return out;
}

void DescribeSqlite(soci::session& sql, std::set<std::string>& facts) {
  for (const std::string& table :
       Strings(sql, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%'")) {
    const std::string quoted = absl::StrCat("'", table, "'");
    for (const std::string& column :
         Strings(sql, absl::StrCat("SELECT name FROM pragma_table_info(", quoted, ")"))) {
      facts.insert(absl::StrCat(table, ".", column));
    }
    std::vector<std::string> pk = Strings(
        sql, absl::StrCat("SELECT name FROM pragma_table_info(", quoted, ") WHERE pk > 0 ORDER BY pk"));
    facts.insert(absl::StrCat(table, " PK(", absl::StrJoin(pk, ","), ")"));
    for (const bool unique : {true, false}) {
      for (const std::string& index :
           Strings(sql, absl::StrCat("SELECT name FROM pragma_index_list(", quoted,
                                     ") WHERE origin <> 'pk' AND \"unique\" = ", unique ? 1 : 0))) {
        std::vector<std::string> cols = Strings(
            sql, absl::StrCat("SELECT name FROM pragma_index_info('", index, "') ORDER BY seqno"));
        // Unique constraints are compared by their columns: SQLite names them itself.
        const std::string kind = unique ? "UNIQUE" : absl::StrCat("INDEX ", index);
        facts.insert(absl::StrCat(table, " ", kind, "(", absl::StrJoin(cols, ","), ")"));
      }
    }
  }
}

void DescribeMariaDb(soci::session& sql, std::set<std::string>& facts) {
  for (const std::string& column :
       Strings(sql, "SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns "
                    "WHERE table_schema = DATABASE()")) {
    facts.insert(column);
  }
  // InnoDB adds an index for every foreign key; only our own named indexes (ix_*) count.
  std::map<std::string, std::vector<std::string>> indexes;
  std::map<std::string, std::string> kinds;
  std::string table, name, column;
  int non_unique = 0;
  soci::statement st =
      (sql.prepare << "SELECT table_name, index_name, column_name, non_unique FROM "
                      "information_schema.statistics WHERE table_schema = DATABASE() "
                      "ORDER BY table_name, index_name, seq_in_index",
       soci::into(table), soci::into(name), soci::into(column), soci::into(non_unique));
  st.execute();
  while (st.fetch()) {
    const std::string key = table + " " + name;
    indexes[key].push_back(column);
    kinds[key] = name == "PRIMARY" ? "PK" : non_unique ? "INDEX" : "UNIQUE";
  }
  for (const auto& [key, cols] : indexes) {
    const std::string tbl = key.substr(0, key.find(' '));
    const std::string idx = key.substr(key.find(' ') + 1);
    const std::string& kind = kinds[key];
    if (kind == "INDEX" && !absl::StartsWith(idx, "ix_")) continue;
    const std::string label = kind == "INDEX" ? absl::StrCat(" ", idx) : "";
    facts.insert(absl::StrCat(tbl, " ", kind, label, "(", absl::StrJoin(cols, ","), ")"));
  }
}

}  // namespace

absl::StatusOr<std::map<std::string, int64_t>> CountRows(Database& db) {
  std::map<std::string, int64_t> counts;
  absl::Status status = db.Read([&](Tx& tx) -> absl::Status {
    const std::string tables_query =
        tx.backend() == Backend::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()";
    for (const std::string& table : Strings(tx.session(), tables_query)) {
      long long count = 0;
      tx.session() << "SELECT COUNT(*) FROM " << table, soci::into(count);
      counts[table] = count;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

absl::StatusOr<std::set<std::string>> DescribeSchema(Database& db) {
  std::set<std::string> facts;
  absl::Status status = db.Read([&](Tx& tx) -> absl::Status {
    if (tx.backend() == Backend::kSqlite) {
      DescribeSqlite(tx.session(), facts);
    } else {
      DescribeMariaDb(tx.session(), facts);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return facts;
}

}  // namespace lims::db
