// lims: the command-line client of lims-server. Only wiring here; see cli.h.
#include <CLI/CLI.hpp>
#include <iostream>
#include <utility>

#include "cli.h"
#include "output.h"

int main(int argc, char** argv) {
  lims::cli::Cli cli;
  CLI::App app{"lims: biobank sample tracking (client of lims-server)", "lims"};
  app.fallthrough();  // global options may also follow the command
  lims::cli::AddGlobalOptions(app, cli);
  lims::cli::AddRegistryCommands(app, cli);
  lims::cli::AddSampleCommands(app, cli);
  lims::cli::AddStorageCommands(app, cli);
  lims::cli::AddAuditCommands(app, cli);
  lims::cli::AddLabelCommands(app, cli);
  lims::cli::AddScanCommands(app, cli);
  lims::cli::AddShipCommands(app, cli);
  lims::cli::AddTrustCommands(app, cli);
  lims::cli::AddRequestCommands(app, cli);
  lims::cli::AddUserCommands(app, cli);
  lims::cli::AddConsentCommands(app, cli);
  lims::cli::AddRegistryIoCommands(app, cli);
  lims::cli::AddCompletenessCommands(app, cli);
  lims::cli::AddMonitoringCommands(app, cli);
  lims::cli::AddProductCommands(app, cli);
  lims::cli::AddImportCommands(app, cli);

  // Group the commands in --help by what people do.
  const std::pair<const char*, const char*> groups[] = {
      {"site", "Registry"},
      {"patient", "Registry"},
      {"protocol", "Registry"},
      {"enroll", "Registry"},
      {"enrollment", "Registry"},
      {"collect", "Samples"},
      {"sample", "Samples"},
      {"resolve", "Samples"},
      {"history", "Samples"},
      {"storage", "Storage"},
      {"box", "Storage"},
      {"place", "Storage"},
      {"move", "Storage"},
      {"retrieve", "Storage"},
      {"return", "Storage"},
      {"login", "Users"},
      {"whoami", "Users"},
      {"user", "Users"},
      {"audit", "Audit"},
      {"consent", "Registry"},
      {"registry", "Registry"},
      {"export", "Registry"},
      {"completeness", "Registry"},
      {"due", "Registry"},
      {"printer", "Labels"},
      {"label", "Labels"},
      {"rack", "Bench scanning"},
      {"scan", "Bench scanning"},
      {"decode", "Bench scanning"},
      {"ship", "Shipments"},
      {"trust", "Shipments"},
      {"request", "Requests"},
      {"readings", "Freezers"},
      {"excursions", "Freezers"},
      {"excursion", "Freezers"},
      {"evacuation", "Freezers"},
      {"product", "Cell-therapy products"},
      {"import", "Samples"},
  };
  for (const auto& [name, group] : groups) app.get_subcommand(name)->group(group);
  // A command group added without a line above would land in a catch-all list: refuse.
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->get_group() == "Subcommands") {
      std::cerr << "lims: command group '" << command->get_name()
                << "' has no --help section in services/cli/main.cc\n";
      return lims::cli::kExitOther;
    }
  }
  lims::cli::AddHelpFooter(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);  // prints help, or the error on stderr
    return code == 0 ? lims::cli::kExitOk : lims::cli::kExitUsage;
  }
  if (!cli.HasAction()) {  // plain `lims`
    std::cerr << app.help();
    return lims::cli::kExitUsage;
  }
  return cli.Run();
}
