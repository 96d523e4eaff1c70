// lims registry import FILE.csv [--dry-run] and lims export fhir: the registry's files in and out.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "cli.h"
#include "output.h"

namespace lims::cli {
namespace {

// Large files travel in one call: give the server time to check and apply every row.
constexpr auto kBulkDeadline = std::chrono::minutes(10);

void AddImport(CLI::App& registry, Cli& cli) {
  struct Args {
    std::string file;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  auto* import = registry.add_subcommand(
      "import",
      "Create or update patients and enrollments from a registry CSV (all rows or none)");
  import
      ->add_option("FILE", args->file,
                   "CSV with a header of at least registry_id,site_code,protocol_code,"
                   "anchor_date (other columns are ignored)")
      ->required();
  import->add_flag("--dry-run", args->dry_run, "check and count, change nothing");
  cli.OnRun(import, [&cli, args] {
    v1::ImportRegistryCsvRequest request;
    request.set_csv(ReadWholeFile(args->file));
    request.set_dry_run(args->dry_run);
    request.set_request_id(cli.client().RequestId());
    v1::ImportRegistryCsvResponse response;
    cli.client().Call(
        [&](grpc::ClientContext* context) {
          context->set_deadline(std::chrono::system_clock::now() + kBulkDeadline);
          return cli.client().registry().ImportRegistryCsv(context, request, &response);
        },
        request.request_id());
    const bool failed = response.error_count() > 0;
    if (cli.options.json) {
      PrintJson(response);
      return failed ? static_cast<int>(kExitInvalidArgument) : 0;
    }
    if (failed) {
      std::cout << args->file << ": " << response.error_count() << " error"
                << (response.error_count() == 1 ? "" : "s") << " in " << response.rows_read()
                << (response.rows_read() == 1 ? " row" : " rows") << "; nothing was changed. Correct the file and import it again.\n";
      for (const auto& error : response.errors()) {
        std::cout << "line " << error.line() << ": " << error.message() << "\n";
      }
      if (response.errors_size() < response.error_count()) {
        std::cout << "(" << response.error_count() - response.errors_size()
                  << " more errors not listed)\n";
      }
      return static_cast<int>(kExitInvalidArgument);
    }
    if (args->dry_run) std::cout << "Dry run: nothing was changed; without --dry-run:\n";
    std::cout << "rows accepted:         " << response.rows_accepted() << "\n"
              << "patients created:      " << response.patients_created() << "\n"
              << "enrollments created:   " << response.enrollments_created() << "\n"
              << "anchor dates changed:  " << response.enrollments_updated() << "\n";
    return 0;
  });
}

void AddExport(CLI::App& app, Cli& cli) {
  auto* exporter = app.add_subcommand("export", "Export samples for registries and warehouses");
  exporter->require_subcommand(1);
  struct Args {
    std::string protocol;
    std::string site;
    std::string out;
  };
  auto args = std::make_shared<Args>();
  auto* fhir = exporter->add_subcommand(
      "fhir", "Samples as a FHIR R4 Bundle of Specimen resources (JSON)");
  fhir->add_option("--protocol", args->protocol, "only this protocol's samples");
  fhir->add_option("--site", args->site, "only this site's samples (default: all of yours)");
  fhir->add_option("--out", args->out, "write the bundle to FILE instead of stdout");
  cli.OnRun(fhir, [&cli, args] {
    v1::ExportFhirRequest request;
    request.set_protocol_code(args->protocol);
    request.set_site_code(args->site);
    v1::ExportFhirResponse response;
    cli.client().Call([&](grpc::ClientContext* context) {
      context->set_deadline(std::chrono::system_clock::now() + kBulkDeadline);
      return cli.client().registry().ExportFhir(context, request, &response);
    });
    if (args->out.empty()) {
      std::cout << response.bundle_json() << "\n";
      return 0;
    }
    WriteWholeFile(args->out, response.bundle_json() + "\n");
    std::cerr << response.specimen_count() << " specimens written to " << args->out;
    if (response.withheld_count() > 0) {
      std::cerr << " (" << response.withheld_count()
                << " left out: their patient withdrew consent to storage or research)";
    }
    std::cerr << "\n";
    return 0;
  });
}

}  // namespace

void AddRegistryIoCommands(CLI::App& app, Cli& cli) {
  auto* registry = app.add_subcommand("registry", "Exchange files with the patient registry");
  registry->require_subcommand(1);
  AddImport(*registry, cli);
  AddExport(app, cli);
}

}  // namespace lims::cli
