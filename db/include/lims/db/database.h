// The persistence entry point: a pool of SOCI sessions on SQLite (embedded default) or MariaDB,
// migrated at Open(), and transactions that retry lost races.
//
// Nothing above db/ sees a SOCI exception: every failure is an absl::Status.
//   ABORTED          a concurrent update won (deadlock, unique-key race, stale version); the
//                    whole transaction may be retried — Write() already retries a few times.
//   UNAVAILABLE      the database cannot be reached. A lost connection (a restart, a network
//                    blip, wait_timeout) is reopened by the next call that leases it — on the
//                    next of the URL's hosts (a Galera node) that answers; a call whose
//                    transaction never reached COMMIT runs again on the new connection.
//   INTERNAL         anything else (logged with the SQL error, without its values).
// No message carries SQL text, bound values or the database's own words.
#ifndef LIMS_DB_DATABASE_H_
#define LIMS_DB_DATABASE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lims/db/database_url.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace lims::db {

class ConnectionCache;

// A leased session, inside a transaction for Write() and in autocommit for Read().
// Repositories are built on it; it must not outlive the callback that received it.
class Tx {
 public:
  Tx(soci::session& session, Backend backend, ConnectionCache& cache)
      : session_(session), backend_(backend), cache_(cache) {}
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  soci::session& session() { return session_; }
  Backend backend() const { return backend_; }
  // Prepared statements kept with this connection (db/src/connection_cache.h).
  ConnectionCache& cache() { return cache_; }

 private:
  soci::session& session_;
  Backend backend_;
  ConnectionCache& cache_;
};

class Database {
 public:
  struct Options {
    // Sessions in the pool; callers beyond that wait for a free one.
    std::size_t pool_size = 8;
    // Attempts of a Write() whose transaction is ABORTED by a concurrent one.
    int max_attempts = 8;
    // Apply pending migrations, chain unchained audit events and run data backfills at Open.
    // False for tools that only read a live database (a backup): they change nothing.
    bool prepare = true;
  };

  // Connects, applies pending migrations, fills the pool, and adds audit events written before
  // the hash chain existed to the chain.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& url,
                                                        const Options& options);
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& url) {
    return Open(url, Options());
  }

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `work` in one transaction: committed when it returns OK, rolled back otherwise. A
  // transaction ABORTED by a concurrent one (including at commit), or whose connection was
  // lost before COMMIT was sent, runs again from the start, so `work` must not have effects
  // outside the transaction other than overwriting its outputs. A connection lost during
  // COMMIT is UNAVAILABLE saying that the outcome is unknown.
  absl::Status Write(const std::function<absl::Status(Tx&)>& work);

  // Runs `work` on a leased session without a transaction (single-statement reads); once more
  // on a new connection when the connection was lost.
  absl::Status Read(const std::function<absl::Status(Tx&)>& work);

  Backend backend() const { return url_.backend; }

  // Since Open, for /metrics: calls that waited for a pooled connection, transactions run
  // again after a conflict (deadlock, Galera certification) or a lost connection, and
  // connections reopened.
  struct Counters {
    uint64_t pool_waits = 0;
    uint64_t transaction_retries = 0;
    uint64_t reconnects = 0;
  };
  Counters counters() const;

  // Gives back the page cache of every pooled SQLite connection no call holds now (up to 2 MB
  // each, the pages it read): an idle server keeps no more than it needs to start, whatever
  // the database's size. The pages stay in the operating system's file cache, and a
  // connection reads the ones it needs again from there, a few microseconds each: run every
  // 30 s (services/server/memory_trim.h), that is at most 16 MB of pages read again a time.
  // A call arriving meanwhile waits the moment it takes (counted as a pool wait).
  void ReleaseIdleMemory();

  // The current schema version (number of the last applied migration).
  absl::StatusOr<int> SchemaVersion();

 private:
  Database(DatabaseUrl url, Options options);
  absl::Status SealAuditTrail();
  // After an UNAVAILABLE: whether pooled session `slot` still answers; if not it is marked to
  // be reopened.
  bool StillConnected(std::size_t slot);
  // Reopens pooled session `slot` (its cached statements dropped, its set-up run again), on
  // the host after the one it lost, or the next that answers.
  absl::Status Reconnect(std::size_t slot);
  // Opens pooled session `slot` on the first host that answers, from url_.hosts[first] round.
  absl::Status OpenSlot(std::size_t slot, std::size_t first);

  DatabaseUrl url_;
  Options options_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::vector<std::unique_ptr<ConnectionCache>> caches_;  // one per pooled connection
  // Per pooled connection: lost, to be reopened before its next use. Each is touched only by
  // the thread leasing its session.
  std::vector<char> lost_;
  // Per pooled connection: the index in url_.hosts of the host it is connected to.
  std::vector<std::size_t> slot_host_;
  std::atomic<uint64_t> pool_waits_{0};
  std::atomic<uint64_t> transaction_retries_{0};
  std::atomic<uint64_t> reconnects_{0};
};

}  // namespace lims::db

#endif  // LIMS_DB_DATABASE_H_
