#include "lims/db/trusted_keys.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT id, site_code, public_key, fingerprint, reason, added_by, added_at, revoked_by, "
    "revoked_at, revoke_reason FROM trusted_keys ";

struct KeyRow {
  long long id = 0, added_at = 0, revoked_at = 0;
  std::string site_code, public_key, fingerprint, reason, added_by, revoked_by, revoke_reason;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(site_code));
    st.exchange(soci::into(public_key));
    st.exchange(soci::into(fingerprint));
    st.exchange(soci::into(reason));
    st.exchange(soci::into(added_by));
    st.exchange(soci::into(added_at));
    st.exchange(soci::into(revoked_by));
    st.exchange(soci::into(revoked_at));
    st.exchange(soci::into(revoke_reason));
  }
  TrustedKeyRecord ToRecord() const {
    return {id,       site_code, public_key, fingerprint, reason, added_by,
            absl::FromUnixMicros(added_at), revoked_by, absl::FromUnixMicros(revoked_at),
            revoke_reason};
  }
};

}  // namespace

absl::Status TrustedKeyRepository::Insert(TrustedKeyRecord& key) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(key.added_at);
    const long long never = 0;
    const std::string none;
    tx_.session() << "INSERT INTO trusted_keys (site_code, public_key, fingerprint, reason, "
                     "added_by, added_at, revoked_by, revoked_at, revoke_reason) "
                     "VALUES (:s, :k, :f, :r, :b, :t, :rb, :rt, :rr)",
        soci::use(key.site_code), soci::use(key.public_key), soci::use(key.fingerprint),
        soci::use(key.reason), soci::use(key.added_by), soci::use(at), soci::use(none),
        soci::use(never), soci::use(none);
    key.id = LastInsertId(tx_, "trusted_keys");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<TrustedKeyRecord>> TrustedKeyRepository::FindByFingerprint(
    const std::string& fingerprint) {
  return Guarded([&]() -> absl::StatusOr<std::vector<TrustedKeyRecord>> {
    std::vector<TrustedKeyRecord> out;
    KeyRow row;
    std::string key(fingerprint);
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSelect, "WHERE fingerprint = :f ORDER BY id"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToRecord());
    return out;
  });
}

absl::StatusOr<int> TrustedKeyRepository::Revoke(const std::string& fingerprint,
                                                 const std::string& by, absl::Time at,
                                                 const std::string& reason) {
  return Guarded([&]() -> absl::StatusOr<int> {
    const long long when = absl::ToUnixMicros(at);
    std::string key(fingerprint);
    soci::statement st = (tx_.session().prepare
                              << "UPDATE trusted_keys SET revoked_by = :b, revoked_at = :t, "
                                 "revoke_reason = :r WHERE fingerprint = :f AND revoked_by = ''",
                          soci::use(by), soci::use(when), soci::use(reason), soci::use(key));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

absl::StatusOr<std::vector<TrustedKeyRecord>> TrustedKeyRepository::List() {
  return Guarded([&]() -> absl::StatusOr<std::vector<TrustedKeyRecord>> {
    std::vector<TrustedKeyRecord> out;
    KeyRow row;
    soci::statement st(tx_.session());
    row.Bind(st);
    Prepare(st, absl::StrCat(kSelect, "ORDER BY id"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToRecord());
    return out;
  });
}

}  // namespace lims::db
