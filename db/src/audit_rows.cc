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
  int sealing = 0;
  tx.session() << absl::StrCat(
                      "SELECT last_event_id, last_hash, sealing_legacy FROM audit_chain_head "
                      "WHERE id = 1",
                      lock ? LockingReadSuffix(tx.backend()) : ""),
      soci::into(last_id), soci::into(head.last_hash), soci::into(sealing);
  if (!tx.session().got_data()) return std::nullopt;
  head.last_event_id = last_id;
  head.sealing_legacy = sealing != 0;
  return head;
}

ChainHead LockChainHead(Tx& tx) {
  std::optional<ChainHead> head = ReadChainHead(tx, /*lock=*/true);
  if (!head) throw soci::soci_error("audit_chain_head has no row 1: the audit chain cannot grow");
  return *head;
}

void WriteChainHead(Tx& tx, const ChainHead& head) {
  long long last_id = head.last_event_id;
  int sealing = head.sealing_legacy ? 1 : 0;
  tx.session() << "UPDATE audit_chain_head SET last_event_id = :i, last_hash = :h, "
                  "sealing_legacy = :s WHERE id = 1",
      soci::use(last_id), soci::use(head.last_hash), soci::use(sealing);
}

}  // namespace lims::db
