#include "migrations.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "dialect.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

void EnsureMigrationTable(soci::session& sql) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
         "name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)";
}

bool IsApplied(soci::session& sql, int version) {
  int found = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(version),
      soci::into(found);
  return found > 0;
}

// Statements end with ';' at the end of a line; '--' comment lines are dropped.
std::vector<std::string> Statements(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      current.erase(current.find_last_of(';'));
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) out.push_back(current);
  return out;
}

}  // namespace

absl::Status ApplyMigrations(soci::session& sql, Backend backend) {
  return Guarded([&]() -> absl::Status {
    // Two servers starting at once on one MariaDB: the second waits for the first.
    if (backend == Backend::kMariaDb) {
      int got = 0;
      sql << "SELECT GET_LOCK('lims_schema_migration', 60)", soci::into(got);
      if (got != 1) return absl::UnavailableError("could not take the schema migration lock");
    }
    EnsureMigrationTable(sql);
    absl::Status status;
    // Every migration not recorded yet runs, in version order: a migration merged later with a
    // lower number than one already applied is not skipped.
    for (const Migration& m : EmbeddedMigrations()) {
      sql << BeginWriteSql(backend);
      // Checked inside the transaction: another process may have applied it meanwhile.
      if (IsApplied(sql, m.version)) {
        sql << "ROLLBACK";
        continue;
      }
      try {
        for (const std::string& statement : Statements(ExpandMigration(m.sql, backend))) {
          sql << statement;
        }
        const long long now = absl::ToUnixMicros(absl::Now());
        const std::string name(m.name);
        sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
            soci::use(m.version), soci::use(name), soci::use(now);
        sql << "COMMIT";
      } catch (const std::exception& e) {
        sql << "ROLLBACK";
        status = absl::InternalError(
            absl::StrCat("migration ", m.version, " (", m.name, ") failed: ", e.what()));
        break;
      }
    }
    if (backend == Backend::kMariaDb) sql << "DO RELEASE_LOCK('lims_schema_migration')";
    return status;
  });
}

}  // namespace lims::db
