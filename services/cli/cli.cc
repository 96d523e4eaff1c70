#include "cli.h"

#include <cstdlib>
#include <iostream>

#include "output.h"

namespace lims::cli {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

constexpr char kFooter[] = R"(Environment:
  LIMS_SERVER   default for --server (else 127.0.0.1:50051)
  LIMS_ACTOR    default for --as (else USER)

Exit codes:
  0 ok                      5 rule violated (FAILED_PRECONDITION)
  1 other error             6 already exists (ALREADY_EXISTS)
  2 usage error             7 server not reachable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)
  3 not found (NOT_FOUND)   8 concurrent change, retry (ABORTED)
  4 invalid input (INVALID_ARGUMENT)

Examples:
  lims resolve PSL26-000123-K
  lims box show 7
  lims collect 3 M3 SER 4mL --at 2026-03-01T09:30
  lims --json sample show PSL26-000123-K)";

// The actor travels in gRPC metadata and into the audit trail: printable ASCII, no spaces.
void CheckActor(const std::string& actor) {
  bool ok = !actor.empty() && actor.size() <= 100;
  for (char c : actor) ok = ok && c > 0x20 && c < 0x7f;
  if (!ok) {
    throw CliError(kExitUsage, "--as \"" + actor +
                                   "\" must be 1 to 100 printable ASCII characters without "
                                   "spaces (a user name such as jdupont)");
  }
}

}  // namespace

Client& Cli::client() {
  if (!client_) client_ = std::make_unique<Client>(options);
  return *client_;
}

void Cli::OnRun(CLI::App* command, Action run) {
  command->callback([this, run = std::move(run)] { action_ = run; });
}

int Cli::Run() {
  if (!action_) return kExitUsage;  // CLI11 requires a command; not reached
  try {
    CheckActor(options.actor);
    return action_();
  } catch (const RpcError& error) {
    std::cout.flush();
    return ReportRpcError(error.status(), error.request_id(), options.server);
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
  cli.options.actor = EnvOr("LIMS_ACTOR", EnvOr("USER", "unknown"));
  app.add_option("--server", cli.options.server,
                 "lims-server address HOST:PORT (env LIMS_SERVER, default 127.0.0.1:50051)")
      ->type_name("HOST:PORT");
  app.add_flag("--json", cli.options.json, "machine-readable output: one JSON document on stdout");
  app.add_option("--as", cli.options.actor,
                 "who is acting, recorded in the audit trail (env LIMS_ACTOR, else USER)")
      ->type_name("NAME");
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

}  // namespace lims::cli
