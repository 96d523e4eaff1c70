#include "lims/db/audit_log.h"

#include "absl/strings/str_cat.h"
#include "audit_rows.h"
#include "last_insert_id.h"
#include "lims/db/audit_hash.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

void SetHash(Tx& tx, int64_t id, const std::string& prev_hash, const std::string& hash) {
  long long key = id;
  tx.session() << "UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i",
      soci::use(prev_hash), soci::use(hash), soci::use(key);
}

}  // namespace

absl::Status AuditLog::Append(AuditEvent& e) {
  return Guarded([&]() -> absl::Status {
    // The head first: holding its lock until commit makes every other appender wait, so each
    // event links to the one committed just before it and ids grow in chain order.
    ChainHead head = LockChainHead(tx_);
    long long at = absl::ToUnixMicros(e.at);
    tx_.session() << "INSERT INTO audit_events (at, actor, action, entity_type, entity_key, "
                     "details, before_json, after_json, reason, request_id, prev_hash, hash) "
                     "VALUES (:at, :ac, :an, :et, :ek, :d, :b, :a, :r, :q, :p, '')",
        soci::use(at), soci::use(e.actor), soci::use(e.action), soci::use(e.entity_type),
        soci::use(e.entity_key), soci::use(e.details), soci::use(e.before_json),
        soci::use(e.after_json), soci::use(e.reason), soci::use(e.request_id),
        soci::use(head.last_hash);
    e.id = LastInsertId(tx_, "audit_events");
    e.at = absl::FromUnixMicros(at);  // what the database holds, and what is hashed
    // The id is part of the hashed content and only known now, hence the second statement (in
    // the same transaction: nobody ever sees the row without its hash).
    e.prev_hash = head.last_hash;
    e.hash = ChainHash(e.prev_hash, e);
    SetHash(tx_, e.id, e.prev_hash, e.hash);
    WriteChainHead(tx_, {e.id, e.hash});
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::ListForEntity(const std::string& entity_type,
                                                                const std::string& entity_key) {
  std::vector<AuditEvent> out;
  AuditFilter filter;
  filter.entity_type = entity_type;
  filter.entity_key = entity_key;
  // One entity's history is short; page anyway so that no single query is unbounded.
  constexpr int kPage = 500;
  for (int64_t after = 0;;) {
    auto page = List(filter, after, kPage);
    if (!page.ok()) return page.status();
    for (AuditEvent& e : *page) out.push_back(std::move(e));
    if (static_cast<int>(page->size()) < kPage) return out;
    after = out.back().id;
  }
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::List(const AuditFilter& filter,
                                                       int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<AuditEvent>> {
    std::vector<AuditEvent> out;
    AuditRow row;
    soci::statement st(tx_.session());
    row.Bind(st);
    long long after = after_id, since = 0, until = 0;
    std::string where = "WHERE id > :after";
    st.exchange(soci::use(after));
    // soci binds by reference: the filter outlives the statement.
    const std::pair<const std::string*, const char*> texts[] = {
        {&filter.entity_type, " AND entity_type = :et"},
        {&filter.entity_key, " AND entity_key = :ek"},
        {&filter.actor, " AND actor = :ac"},
        {&filter.action, " AND action = :an"}};
    for (const auto& [value, clause] : texts) {
      if (value->empty()) continue;
      absl::StrAppend(&where, clause);
      st.exchange(soci::use(*value));
    }
    if (filter.since) {
      since = absl::ToUnixMicros(*filter.since);
      absl::StrAppend(&where, " AND at >= :since");
      st.exchange(soci::use(since));
    }
    if (filter.until) {
      until = absl::ToUnixMicros(*filter.until);
      absl::StrAppend(&where, " AND at < :until");
      st.exchange(soci::use(until));
    }
    st.exchange(soci::use(limit));
    Prepare(st, absl::StrCat("SELECT ", kAuditColumns, " FROM audit_events ", where,
                             " ORDER BY id LIMIT :limit"));
    st.execute();
    while (st.fetch()) out.push_back(row.event());
    return out;
  });
}

absl::StatusOr<int> AuditLog::SealUnchained(int limit) {
  return Guarded([&]() -> absl::StatusOr<int> {
    ChainHead head = LockChainHead(tx_);
    // Once the chain holds anything but the legacy events, a hash-less row is an insertion
    // around the server: Verify reports it, nothing seals it.
    if (head.last_event_id != 0 && !head.sealing_legacy) return 0;
    // Only rows after the end of the chain: an unchained row inside it cannot be sealed without
    // breaking id order, and Verify reports it instead.
    std::vector<AuditEvent> pending;
    {
      AuditRow row;
      long long after = head.last_event_id;
      soci::statement st(tx_.session());
      row.Bind(st);
      st.exchange(soci::use(after));
      st.exchange(soci::use(limit));
      Prepare(st, absl::StrCat("SELECT ", kAuditColumns,
                               " FROM audit_events WHERE id > :after ORDER BY id LIMIT :limit"));
      st.execute();
      while (st.fetch()) pending.push_back(row.event());
    }
    int sealed = 0;
    for (AuditEvent& e : pending) {
      if (!e.hash.empty()) break;  // a chained row after the head: leave it to Verify
      e.prev_hash = head.last_hash;
      e.hash = ChainHash(e.prev_hash, e);
      SetHash(tx_, e.id, e.prev_hash, e.hash);
      head = {e.id, e.hash, true};
      ++sealed;
    }
    // A full batch may have more behind it; a short one was the last.
    const bool was_sealing = head.sealing_legacy;
    head.sealing_legacy = sealed == limit;
    if (sealed > 0 || was_sealing) WriteChainHead(tx_, head);
    return sealed;
  });
}

}  // namespace lims::db
