#include "lims/db/database.h"

#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backfills.h"
#include "connection_cache.h"
#include "dialect.h"
#include "lims/db/audit_log.h"
#include "migrations.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

// SOCI connection strings quote values with single quotes and have no escape for a quote inside,
// so refuse such values rather than let them be mis-parsed.
absl::StatusOr<std::string> Quoted(absl::string_view value, absl::string_view what) {
  if (value.find('\'') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("database ", what, " must not contain a single quote"));
  }
  return absl::StrCat("'", value, "'");
}

// Whether the session's server can serve now: it answers, and a Galera node is in the primary
// component and synced (a node cut off from the others still answers, but not for data).
absl::Status ProbeReady(soci::session& session, Backend backend) {
  if (backend == Backend::kSqlite) {
    return Guarded([&]() -> absl::Status {
      session << "SELECT 1";
      return absl::OkStatus();
    });
  }
  // Without the causal wait: on a node cut off from the others it would only time out.
  absl::Status ready = Guarded([&]() -> absl::Status {
    session << "SET SESSION wsrep_sync_wait=0";
    int galera = 0;
    session << "SELECT @@wsrep_on", soci::into(galera);
    std::string name, state = "ON";
    if (galera) session << "SHOW STATUS LIKE 'wsrep_ready'", soci::into(name), soci::into(state);
    session << "SET SESSION wsrep_sync_wait=1";
    return state == "ON" ? absl::OkStatus() : ConnectionLost();
  });
  // A failure here is the connection's or the node's, whatever its code.
  return ready.ok() ? ready : ConnectionLost();
}

// Opens `session` on SQLite, or on MariaDB host `host` of the URL, runs the session set-up and
// checks that the server is ready to serve (ProbeReady).
absl::Status OpenSession(soci::session& session, const DatabaseUrl& url, std::size_t host) {
  return Guarded([&]() -> absl::Status {
    if (url.backend == Backend::kSqlite) {
      // SOCI 4.0's SQLite backend takes a bare file name when the string has no '=' (its
      // key=value form has no quoting); the busy timeout is set by PRAGMA instead.
      if (url.sqlite_path.find('=') != std::string::npos) {
        return absl::InvalidArgumentError("the SQLite file path must not contain '='");
      }
      // A pooled connection serves one thread at a time (a lease), so SQLite's own lock
      // around every call on a connection (its default, "serialized") only costs: two mutex
      // operations for each value read. Set before SQLite's first use in the process; if
      // something used it before, it stays serialized, which is as correct.
      static std::once_flag multithread;
      std::call_once(multithread, [] { ::sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD); });
      session.open(soci::sqlite3, url.sqlite_path);
    } else {
      auto name = Quoted(url.hosts[host].host, "host");
      if (!name.ok()) return name.status();
      auto user = Quoted(url.user, "user");
      auto password = Quoted(url.password, "password");
      auto db = Quoted(url.database, "name");
      if (!user.ok()) return user.status();
      if (!password.ok()) return password.status();
      if (!db.ok()) return db.status();
      // A dead host is given up after a few seconds for the next one.
      session.open(soci::mysql, absl::StrCat("host=", *name, " port=", url.hosts[host].port,
                                             " user=", *user, " password=", *password, " db=", *db,
                                             " charset=utf8mb4 connect_timeout=3"));
    }
    for (absl::string_view statement : absl::StrSplit(SessionSetupSql(url.backend), ';')) {
      session << std::string(statement);
    }
    return ProbeReady(session, url.backend);
  });
}

// RAII lease of one pooled session; a caller who has to wait for one is counted.
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::atomic<uint64_t>& waits) : pool_(pool) {
    if (!pool.try_lease(index_, 0)) {
      waits.fetch_add(1, std::memory_order_relaxed);
      index_ = pool.lease();
    }
  }
  ~Lease() { pool_.give_back(index_); }
  soci::session& session() { return pool_.at(index_); }
  std::size_t index() const { return index_; }

 private:
  soci::connection_pool& pool_;
  std::size_t index_ = 0;
};

// Ends a transaction left open by a failed statement; failing here (e.g. "no transaction is
// active") is expected and harmless.
void RollbackQuietly(soci::session& sql) {
  try {
    sql << "ROLLBACK";
  } catch (const std::exception&) {
  }
}

void Backoff(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  const int max_ms = 1 << std::min(attempt, 6);
  std::this_thread::sleep_for(
      std::chrono::microseconds(std::uniform_int_distribution<int>(100, max_ms * 1000)(rng)));
}

}  // namespace

Database::Database(DatabaseUrl url, Options options)
    : url_(std::move(url)),
      options_(options),
      pool_(std::make_unique<soci::connection_pool>(options.pool_size)),
      lost_(options.pool_size, 0),
      slot_host_(options.pool_size, 0) {
  for (std::size_t i = 0; i < options.pool_size; ++i) {
    caches_.push_back(std::make_unique<ConnectionCache>());
  }
}

bool Database::StillConnected(std::size_t slot) {
  const absl::Status alive = ProbeReady(pool_->at(slot), url_.backend);
  if (absl::IsUnavailable(alive)) lost_[slot] = 1;
  return !lost_[slot];
}

absl::Status Database::OpenSlot(std::size_t slot, std::size_t first) {
  const std::size_t hosts = url_.backend == Backend::kSqlite ? 1 : url_.hosts.size();
  absl::Status opened;
  for (std::size_t k = 0; k < hosts; ++k) {
    const std::size_t host = (first + k) % hosts;
    soci::session& sql = pool_->at(slot);
    if (k > 0) {
      Guarded([&]() -> absl::Status {
        sql.close();
        return absl::OkStatus();
      }).IgnoreError();
    }
    opened = OpenSession(sql, url_, host);
    if (opened.ok()) {
      slot_host_[slot] = host;
      return opened;
    }
    if (!absl::IsUnavailable(opened)) return opened;  // a bad URL, not a dead host
  }
  return opened;
}

absl::Status Database::Reconnect(std::size_t slot) {
  reconnects_.fetch_add(1, std::memory_order_relaxed);
  // The cached statements belong to the old connection: gone before it is closed.
  caches_[slot] = std::make_unique<ConnectionCache>();
  Guarded([&]() -> absl::Status {
    pool_->at(slot).close();
    return absl::OkStatus();
  }).IgnoreError();
  // The host after the lost one first: it is likely the host that died (a Galera node).
  const absl::Status opened = OpenSlot(slot, slot_host_[slot] + 1);
  lost_[slot] = opened.ok() ? 0 : 1;
  return opened.ok() ? opened : ConnectionLost();
}

void Database::ReleaseIdleMemory() {
  if (url_.backend != Backend::kSqlite) return;  // MariaDB's caches are the server's
  // Every session no call holds now, leased for a moment (a call arriving meanwhile waits).
  std::vector<std::size_t> idle;
  std::size_t slot = 0;
  while (idle.size() < options_.pool_size && pool_->try_lease(slot, 0)) idle.push_back(slot);
  for (std::size_t s : idle) {
    if (!lost_[s]) {
      ::sqlite_api::sqlite3_db_release_memory(
          static_cast<soci::sqlite3_session_backend*>(pool_->at(s).get_backend())->conn_);
    }
    pool_->give_back(s);
  }
}

Database::Counters Database::counters() const {
  return {pool_waits_.load(std::memory_order_relaxed),
          transaction_retries_.load(std::memory_order_relaxed),
          reconnects_.load(std::memory_order_relaxed)};
}

// Cached statements go before the sessions they were prepared on.
Database::~Database() { caches_.clear(); }

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& url_text,
                                                         const Options& options) {
  auto url = ParseDatabaseUrl(url_text);
  if (!url.ok()) return url.status();
  if (options.pool_size == 0) return absl::InvalidArgumentError("pool size must be positive");
  std::unique_ptr<Database> db(new Database(*url, options));
  // Migrate on the first connection before the pool serves anyone.
  for (std::size_t i = 0; i < options.pool_size; ++i) {
    // Every connection on the first host that answers: writes spread over Galera nodes
    // would conflict at certification far more often.
    absl::Status opened = db->OpenSlot(i, 0);
    if (!opened.ok()) {
      return absl::Status(opened.code(), absl::StrCat("cannot open database ", db->url_.Redacted(),
                                                      ": ", opened.message()));
    }
    if (i == 0 && options.prepare) {
      absl::Status migrated = ApplyMigrations(db->pool_->at(0), db->url_.backend);
      if (!migrated.ok()) return migrated;
    }
  }
  if (!options.prepare) return db;
  absl::Status sealed = db->SealAuditTrail();
  if (!sealed.ok()) return sealed;
  absl::Status backfilled = db->Write(RunBackfills);
  if (!backfilled.ok()) return backfilled;
  return db;
}

absl::Status Database::Write(const std::function<absl::Status(Tx&)>& work) {
  Lease lease(*pool_, pool_waits_);
  const std::size_t slot = lease.index();
  soci::session& sql = lease.session();
  absl::Status status;
  int reconnects = 0;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (lost_[slot]) {
      if (absl::Status reopened = Reconnect(slot); !reopened.ok()) return reopened;
    }
    bool open = false;        // whether a transaction may still need ending
    bool committing = false;  // COMMIT sent: the outcome is the server's
    status = Guarded([&]() -> absl::Status {
      sql << BeginWriteSql(url_.backend);
      open = true;
      Tx tx(sql, url_.backend, *caches_[slot]);
      absl::Status result = work(tx);
      committing = result.ok();
      sql << (result.ok() ? "COMMIT" : "ROLLBACK");
      open = false;
      return result;
    });
    // UNAVAILABLE is also what `work` says of other things (a printer), and ABORTED what a
    // Galera node cut off from the others answers (a lock wait timeout): the connection decides.
    if ((absl::IsUnavailable(status) || absl::IsAborted(status)) && !StillConnected(slot)) {
      if (committing) {
        return absl::UnavailableError(
            "the database connection was lost while saving: whether the change was saved is "
            "not known; retrying with the same request_id is safe (a saved call answers as "
            "before)");
      }
      // Nothing was saved (the server rolls back a lost connection's transaction).
      if (++reconnects > 2) return absl::IsAborted(status) ? ConnectionLost() : status;
      transaction_retries_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (open) RollbackQuietly(sql);
    if (status.code() != absl::StatusCode::kAborted || attempt == options_.max_attempts) {
      return status;
    }
    transaction_retries_.fetch_add(1, std::memory_order_relaxed);
    Backoff(attempt);
  }
  return status;
}

// At Open rather than lazily at the first append: one pass before anyone is served instead of a
// check in every append, and a trail nobody appends to any more still becomes verifiable. Batches
// of 1000 keep each transaction short; after a crash the head marks the last sealed row and the
// next start goes on from there (two servers starting at once queue on the head's lock).
absl::Status Database::SealAuditTrail() {
  constexpr int kBatch = 1000;
  for (;;) {
    int sealed = 0;
    absl::Status status = Write([&](Tx& tx) -> absl::Status {
      auto done = AuditLog(tx).SealUnchained(kBatch);
      if (!done.ok()) return done.status();
      sealed = *done;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (sealed < kBatch) return absl::OkStatus();
  }
}

absl::Status Database::Read(const std::function<absl::Status(Tx&)>& work) {
  Lease lease(*pool_, pool_waits_);
  const std::size_t slot = lease.index();
  for (int attempt = 1;; ++attempt) {
    if (lost_[slot]) {
      if (absl::Status reopened = Reconnect(slot); !reopened.ok()) return reopened;
    }
    Tx tx(lease.session(), url_.backend, *caches_[slot]);
    absl::Status status = Guarded([&] { return work(tx); });
    if (attempt < 3 && (absl::IsUnavailable(status) || absl::IsAborted(status)) &&
        !StillConnected(slot)) {
      continue;
    }
    if (absl::IsAborted(status) && lost_[slot]) return ConnectionLost();
    return status;
  }
}

absl::StatusOr<int> Database::SchemaVersion() {
  int version = 0;
  absl::Status status = Read([&](Tx& tx) -> absl::Status {
    soci::indicator ind = soci::i_null;
    tx.session() << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    if (ind != soci::i_ok) version = 0;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return version;
}

}  // namespace lims::db
