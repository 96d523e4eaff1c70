// Fuzz target: database URLs (lims/db/database_url.h). Only db/src/database_url.cc is compiled
// in (it needs abseil alone): the rest of lims_db (SOCI, SQLite, MariaDB) is not linked.
// Input: any bytes, as the --db argument.
// Properties:
//  - what is accepted is well formed: sqlite: a non-empty path other than ":memory:", exactly
//    the text after "sqlite:" or "sqlite://"; mariadb/mysql: non-empty user, host and database,
//    port 1..65535, host without '@' or '/', the database the text after the host's '/';
//  - a parsed URL written back (user and password percent-escaped) parses to the same fields;
//  - the password never shows: Redacted() does not depend on it, and the outcome (accepted or
//    not, the error message, every other field) is the same with any other password that
//    decodes the same way (validly or not).
// fuzz-sources: db/src/database_url.cc
// fuzz-options: -max_len=256
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/db/database_url.h"

namespace {

using lims::db::Backend;
using lims::db::DatabaseUrl;
using lims::fuzz::Escaped;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsHex(char c) {
  return lims::fuzz::IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool Decodable(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size()) return false;
    if (!IsHex(s[i + 1]) || !IsHex(s[i + 2])) return false;
    i += 2;
  }
  return true;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (lims::fuzz::IsAlpha(c) || lims::fuzz::IsDigit(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

// "HOST:PORT,HOST:PORT" as a URL writes the host list.
std::string HostList(const DatabaseUrl& url) {
  std::string out;
  for (const auto& h : url.hosts) {
    out += (out.empty() ? "" : ",") + h.host + ":" + std::to_string(h.port);
  }
  return out;
}

std::string Describe(const DatabaseUrl& url) {
  if (url.backend == Backend::kSqlite) return "sqlite path " + Escaped(url.sqlite_path);
  return "mariadb user " + Escaped(url.user) + " password " + Escaped(url.password) + " hosts " +
         Escaped(HostList(url)) + " database " + Escaped(url.database);
}

bool SameHosts(const DatabaseUrl& a, const DatabaseUrl& b) {
  if (a.hosts.size() != b.hosts.size()) return false;
  for (size_t i = 0; i < a.hosts.size(); ++i) {
    if (a.hosts[i].host != b.hosts[i].host || a.hosts[i].port != b.hosts[i].port) return false;
  }
  return true;
}

bool SameExceptPassword(const DatabaseUrl& a, const DatabaseUrl& b) {
  return a.backend == b.backend && a.sqlite_path == b.sqlite_path && a.user == b.user &&
         SameHosts(a, b) && a.database == b.database;
}

bool HostsWellFormed(const DatabaseUrl& url) {
  if (url.hosts.empty()) return false;
  for (const auto& h : url.hosts) {
    if (h.host.empty() || h.port < 1 || h.port > 65535 ||
        h.host.find_first_of("@/,") != std::string::npos) {
      return false;
    }
  }
  return true;
}

void CheckAccepted(const std::string& text, const DatabaseUrl& url) {
  const std::string_view t = text;
  if (url.backend == Backend::kSqlite) {
    const std::string_view path =
        StartsWith(t, "sqlite://") ? t.substr(9) : StartsWith(t, "sqlite:") ? t.substr(7) : t;
    FUZZ_CHECK(StartsWith(t, "sqlite:") && url.sqlite_path == path && !path.empty() &&
                   path != ":memory:",
               Escaped(text) + " -> " + Describe(url));
    FUZZ_CHECK(url.Redacted() == "sqlite:" + url.sqlite_path, Escaped(url.Redacted()));
    const auto again = lims::db::ParseDatabaseUrl("sqlite://" + url.sqlite_path);
    FUZZ_CHECK(again.ok() && again->backend == Backend::kSqlite &&
                   again->sqlite_path == url.sqlite_path,
               "sqlite://" + Escaped(url.sqlite_path) + " does not parse back");
    return;
  }
  FUZZ_CHECK((StartsWith(t, "mariadb://") || StartsWith(t, "mysql://")) && !url.user.empty() &&
                 HostsWellFormed(url) && !url.database.empty() &&
                 url.database.find('@') == std::string::npos && t.size() > url.database.size() &&
                 t.substr(t.size() - url.database.size() - 1) == "/" + url.database,
             Escaped(text) + " -> " + Describe(url));

  const std::string written = "mariadb://" + PercentEncode(url.user) + ":" +
                              PercentEncode(url.password) + "@" + HostList(url) + "/" +
                              url.database;
  const auto again = lims::db::ParseDatabaseUrl(written);
  FUZZ_CHECK(again.ok() && SameExceptPassword(*again, url) && again->password == url.password,
             Escaped(text) + " -> " + Describe(url) + ", written back as " + Escaped(written) +
                 " -> " + (again.ok() ? Describe(*again) : again.status().ToString()));

  DatabaseUrl other = url;
  other.password = url.password + "other";
  FUZZ_CHECK(other.Redacted() == url.Redacted(),
             "Redacted() depends on the password: " + Escaped(url.Redacted()));
}

// The same URL with another password that decodes the same way gives the same outcome.
void CheckPasswordIndependence(const std::string& text,
                               const absl::StatusOr<DatabaseUrl>& parsed) {
  std::string_view prefix;
  for (std::string_view p : {"mariadb://", "mysql://"}) {
    if (StartsWith(text, p)) prefix = p;
  }
  if (prefix.empty()) return;
  const std::string_view rest = std::string_view(text).substr(prefix.size());
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return;
  const size_t colon = rest.substr(0, at).find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view password = rest.substr(colon + 1, at - colon - 1);
  const bool decodable = Decodable(password);
  const std::string replacement = decodable ? "s%40cret" : "%zz";
  const std::string other = std::string(prefix) + std::string(rest.substr(0, colon + 1)) +
                            replacement + std::string(rest.substr(at));
  const absl::StatusOr<DatabaseUrl> reparsed = lims::db::ParseDatabaseUrl(other);
  const std::string both = Escaped(text) + " vs " + Escaped(other);
  FUZZ_CHECK(reparsed.ok() == parsed.ok(), "outcome depends on the password: " + both);
  if (!parsed.ok()) {
    FUZZ_CHECK(reparsed.status() == parsed.status(),
               "error message depends on the password: " + both + ": " +
                   parsed.status().ToString() + " vs " + reparsed.status().ToString());
    return;
  }
  FUZZ_CHECK(SameExceptPassword(*parsed, *reparsed) && reparsed->password == "s@cret" &&
                 reparsed->Redacted() == parsed->Redacted(),
             "fields depend on the password: " + both);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<DatabaseUrl> url = lims::db::ParseDatabaseUrl(text);
  if (url.ok()) {
    CheckAccepted(text, *url);
  } else {
    FUZZ_CHECK(url.status().code() == absl::StatusCode::kInvalidArgument,
               url.status().ToString());
  }
  CheckPasswordIndependence(text, url);
  return 0;
}
