#include "audit_rows.h"

#include "absl/strings/str_cat.h"
#include "dialect.h"

namespace lims::db {

void AuditRow::Bind(soci::statement& st) {
  st.exchange(soci::into(id));
  st.exchange(soci::into(at));
  for (std::string* s : {&fields.actor, &fields.action, &fields.entity_type, &fields.entity_key,
                         &fields.details, &fields.before_json, &fields.after_json, &fields.reason,
                         &fields.request_id, &fields.prev_hash, &fields.hash}) {
    st.exchange(soci::into(*s));
  }
}

AuditEvent AuditRow::event() const {
  AuditEvent e = fields;
  e.id = id;
  e.at = absl::FromUnixMicros(at);
  return e;
}

std::optional<ChainHead> ReadChainHead(Tx& tx, bool lock) {
  ChainHead head;
  long long last_id = 0;
  tx.session() << absl::StrCat(
                      "SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1",
                      lock ? LockingReadSuffix(tx.backend()) : ""),
      soci::into(last_id), soci::into(head.last_hash);
  if (!tx.session().got_data()) return std::nullopt;
  head.last_event_id = last_id;
  return head;
}

ChainHead LockChainHead(Tx& tx) {
  std::optional<ChainHead> head = ReadChainHead(tx, /*lock=*/true);
  if (!head) throw soci::soci_error("audit_chain_head has no row 1: the audit chain cannot grow");
  return *head;
}

void WriteChainHead(Tx& tx, const ChainHead& head) {
  long long last_id = head.last_event_id;
  tx.session() << "UPDATE audit_chain_head SET last_event_id = :i, last_hash = :h WHERE id = 1",
      soci::use(last_id), soci::use(head.last_hash);
}

}  // namespace lims::db
