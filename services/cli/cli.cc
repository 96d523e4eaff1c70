#include "cli.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "credentials.h"
#include "output.h"

namespace lims::cli {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

constexpr char kFooter[] = R"(Environment:
  LIMS_SERVER   default for --server (else 127.0.0.1:50051)
  LIMS_TOKEN    the API token, unless --token-file is given (else the one `lims login` stored
                in ~/.config/lims/token, or $XDG_CONFIG_HOME/lims/token)

Exit codes:
   0 ok
   1 other error
   2 usage error
   3 not found (NOT_FOUND)
   4 invalid input (INVALID_ARGUMENT)
   5 rule violated (FAILED_PRECONDITION)
   6 already exists (ALREADY_EXISTS)
   7 server not reachable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)
   8 concurrent change, retry (ABORTED)
   9 not logged in or token revoked (UNAUTHENTICATED): run `lims login`
  10 not allowed for your role or sites (PERMISSION_DENIED)

Examples:
  lims login --token-file var/tokens/tech.psl
  lims resolve PSL26-000123-K
  lims box show 7
  lims collect 3 M3 SER 4mL --at 2026-03-01T09:30
  lims --json sample show PSL26-000123-K)";

}  // namespace

Client& Cli::client() {
  if (!token_known_) {
    Token token = FindToken(options.token_file);
    options.token = std::move(token.value);
    options.token_source = std::move(token.source);
    token_known_ = true;
  }
  if (!client_) client_ = std::make_unique<Client>(options);
  return *client_;
}

void Cli::UseToken(std::string token, std::string source) {
  options.token = std::move(token);
  options.token_source = std::move(source);
  token_known_ = true;
}

void Cli::OnRun(CLI::App* command, Action run) {
  command->callback([this, run = std::move(run)] { action_ = run; });
}

int Cli::Run() {
  if (!action_) return kExitUsage;  // CLI11 requires a command; not reached
  try {
    return action_();
  } catch (const RpcError& error) {
    std::cout.flush();
    const int code = ReportRpcError(error.status(), error.request_id(), options.server);
    if (code == kExitUnauthenticated) {
      std::cerr << (options.token.empty() ? "hint: no token: " : "hint: the token came from ")
                << options.token_source << "\n";
    } else if (code == kExitPermissionDenied) {
      std::cerr << "hint: `lims whoami` shows your role and sites\n";
    }
    return code;
  } catch (const CliError& error) {
    std::cout.flush();
    return ReportCliError(error);
  } catch (const std::exception& error) {
    std::cout.flush();
    std::cerr << "error: " << error.what() << "\n";
    return kExitOther;
  }
}

void AddGlobalOptions(CLI::App& app, Cli& cli) {
  cli.options.server = EnvOr("LIMS_SERVER", "127.0.0.1:50051");
  app.add_option("--server", cli.options.server,
                 "lims-server address HOST:PORT (env LIMS_SERVER, default 127.0.0.1:50051)")
      ->type_name("HOST:PORT");
  app.add_flag("--json", cli.options.json, "machine-readable output: one JSON document on stdout");
  app.add_option("--token-file", cli.options.token_file,
                 "read the API token from FILE (else env LIMS_TOKEN, else the token `lims login` "
                 "stored)")
      ->type_name("FILE");
  cli.options.tls_ca_file = EnvOr("LIMS_TLS_CA", "");
  app.add_option("--tls-ca", cli.options.tls_ca_file,
                 "PEM CA that signed the server's certificate: connect with TLS (env LIMS_TLS_CA)")
      ->type_name("FILE");
  auto* cert = app.add_option("--tls-cert", cli.options.tls_cert_file,
                              "PEM client certificate, for servers requiring mutual TLS")
                   ->type_name("FILE");
  auto* key = app.add_option("--tls-key", cli.options.tls_key_file, "PEM key of --tls-cert")
                  ->type_name("FILE");
  cert->needs(key);
  key->needs(cert);
  app.add_flag("--insecure", cli.options.insecure,
               "allow plaintext (no --tls-ca) to a server that is not on this machine");
  app.add_option("--request-id", cli.options.request_id,
                 "id of a mutating call, to retry it safely (default: a fresh random id)")
      ->type_name("ID");
}

void AddHelpFooter(CLI::App& app) { app.footer(kFooter); }

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Trim(std::string_view text) {
  const char* space = " \t\r\n";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string ReadWholeFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, "cannot read " + path + ": " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::string text;
  if (size > 0) {
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), size);
  } else {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (in.bad()) throw CliError(kExitUsage, "cannot read " + path + ": " + std::strerror(errno));
  return text;
}

void WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) throw CliError(kExitOther, "cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace lims::cli
