#include "lims/db/sqlite_backup.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"

namespace lims::db {
namespace {

// Closes a connection however the copy ends.
struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close(db); }
};

absl::Status Failed(const std::string& what, sqlite3* db) {
  return absl::FailedPreconditionError(
      absl::StrCat(what, ": ", db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

absl::Status CopySqliteOnline(const std::string& source_path, const std::string& target_path) {
  struct stat seen {};
  if (stat(source_path.c_str(), &seen) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no database file at ", source_path, ": check --db"));
  }
  if (stat(target_path.c_str(), &seen) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(target_path, " exists already: a backup never overwrites another"));
  }
  Connection source, target;
  if (sqlite3_open_v2(source_path.c_str(), &source.db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    return Failed(absl::StrCat("cannot open ", source_path), source.db);
  }
  // The server's writers hold the write lock for a moment at a time: wait for them.
  sqlite3_busy_timeout(source.db, 10000);
  if (sqlite3_open_v2(target_path.c_str(), &target.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return Failed(absl::StrCat("cannot create ", target_path), target.db);
  }
  sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
  if (!backup) return Failed("cannot start the backup", target.db);
  // All pages in one step: one read snapshot (in WAL mode writers are not held up), where
  // steps of a few pages would start again after every write.
  int rc;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_OK);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Failed("the backup failed", target.db);
  // The copy is one self-contained file (no -wal beside it).
  char* error = nullptr;
  if (sqlite3_exec(target.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &error) !=
      SQLITE_OK) {
    const std::string message = error ? error : "unknown";
    sqlite3_free(error);
    return absl::FailedPreconditionError(absl::StrCat("cannot finish the copy: ", message));
  }
  return absl::OkStatus();
}

}  // namespace lims::db
