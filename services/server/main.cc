// lims-server: all LIMS services in one process (or a subset with --services), on the embedded
// SQLite default or MariaDB.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "backup.h"
#include "client_address.h"
#include "lims/db/database.h"
#include "lims_server.h"
#include "memory_trim.h"
#include "request_log_janitor.h"
#include "signing_key_file.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"
#include "token_file.h"
#include "user_operations.h"

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// Blocks SIGINT/SIGTERM in every thread (gRPC's included, hence before they start) so that main
// can wait for them synchronously and shut down in order.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// One line per event on standard error, in UTC: "2026-12-04T23:40:01.123Z info lims-server: ...".
void ConfigureLogging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("lims-server");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %n: %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::trace);  // a line is out before the next event
  spdlog::set_default_logger(logger);
}

// Beside the admin token: "lims.db.admin-token" → "lims.db.admin-password".
std::string AdminPasswordFile(const std::string& token_file) {
  const std::string suffix = ".admin-token";
  if (token_file.size() > suffix.size() &&
      token_file.compare(token_file.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return token_file.substr(0, token_file.size() - suffix.size()) + ".admin-password";
  }
  return token_file + ".password";
}

}  // namespace

int main(int argc, char** argv) {
  lims::services::LimitAllocatorArenas();  // before any thread starts
  CLI::App app{"lims-server: biobank sample-tracking LIMS (gRPC)"};
  std::string listen = EnvOr("LIMS_LISTEN", "127.0.0.1:50051");
  std::string db_url = EnvOr("LIMS_DB", "sqlite:lims.db");
  std::string services;
  int pool_size = 8;
  int grace_seconds = 10;
  std::string admin_token_file = EnvOr("LIMS_ADMIN_TOKEN_FILE", "");
  std::string signing_key_file = EnvOr("LIMS_SIGNING_KEY", "");
  std::string label_templates = EnvOr("LIMS_LABEL_TEMPLATES", "");
  int max_image_mb = 32;
  int max_image_megapixels = 50;
  int replay_days = 30;
  int concurrent_pictures = 4;
  std::string printer_networks;
  std::string trusted_proxies = EnvOr("LIMS_TRUSTED_PROXIES", "");
  std::string http_listen = EnvOr("LIMS_HTTP", "");
  std::string web_root = EnvOr("LIMS_WEB_ROOT", LIMS_DEFAULT_WEB_ROOT);
  int session_idle_minutes = 30;
  int session_hours = 12;
  int readings_days = 90;
  int metrics_refresh_seconds = 30;
  std::string log_level = EnvOr("LIMS_LOG_LEVEL", "info");
  lims::services::LimsServer::Tls tls;
  app.add_option("--listen", listen, "HOST:PORT to serve on (env LIMS_LISTEN)")
      ->capture_default_str();
  app.add_option("--db", db_url,
                 "sqlite:PATH or mariadb://USER:PASSWORD@HOST:PORT/DATABASE; a Galera cluster: "
                 "mariadb://USER:PASSWORD@HOST1:PORT1,HOST2:PORT2,HOST3:PORT3/DATABASE (env "
                 "LIMS_DB)")
      ->capture_default_str();
  app.add_option("--services", services,
                 "comma-separated subset to host (" +
                     absl::StrJoin(lims::services::LimsServer::ServiceNames(), ",") +
                     "); default all");
  app.add_option("--db-pool", pool_size, "database connections")->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--shutdown-grace", grace_seconds, "seconds running calls get at shutdown")
      ->capture_default_str();
  app.add_option("--admin-token-file", admin_token_file,
                 "where the first start writes the admin token (env LIMS_ADMIN_TOKEN_FILE; default "
                 "for SQLite: DATABASE_FILE.admin-token; required for MariaDB)");
  app.add_option("--signing-key", signing_key_file,
                 "the installation's manifest signing key, made there on first start (mode "
                 "0600; env LIMS_SIGNING_KEY; default for SQLite: DATABASE_FILE.signing-key; "
                 "required for MariaDB with the shipment service); every process of the "
                 "installation uses the same file");
  app.add_option("--label-templates", label_templates,
                 "directory of the site's own label templates (*.json), read on each use "
                 "(env LIMS_LABEL_TEMPLATES)");
  app.add_option("--max-image-mb", max_image_mb,
                 "largest picture DecodeImage accepts, in MiB (requests up to it are read)")
      ->capture_default_str()
      ->check(CLI::Range(1, 512));
  app.add_option("--max-image-megapixels", max_image_megapixels,
                 "largest picture DecodeImage decodes, in megapixels")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--max-concurrent-pictures", concurrent_pictures,
                 "pictures decoded at once; more are refused (RESOURCE_EXHAUSTED) until one ends")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app.add_option("--printer-networks", printer_networks,
                 "networks where managers may register tcp:// printers, e.g. "
                 "10.4.0.0/16,10.5.2.0/24 (default none: admins register them)");
  app.add_option("--trusted-proxies", trusted_proxies,
                 "front doors (nginx) whose X-Real-IP header names the caller, e.g. "
                 "127.0.0.1/32,10.4.0.10/32 (env LIMS_TRUSTED_PROXIES; default none: the "
                 "login slow-down and the audit trail see the peer's own address)");
  app.add_option("--replay-days", replay_days,
                 "days a mutating call's outcome is kept for a retry with the same request_id")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  app.add_option("--http", http_listen,
                 "HOST:PORT for the browser app and the JSON door (POST /lims.v1.Service/Method), "
                 "e.g. 127.0.0.1:8080; default none (env LIMS_HTTP)");
  app.add_option("--web-root", web_root, "the browser app's files (env LIMS_WEB_ROOT)")
      ->capture_default_str();
  app.add_option("--session-idle-minutes", session_idle_minutes,
                 "a browser session ends after this long without a call")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  app.add_option("--session-hours", session_hours,
                 "a browser session ends this long after the login at the latest")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 30));
  app.add_option("--readings-days", readings_days,
                 "days raw temperature readings are kept (their hourly figures stay for ever)")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
  app.add_option("--metrics-refresh", metrics_refresh_seconds,
                 "seconds between two readings of /metrics' installation figures (samples by "
                 "status, open excursions, Galera cluster size)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--log-level", log_level,
                 "debug, info (one line per RPC), warn, error (env LIMS_LOG_LEVEL)")
      ->capture_default_str()
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--tls-cert", tls.cert_file, "PEM certificate chain: serve TLS");
  app.add_option("--tls-key", tls.key_file, "PEM private key of --tls-cert");
  app.add_option("--tls-client-ca", tls.client_ca_file,
                 "PEM CA: require client certificates signed by it (mutual TLS)");
  lims::services::BackupOptions backup;
  auto* backup_command = app.add_subcommand(
      "backup",
      "copy the database while the servers run (SQLite: online backup API; MariaDB: "
      "mariadb-backup on the database's machine), with the audit chain's head as anchor");
  backup.db_url = db_url;
  backup_command->add_option("--db", backup.db_url, "the database to copy (env LIMS_DB)")
      ->capture_default_str();
  backup_command->add_option("--to", backup.to_dir, "a new (or empty) directory for the copy")
      ->required();
  backup.signing_key_file = signing_key_file;
  backup_command->add_option("--signing-key", backup.signing_key_file,
                             "also copy the installation's signing key in (mode 0600; env "
                             "LIMS_SIGNING_KEY)");
  CLI11_PARSE(app, argc, argv);
  ConfigureLogging(log_level);
  if (*backup_command) {
    umask(0077);
    return lims::services::RunBackup(backup);
  }
  if (tls.cert_file.empty() != tls.key_file.empty() ||
      (!tls.client_ca_file.empty() && tls.cert_file.empty())) {
    spdlog::critical("--tls-cert and --tls-key go together (and --tls-client-ca needs them)");
    return 2;
  }

  // The database file, its journal and every file made here hold patients' data: the owner's.
  umask(0077);
  const sigset_t signals = BlockShutdownSignals();

  lims::db::Database::Options db_options;
  db_options.pool_size = static_cast<size_t>(pool_size);
  auto db = lims::db::Database::Open(db_url, db_options);
  if (!db.ok()) {
    spdlog::critical("{}", std::string(db.status().message()));
    return 1;
  }
  // First start on an empty database: an admin user whose token is written to a file (never
  // logged). The user is created only if the file could be written.
  const auto url = lims::db::ParseDatabaseUrl(db_url);
  if (admin_token_file.empty() && url->backend == lims::db::Backend::kSqlite) {
    admin_token_file = url->sqlite_path + ".admin-token";
  }
  const std::string admin_password_file = AdminPasswordFile(admin_token_file);
  auto bootstrapped =
      lims::services::EnsureAdminUser(**db, [&](const lims::services::FirstAdmin& admin) {
        if (admin_token_file.empty()) {
          return absl::FailedPreconditionError(
              "the database has no users yet: start once with --admin-token-file PATH to "
              "receive the admin token and password");
        }
        absl::Status kept = lims::services::WriteTokenFile(admin_token_file, admin.token);
        if (!kept.ok()) return kept;
        return lims::services::WriteTokenFile(admin_password_file, admin.password);
      });
  if (!bootstrapped.ok()) {
    spdlog::critical("{}", std::string(bootstrapped.status().message()));
    return 1;
  }
  if (*bootstrapped) {
    spdlog::info(
        "created user 'admin'; its token is in {} (mode 0600): lims login --token-file {}; its "
        "password for the browser app is in {}",
        admin_token_file, admin_token_file, admin_password_file);
  }

  lims::services::LimsServer::Options options;
  options.listen = listen;
  options.tls = tls;
  options.label_templates_dir = label_templates;
  options.image_limits.max_bytes = static_cast<size_t>(max_image_mb) << 20;
  options.image_limits.max_pixels = static_cast<int64_t>(max_image_megapixels) * 1'000'000;
  options.concurrent_pictures = concurrent_pictures;
  options.http_listen = http_listen;
  options.web_root = web_root;
  options.sessions.idle = absl::Minutes(session_idle_minutes);
  options.sessions.lifetime = absl::Hours(session_hours);
  options.readings_retention = absl::Hours(24 * readings_days);
  options.metrics_refresh = absl::Seconds(metrics_refresh_seconds);
  auto networks = lims::ParseNetworks(printer_networks);
  if (!networks.ok()) {
    spdlog::critical("--printer-networks: {}", std::string(networks.status().message()));
    return 2;
  }
  options.printer_networks = *networks;
  auto proxies = lims::ParseNetworks(trusted_proxies);
  if (!proxies.ok()) {
    spdlog::critical("--trusted-proxies: {}", std::string(proxies.status().message()));
    return 2;
  }
  lims::services::TrustProxies(*proxies);
  for (absl::string_view name : absl::StrSplit(services, ',', absl::SkipEmpty())) {
    options.services.insert(std::string(name));
  }
  if (signing_key_file.empty() && url->backend == lims::db::Backend::kSqlite) {
    signing_key_file = url->sqlite_path + ".signing-key";
  }
  if (!signing_key_file.empty()) {
    auto loaded = lims::services::LoadOrCreateSigningKey(signing_key_file);
    if (!loaded.ok()) {
      spdlog::critical("{}", std::string(loaded.status().message()));
      return 1;
    }
    if (loaded->created) {
      spdlog::info(
          "made the manifest signing key {} (mode 0600; keep a copy with the backups); "
          "fingerprint {}",
          signing_key_file, loaded->key.fingerprint());
    }
    options.signing_key = std::move(loaded->key);
  }
  auto server = lims::services::LimsServer::Start(**db, options);
  if (!server.ok()) {
    spdlog::critical("{}", std::string(server.status().message()));
    return 1;
  }
  if (tls.cert_file.empty()) {
    spdlog::warn(
        "plaintext gRPC (loopback only); use --tls-cert and --tls-key to serve other machines");
  }
  auto schema = (*db)->SchemaVersion();
  spdlog::info("serving on {} (port {}), database {}, schema v{}", listen, (*server)->port(),
               url->Redacted(), schema.ok() ? *schema : -1);
  if ((*server)->http_port()) {
    spdlog::info("browser app and JSON door on {}://{}:{}/",
                 tls.cert_file.empty() ? "http" : "https",
                 http_listen.substr(0, http_listen.rfind(':')), (*server)->http_port());
  }

  auto janitor = std::make_unique<lims::services::RequestLogJanitor>(
      **db, absl::Hours(24) * replay_days);
  auto memory_trim = std::make_unique<lims::services::MemoryTrim>(**db);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  spdlog::info("signal {}, shutting down (grace {} s)", signal_number, grace_seconds);
  (*server)->Shutdown(absl::Seconds(grace_seconds));
  janitor.reset();
  memory_trim.reset();
  server->reset();
  db->reset();  // closes the pool after the last call finished
  spdlog::info("stopped");
  return 0;
}
