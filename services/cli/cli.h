// The shared state of one `lims` invocation: global options, the lazily opened connection, the
// command chosen on the command line, and helpers the command groups share.
#ifndef LIMS_CLI_CLI_H_
#define LIMS_CLI_CLI_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "client_context.h"

namespace lims::cli {

class Cli {
 public:
  using Action = std::function<int()>;

  GlobalOptions options;

  // The connection, opened on first use with the token FindToken() finds (credentials.h).
  Client& client();
  // Makes the calls use `token` instead (lims login checks a token before storing it).
  void UseToken(std::string token, std::string source);
  // Makes `run` the action when `command` is the subcommand given on the command line.
  void OnRun(CLI::App* command, Action run);
  bool HasAction() const { return static_cast<bool>(action_); }
  // Runs the chosen action; maps failures to messages on stderr and exit codes.
  int Run();

 private:
  Action action_;
  bool token_known_ = false;
  std::unique_ptr<Client> client_;
};

// --server, --json, --token-file, --request-id.
void AddGlobalOptions(CLI::App& app, Cli& cli);
// Environment, exit codes and examples under `lims --help` (call last: subcommands created
// before it keep their help short).
void AddHelpFooter(CLI::App& app);

// The command groups.
// audit list|verify|export.
void AddAuditCommands(CLI::App& app, Cli& cli);
// lims printer register|list, lims label templates|preview|print|jobs.
void AddLabelCommands(CLI::App& app, Cli& cli);
// lims decode IMAGE... (ScanService.DecodeImage), lims rack scan FILE (ScanBox), lims scan.
void AddScanCommands(CLI::App& app, Cli& cli);
// lims request preview|submit|approve|reject|show|list|picklist|pick.
void AddRequestCommands(CLI::App& app, Cli& cli);
// lims ship create|add|dispatch|export|import|receive|resolve|close|show|list.
void AddShipCommands(CLI::App& app, Cli& cli);
// lims trust show|add|revoke|list: manifest signing keys.
void AddTrustCommands(CLI::App& app, Cli& cli);
// lims scan [--into BOX] [--offline-queue FILE] | --replay FILE: a bench session.
void AddBenchScanCommand(CLI::App& app, Cli& cli);
void AddRegistryCommands(CLI::App& app, Cli& cli);
void AddSampleCommands(CLI::App& app, Cli& cli);
void AddStorageCommands(CLI::App& app, Cli& cli);
// login, whoami, user create|list|token|revoke.
void AddUserCommands(CLI::App& app, Cli& cli);
// consent record|withdraw|show.
void AddConsentCommands(CLI::App& app, Cli& cli);
// registry import FILE.csv [--dry-run], export fhir [--protocol] [--site] [--out].
void AddRegistryIoCommands(CLI::App& app, Cli& cli);
// completeness PROTOCOL [--site] [--svg FILE] [--png FILE], due --site --from --to.
void AddCompletenessCommands(CLI::App& app, Cli& cli);
// lims readings import, lims excursions, lims excursion show|ack, lims evacuation
void AddMonitoringCommands(CLI::App& app, Cli& cli);
// lims product ...: cell-therapy bags from apheresis to infusion (product_commands.cc).
void AddProductCommands(CLI::App& app, Cli& cli);
// lims import samples FILE.csv: an existing collection (import_commands.cc).
void AddImportCommands(CLI::App& app, Cli& cli);

// Reads every page of a List RPC into one response (next_page_token cleared).
// `list(context, request, response)` performs one call.
constexpr int kPageSize = 200;
template <typename Request, typename Response, typename ListFn>
Response ListAll(Client& client, Request request, ListFn list) {
  Response all;
  std::string token;
  do {
    request.set_page_size(kPageSize);
    request.set_page_token(token);
    Response page;
    client.Call([&](grpc::ClientContext* context) { return list(context, request, &page); });
    const std::string next = page.next_page_token();
    all.MergeFrom(page);
    if (next == token) break;  // a server that repeats itself must not loop us forever
    token = next;
  } while (!token.empty());
  all.clear_next_page_token();
  return all;
}

// Small helpers for arguments.
bool AllDigits(std::string_view text);
std::string Trim(std::string_view text);
std::string JoinWords(const std::vector<std::string>& words);
// A file's bytes, read once straight into the string that is sent ("-": standard input).
// CliError (exit 2) when it cannot be read.
std::string ReadWholeFile(const std::string& path);
// Writes `bytes` to `path`, replacing it; CliError (exit 1) saying why when it cannot.
void WriteWholeFile(const std::string& path, const std::string& bytes);

// A storage unit by id (the server's NOT_FOUND names it).
v1::GetStorageUnitResponse GetUnit(Client& client, const std::string& id);
// lims storage update|move|capacity|free|history, added to the `storage` group.
void AddStorageCareCommands(CLI::App& storage, Cli& cli);

}  // namespace lims::cli

#endif  // LIMS_CLI_CLI_H_
