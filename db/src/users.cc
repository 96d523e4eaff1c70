#include "lims/db/users.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "connection_cache.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

Role RoleFromColumn(const std::string& name) {
  auto role = ParseRoleName(name);
  if (!role.ok()) throw soci::soci_error("corrupt role '" + name + "'");
  return *role;
}

constexpr char kHasPassword[] = "CASE WHEN password_hash = '' THEN 0 ELSE 1 END";

// Every authenticated call runs this: prepared once per pooled connection.
struct TokenLookup {
  explicit TokenLookup(soci::session& session) : st(session) {
    st.exchange(soci::into(user_id));
    st.exchange(soci::into(username));
    st.exchange(soci::into(role));
    st.exchange(soci::into(idle_seconds));
    st.exchange(soci::into(last_used));
    st.exchange(soci::into(expires_at));
    st.exchange(soci::use(hash));
    st.exchange(soci::use(now));
    st.exchange(soci::use(now));
    Prepare(st,
            "SELECT u.id, u.username, u.role, t.idle_seconds, t.last_used_at, t.expires_at "
            "FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = :h AND t.revoked_at = 0 AND "
            "(t.expires_at = 0 OR t.expires_at > :n) AND (t.idle_seconds = 0 OR "
            "t.last_used_at + t.idle_seconds * 1000000 > :n2)");
  }
  std::string hash;
  long long now = 0;
  long long user_id = 0, idle_seconds = 0, last_used = 0, expires_at = 0;
  std::string username, role;
  soci::statement st;
};

}  // namespace

absl::StatusOr<int64_t> UserRepository::Count() {
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    long long count = 0;
    tx_.session() << "SELECT COUNT(*) FROM users", soci::into(count);
    return static_cast<int64_t>(count);
  });
}

absl::Status UserRepository::Insert(UserRecord& user, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    const std::string role(RoleName(user.role));
    long long at = absl::ToUnixMicros(now);
    tx_.session() << "INSERT INTO users (username, role, created_at) VALUES (:u, :r, :t)",
        soci::use(user.username), soci::use(role), soci::use(at);
    user.id = LastInsertId(tx_, "users");
    long long user_id = user.id;
    for (int64_t site : user.site_ids) {
      long long site_id = site;
      tx_.session() << "INSERT INTO user_sites (user_id, site_id) VALUES (:u, :s)",
          soci::use(user_id), soci::use(site_id);
    }
    return absl::OkStatus();
  });
}

absl::Status UserRepository::LoadSites(UserRecord& user) {
  long long user_id = user.id, site_id = 0;
  std::string code;
  soci::statement st = (tx_.session().prepare
                            << "SELECT us.site_id, s.code FROM user_sites us JOIN sites s ON "
                               "s.id = us.site_id WHERE us.user_id = :u ORDER BY s.code",
                        soci::use(user_id), soci::into(site_id), soci::into(code));
  st.execute();
  while (st.fetch()) {
    user.site_ids.push_back(site_id);
    user.site_codes.push_back(code);
  }
  int valid = 0;
  tx_.session() << "SELECT COUNT(*) FROM api_tokens WHERE user_id = :u AND revoked_at = 0",
      soci::use(user_id), soci::into(valid);
  user.has_valid_token = valid > 0;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<UserRecord>> UserRepository::FindByUsername(
    const std::string& username) {
  return Guarded([&]() -> absl::StatusOr<std::optional<UserRecord>> {
    UserRecord user;
    long long id = 0;
    int with_password = 0;
    std::string role;
    tx_.session() << "SELECT id, username, role, " << kHasPassword
                  << " FROM users WHERE username = :u",
        soci::use(username), soci::into(id), soci::into(user.username), soci::into(role),
        soci::into(with_password);
    if (!tx_.session().got_data()) return std::optional<UserRecord>();
    user.id = id;
    user.has_password = with_password != 0;
    user.role = RoleFromColumn(role);
    if (absl::Status s = LoadSites(user); !s.ok()) return s;
    return std::optional<UserRecord>(std::move(user));
  });
}

absl::StatusOr<std::vector<UserRecord>> UserRepository::List(int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<UserRecord>> {
    std::vector<UserRecord> out;
    {
      long long id = 0, after = after_id;
      int with_password = 0;
      std::string username, role;
      soci::statement st =
          (tx_.session().prepare << "SELECT id, username, role, " << kHasPassword
                                 << " FROM users WHERE id > :a ORDER BY id LIMIT :l",
           soci::use(after), soci::use(limit), soci::into(id), soci::into(username),
           soci::into(role), soci::into(with_password));
      st.execute();
      while (st.fetch()) {
        UserRecord user;
        user.id = id;
        user.has_password = with_password != 0;
        user.username = username;
        user.role = RoleFromColumn(role);
        out.push_back(std::move(user));
      }
    }
    for (UserRecord& user : out) {
      if (absl::Status s = LoadSites(user); !s.ok()) return s;
    }
    return out;
  });
}

absl::Status UserRepository::InsertToken(int64_t user_id, const std::string& token_hash,
                                         absl::Time now, std::optional<absl::Time> expires) {
  return Guarded([&]() -> absl::Status {
    long long user = user_id, at = absl::ToUnixMicros(now), zero = 0;
    long long until = expires ? absl::ToUnixMicros(*expires) : 0;
    tx_.session() << "INSERT INTO api_tokens (user_id, token_hash, created_at, revoked_at, "
                     "expires_at) VALUES (:u, :h, :t, :z, :e)",
        soci::use(user), soci::use(token_hash), soci::use(at), soci::use(zero), soci::use(until);
    return absl::OkStatus();
  });
}

absl::StatusOr<int> UserRepository::RevokeTokens(int64_t user_id, absl::Time now) {
  return Guarded([&]() -> absl::StatusOr<int> {
    long long user = user_id, at = absl::ToUnixMicros(now);
    soci::statement st = (tx_.session().prepare << "UPDATE api_tokens SET revoked_at = :t "
                                                   "WHERE user_id = :u AND revoked_at = 0",
                          soci::use(at), soci::use(user));
    st.execute(true);
    return static_cast<int>(st.get_affected_rows());
  });
}

absl::StatusOr<std::optional<TokenOwner>> UserRepository::FindByTokenHash(
    const std::string& token_hash, absl::Time now) {
  return Guarded([&]() -> absl::StatusOr<std::optional<TokenOwner>> {
    TokenLookup& q = tx_.cache().Get<TokenLookup>(tx_.session());
    std::optional<TokenOwner> found;
    try {
      q.hash = token_hash;
      q.now = absl::ToUnixMicros(now);
      q.st.execute();
      if (q.st.fetch()) {
        TokenOwner owner;
        owner.principal.user_id = q.user_id;
        owner.principal.username = q.username;
        owner.principal.role = RoleFromColumn(q.role);
        owner.session = q.idle_seconds > 0;
        owner.idle = absl::Seconds(q.idle_seconds);
        owner.last_used = absl::FromUnixMicros(q.last_used);
        if (q.expires_at > 0) owner.valid_until = absl::FromUnixMicros(q.expires_at);
        if (owner.session) owner.valid_until = std::min(owner.valid_until, owner.last_used + owner.idle);
        found = std::move(owner);
      }
      while (q.st.fetch()) {
      }
    } catch (...) {
      tx_.cache().Erase<TokenLookup>();
      throw;
    }
    if (found) {
      long long user_id = found->principal.user_id, site_id = 0;
      soci::statement st = (tx_.session().prepare
                                << "SELECT site_id FROM user_sites WHERE user_id = :u",
                            soci::use(user_id), soci::into(site_id));
      st.execute();
      while (st.fetch()) found->principal.site_ids.push_back(site_id);
    }
    return found;
  });
}

absl::Status UserRepository::InsertSession(int64_t user_id, const std::string& token_hash,
                                           absl::Time now, absl::Time expires,
                                           absl::Duration idle) {
  return Guarded([&]() -> absl::Status {
    long long user = user_id, at = absl::ToUnixMicros(now), zero = 0;
    long long until = absl::ToUnixMicros(expires);
    long long idle_seconds = std::max<int64_t>(1, absl::ToInt64Seconds(idle));
    tx_.session() << "INSERT INTO api_tokens (user_id, token_hash, created_at, revoked_at, "
                     "expires_at, idle_seconds, last_used_at) VALUES (:u, :h, :t, :z, :e, :i, "
                     ":l)",
        soci::use(user), soci::use(token_hash), soci::use(at), soci::use(zero), soci::use(until),
        soci::use(idle_seconds), soci::use(at);
    return absl::OkStatus();
  });
}

absl::Status UserRepository::TouchSession(const std::string& token_hash, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long at = absl::ToUnixMicros(now);
    tx_.session() << "UPDATE api_tokens SET last_used_at = :t WHERE token_hash = :h AND "
                     "idle_seconds > 0 AND last_used_at < :t2",
        soci::use(at), soci::use(token_hash), soci::use(at);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> UserRepository::RevokeToken(const std::string& token_hash, absl::Time now) {
  return Guarded([&]() -> absl::StatusOr<bool> {
    long long at = absl::ToUnixMicros(now);
    soci::statement st = (tx_.session().prepare << "UPDATE api_tokens SET revoked_at = :t "
                                                   "WHERE token_hash = :h AND revoked_at = 0",
                          soci::use(at), soci::use(token_hash));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

absl::StatusOr<std::string> UserRepository::PasswordHash(int64_t user_id) {
  return Guarded([&]() -> absl::StatusOr<std::string> {
    long long id = user_id;
    std::string hash;
    tx_.session() << "SELECT password_hash FROM users WHERE id = :u", soci::use(id),
        soci::into(hash);
    if (!tx_.session().got_data()) return absl::NotFoundError("no such user");
    return hash;
  });
}

absl::Status UserRepository::SetPasswordHash(int64_t user_id, const std::string& password_hash) {
  return Guarded([&]() -> absl::Status {
    long long id = user_id;
    tx_.session() << "UPDATE users SET password_hash = :p WHERE id = :u",
        soci::use(password_hash), soci::use(id);
    return absl::OkStatus();
  });
}

absl::StatusOr<LoginFailures> UserRepository::FailuresOf(const std::string& subject) {
  return Guarded([&]() -> absl::StatusOr<LoginFailures> {
    long long failures = 0, last = 0;
    tx_.session() << "SELECT failures, last_failed_at FROM login_failures WHERE subject = :s",
        soci::use(subject), soci::into(failures), soci::into(last);
    LoginFailures out;
    if (tx_.session().got_data()) {
      out.failures = failures;
      out.last_failed_at = absl::FromUnixMicros(last);
    }
    return out;
  });
}

absl::Status UserRepository::RecordFailure(const std::string& subject, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long at = absl::ToUnixMicros(now);
    soci::statement st =
        (tx_.session().prepare << "UPDATE login_failures SET failures = failures + 1, "
                                  "last_failed_at = :t WHERE subject = :s",
         soci::use(at), soci::use(subject));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      tx_.session() << "INSERT INTO login_failures (subject, failures, last_failed_at) VALUES "
                       "(:s, 1, :t)",
          soci::use(subject), soci::use(at);
    }
    return absl::OkStatus();
  });
}

absl::Status UserRepository::ClearFailures(const std::string& subject) {
  return Guarded([&]() -> absl::Status {
    tx_.session() << "DELETE FROM login_failures WHERE subject = :s", soci::use(subject);
    return absl::OkStatus();
  });
}

}  // namespace lims::db
