#include "backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "lims/core/net_address.h"
#include "lims/db/audit_log.h"
#include "lims/db/database.h"
#include "lims/db/sqlite_backup.h"
#include "owner_only_file.h"
#include "spdlog/spdlog.h"

extern char** environ;

namespace lims::services {
namespace {

// DIR made for this backup (mode 0700: it holds every patient's data), or an empty one.
absl::Status MakeEmptyDirectory(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0) return absl::OkStatus();
  if (errno != EEXIST) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", dir, ": ", std::strerror(errno)));
  }
  std::error_code unreadable;
  const bool empty = std::filesystem::is_empty(dir, unreadable);
  if (unreadable) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " exists and cannot be read"));
  }
  if (!empty) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " is not empty: a backup never overwrites another; give a new directory"));
  }
  return absl::OkStatus();
}

// Runs `argv` (no shell), its output appended to `log_path`; OK when it exits 0.
absl::Status RunTool(const std::vector<std::string>& argv, const std::string& log_path) {
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &files, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (spawned != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot run ", argv[0], ": ", std::strerror(spawned),
                     " (install Debian's mariadb-backup package on the database's machine)"));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(argv[0], " ", argv.size() > 2 ? argv[2] : "",
                                                    " failed; its output is in ", log_path));
}

// The last line mariadb-backup wrote: what it says went wrong.
std::string LastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// mariadb-backup --backup then --prepare into DIR/mariadb. It copies this machine's data
// directory, so the URL's loopback hosts come first: the server it talks to must be the one
// whose files it reads. The password goes through a file only its owner reads, never on a
// command line (ps shows those).
absl::Status CopyMariaDb(const db::DatabaseUrl& url, const std::string& dir) {
  const std::string credentials = dir + "/.credentials.cnf";
  absl::Status written = WriteOwnerOnlyFile(
      credentials,
      absl::StrCat("[mariadb-backup]\nuser=", url.user, "\npassword=", url.password, "\n"),
      /*replace=*/true, "the backup's credentials file");
  if (!written.ok()) return written;
  const std::string target = dir + "/mariadb";
  const std::string log = dir + "/mariadb-backup.log";
  std::vector<db::DatabaseHost> hosts;
  for (const db::DatabaseHost& host : url.hosts) {
    if (IsLoopbackAddress(host.host) || host.host == "localhost") hosts.push_back(host);
  }
  if (hosts.empty()) {
    spdlog::warn("no loopback host in the URL: mariadb-backup must run on {}", url.hosts[0].host);
    hosts.push_back(url.hosts[0]);
  }
  absl::Status copied = absl::FailedPreconditionError("no database host in the URL");
  for (const db::DatabaseHost& host : hosts) {
    copied = RunTool({"mariadb-backup", "--defaults-extra-file=" + credentials, "--backup",
                      "--target-dir=" + target, "--host=" + host.host,
                      absl::StrCat("--port=", host.port), "--galera-info"},
                     log);
    if (copied.ok()) break;
    spdlog::warn("mariadb-backup from {}:{} failed; trying the next host", host.host, host.port);
    std::error_code ignored;
    std::filesystem::remove_all(target, ignored);
  }
  unlink(credentials.c_str());
  // Prepared now: the copy is consistent on its own and ready for --copy-back.
  if (copied.ok()) copied = RunTool({"mariadb-backup", "--prepare", "--target-dir=" + target}, log);
  if (copied.ok()) return copied;
  // DIR is left empty for the next try; the log goes beside it.
  const std::string kept = dir + ".mariadb-backup.log";
  const std::string said = LastLine(log);
  std::rename(log.c_str(), kept.c_str());
  std::error_code ignored;
  std::filesystem::remove_all(target, ignored);
  return absl::FailedPreconditionError(absl::StrCat(
      "mariadb-backup failed (\"", said, "\"; the whole log is in ", kept,
      "). Its user needs RELOAD, PROCESS, LOCK TABLES and BINLOG MONITOR on *.*, and it must run "
      "on the database's machine"));
}

std::string AnchorText(const db::ChainCheck& chain) {
  return absl::StrCat(
      "# lims audit anchor: the audit chain's head, kept outside the database\nevent ",
      chain.head_event_id, "\nhash ", chain.head_hash, "\n");
}

std::string Manifest(const db::DatabaseUrl& url, absl::Time started, absl::Time finished,
                     const db::ChainCheck& chain) {
  const bool sqlite = url.backend == db::Backend::kSqlite;
  return absl::StrCat(
      "# lims-server backup\nsource ", url.Redacted(), "\nstarted ",
      absl::FormatTime(absl::RFC3339_sec, started, absl::UTCTimeZone()), "\nfinished ",
      absl::FormatTime(absl::RFC3339_sec, finished, absl::UTCTimeZone()), "\ncopy ",
      sqlite ? "lims.db (SQLite online backup)" : "mariadb/ (mariadb-backup, prepared)",
      "\naudit chain ",
      chain.ok ? absl::StrCat("verified up to event ", chain.head_event_id, " (chain-head)")
               : absl::StrCat("BROKEN at event ", chain.first_broken_event_id, ": ", chain.problem),
      "\nrestore ",
      sqlite ? "stop lims-server, copy lims.db over the database file (removing its -wal and "
               "-shm), start lims-server, then lims audit verify --anchor chain-head"
             : "mariadb-backup --copy-back --target-dir=mariadb --datadir=NEW-EMPTY-DIR, "
               "chown -R mysql: NEW-EMPTY-DIR, start MariaDB on it, then lims-server, then "
               "lims audit verify --anchor chain-head",
      "\n");
}

}  // namespace

int RunBackup(const BackupOptions& options) {
  auto url = db::ParseDatabaseUrl(options.db_url);
  if (!url.ok()) {
    spdlog::critical("{}", std::string(url.status().message()));
    return 1;
  }
  if (absl::Status made = MakeEmptyDirectory(options.to_dir); !made.ok()) {
    spdlog::critical("{}", std::string(made.message()));
    return 1;
  }
  const absl::Time started = absl::Now();
  // The chain's head now: every change acknowledged before this instant is in the copy.
  db::ChainCheck chain;
  {
    db::Database::Options small;
    small.pool_size = 1;
    small.prepare = false;  // read only: a backup migrates nothing
    auto db = db::Database::Open(options.db_url, small);
    if (!db.ok()) {
      spdlog::critical("{}", std::string(db.status().message()));
      return 1;
    }
    absl::Status read = (*db)->Read([&](db::Tx& tx) -> absl::Status {
      auto checked = db::AuditLog(tx).Verify();
      if (!checked.ok()) return checked.status();
      chain = *checked;
      return absl::OkStatus();
    });
    if (!read.ok()) {
      spdlog::critical("cannot read the audit chain: {}", std::string(read.message()));
      return 1;
    }
  }
  if (chain.ok) {
    spdlog::info("audit chain verified: {} events, head event {}", chain.events_checked,
                 chain.head_event_id);
  } else {
    spdlog::error("the audit chain is BROKEN at event {} ({}); copying all the same",
                  chain.first_broken_event_id, chain.problem);
  }
  const absl::Status copied =
      url->backend == db::Backend::kSqlite
          ? db::CopySqliteOnline(url->sqlite_path, options.to_dir + "/lims.db")
          : CopyMariaDb(*url, options.to_dir);
  if (!copied.ok()) {
    spdlog::critical("backup failed: {}", std::string(copied.message()));
    return 1;
  }
  absl::Status kept = absl::OkStatus();
  if (!options.signing_key_file.empty()) {
    std::ifstream key(options.signing_key_file, std::ios::binary);
    std::ostringstream bytes;
    bytes << key.rdbuf();
    kept = key ? WriteOwnerOnlyFile(options.to_dir + "/signing-key", bytes.str(), false,
                                    "the signing key's copy")
               : absl::FailedPreconditionError(
                     absl::StrCat("cannot read the signing key ", options.signing_key_file));
  }
  if (kept.ok() && chain.ok) {
    kept = WriteOwnerOnlyFile(options.to_dir + "/chain-head", AnchorText(chain), false,
                              "the chain head");
  }
  if (kept.ok()) {
    kept = WriteOwnerOnlyFile(options.to_dir + "/backup.txt",
                              Manifest(*url, started, absl::Now(), chain), false,
                              "the backup's manifest");
  }
  if (!kept.ok()) {
    spdlog::critical("{}", std::string(kept.message()));
    return 1;
  }
  spdlog::info("backup of {} in {} ({:.1f} s); keep a copy of {}/chain-head elsewhere",
               url->Redacted(), options.to_dir, absl::ToDoubleSeconds(absl::Now() - started),
               options.to_dir);
  return chain.ok ? 0 : 5;
}

}  // namespace lims::services
