#include "lims/db/database_url.h"

#include <cctype>
#include <charconv>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace lims::db {
namespace {

absl::StatusOr<std::string> PercentDecode(absl::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      return absl::InvalidArgumentError("database URL has a bad %-escape");
    }
    out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

// One "HOST[:PORT]" of the URL's host list.
absl::StatusOr<DatabaseHost> ParseHost(absl::string_view host_port) {
  DatabaseHost out;
  const size_t port_colon = host_port.rfind(':');
  out.host = std::string(host_port.substr(0, port_colon));
  if (out.host.empty()) {
    return absl::InvalidArgumentError(
        "database URL: a host is missing (hosts are separated by commas: "
        "HOST1:PORT1,HOST2:PORT2)");
  }
  if (port_colon != absl::string_view::npos) {
    absl::string_view port = host_port.substr(port_colon + 1);
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
    if (ec != std::errc() || ptr != port.data() + port.size() || out.port <= 0 ||
        out.port > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("database URL: bad port '", port, "'"));
    }
  }
  return out;
}

absl::StatusOr<DatabaseUrl> ParseMariaDb(absl::string_view rest) {
  constexpr char kShape[] = "expected mariadb://USER:PASSWORD@HOST:PORT/DATABASE";
  DatabaseUrl url;
  url.backend = Backend::kMariaDb;
  const size_t at = rest.rfind('@');
  const size_t slash = rest.find('/', at == absl::string_view::npos ? 0 : at);
  if (at == absl::string_view::npos || slash == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("database URL: ", kShape));
  }
  absl::string_view credentials = rest.substr(0, at);
  absl::string_view host_port = rest.substr(at + 1, slash - at - 1);
  absl::string_view database = rest.substr(slash + 1);
  const size_t colon = credentials.find(':');
  auto user = PercentDecode(credentials.substr(0, colon));
  if (!user.ok()) return user.status();
  url.user = *user;
  if (colon != absl::string_view::npos) {
    auto password = PercentDecode(credentials.substr(colon + 1));
    if (!password.ok()) return password.status();
    url.password = *password;
  }
  for (absl::string_view one : absl::StrSplit(host_port, ',')) {
    auto host = ParseHost(one);
    if (!host.ok()) return host.status();
    url.hosts.push_back(*host);
  }
  url.database = std::string(database);
  if (url.user.empty() || url.database.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("database URL: ", kShape));
  }
  return url;
}

}  // namespace

std::string DatabaseUrl::Redacted() const {
  if (backend == Backend::kSqlite) return absl::StrCat("sqlite:", sqlite_path);
  return absl::StrCat("mariadb://", user, ":***@",
                      absl::StrJoin(hosts, ",",
                                    [](std::string* out, const DatabaseHost& h) {
                                      absl::StrAppend(out, h.host, ":", h.port);
                                    }),
                      "/", database);
}

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url_text) {
  const absl::string_view url(url_text);
  for (absl::string_view prefix : {absl::string_view("sqlite://"), absl::string_view("sqlite:")}) {
    if (absl::StartsWith(url, prefix)) {
      DatabaseUrl out;
      out.sqlite_path = std::string(url.substr(prefix.size()));
      if (out.sqlite_path.empty() || out.sqlite_path == ":memory:") {
        return absl::InvalidArgumentError(
            "database URL: sqlite needs a file path, e.g. sqlite:lims.db");
      }
      return out;
    }
  }
  for (absl::string_view prefix : {absl::string_view("mariadb://"), absl::string_view("mysql://")}) {
    if (absl::StartsWith(url, prefix)) return ParseMariaDb(url.substr(prefix.size()));
  }
  // The URL itself is not echoed: it may hold a password.
  return absl::InvalidArgumentError(
      "database URL is not understood: use sqlite:PATH or "
      "mariadb://USER:PASSWORD@HOST:PORT/DATABASE");
}

}  // namespace lims::db
