#include "lims/db/audit_log.h"

#include "last_insert_id.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::Status AuditLog::Append(AuditEvent& e) {
  return Guarded([&]() -> absl::Status {
    long long at = absl::ToUnixMicros(e.at);
    tx_.session() << "INSERT INTO audit_events (at, actor, action, entity_type, entity_key, "
                     "details, before_json, after_json, reason, request_id) VALUES (:at, :ac, "
                     ":an, :et, :ek, :d, :b, :a, :r, :q)",
        soci::use(at), soci::use(e.actor), soci::use(e.action), soci::use(e.entity_type),
        soci::use(e.entity_key), soci::use(e.details), soci::use(e.before_json),
        soci::use(e.after_json), soci::use(e.reason), soci::use(e.request_id);
    e.id = LastInsertId(tx_, "audit_events");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::ListForEntity(const std::string& entity_type,
                                                                const std::string& entity_key) {
  return Guarded([&]() -> absl::StatusOr<std::vector<AuditEvent>> {
    std::vector<AuditEvent> out;
    AuditEvent row;
    long long id = 0, at = 0;
    const std::string type(entity_type), key(entity_key);
    soci::statement st =
        (tx_.session().prepare << "SELECT id, at, actor, action, entity_type, entity_key, details, "
                                  "before_json, after_json, reason, request_id FROM audit_events "
                                  "WHERE entity_type = :t AND entity_key = :k ORDER BY id",
         soci::use(type), soci::use(key), soci::into(id), soci::into(at), soci::into(row.actor),
         soci::into(row.action), soci::into(row.entity_type), soci::into(row.entity_key),
         soci::into(row.details), soci::into(row.before_json), soci::into(row.after_json),
         soci::into(row.reason), soci::into(row.request_id));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      row.at = absl::FromUnixMicros(at);
      out.push_back(row);
    }
    return out;
  });
}

}  // namespace lims::db
