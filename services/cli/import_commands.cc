// lims import samples FILE.csv [--dry-run] [--time-zone ZONE]: an existing collection loaded
// from another system's export (docs/import-samples.md), streamed to the server in pieces.
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "output.h"

namespace lims::cli {
namespace {

// A million tubes are checked and written in one call.
constexpr auto kImportDeadline = std::chrono::minutes(30);
constexpr size_t kPieceBytes = 1 << 20;

void PrintReport(const std::string& file, const v1::ImportSamplesCsvResponse& response,
                 bool dry_run) {
  if (response.error_count() > 0) {
    std::cout << file << ": " << response.error_count() << " error"
              << (response.error_count() == 1 ? "" : "s") << " in " << response.rows_read()
              << " rows; nothing was changed. Correct the file and import it again.\n";
    for (const auto& error : response.errors()) {
      std::cout << "line " << error.line() << ": " << error.message() << "\n";
    }
    if (response.errors_size() < response.error_count()) {
      std::cout << "(" << response.error_count() - response.errors_size()
                << " more errors not listed)\n";
    }
    return;
  }
  if (dry_run) std::cout << "Dry run: nothing was changed; without --dry-run:\n";
  std::cout << "rows accepted:          " << response.rows_accepted() << "\n"
            << "patients created:       " << response.patients_created() << "\n"
            << "enrollments created:    " << response.enrollments_created() << "\n"
            << "primary tubes created:  " << response.primary_tubes_created() << "\n"
            << "derived tubes created:  " << response.derived_tubes_created() << "\n"
            << "tubes placed in boxes:  " << response.tubes_placed() << "\n";
}

void AddImportSamples(CLI::App& import, Cli& cli) {
  struct Args {
    std::string file;
    bool dry_run = false;
    std::string time_zone;
  };
  auto args = std::make_shared<Args>();
  auto* samples = import.add_subcommand(
      "samples",
      "Load tubes, their patients and enrollments from a CSV export (all lines or none; "
      "docs/import-samples.md)");
  samples
      ->add_option("FILE", args->file,
                   "CSV: barcode,parent_barcode,registry_id,site_code,protocol_code,anchor_date,"
                   "timepoint_code,sample_type,quantity,collected_at,box,position (or "
                   "OpenSpecimen's specimen export names)")
      ->required()
      ->check(CLI::ExistingFile);
  samples->add_flag("--dry-run", args->dry_run, "check and count, change nothing");
  samples->add_option("--time-zone", args->time_zone,
                      "IANA zone of collection times written without an offset (default UTC)");
  cli.OnRun(samples, [&cli, args] {
    const std::string request_id = cli.client().RequestId();
    v1::ImportSamplesCsvResponse response;
    cli.client().Call(
        [&](grpc::ClientContext* context) {
          context->set_deadline(std::chrono::system_clock::now() + kImportDeadline);
          auto writer = cli.client().samples().ImportSamplesCsv(context, &response);
          std::ifstream in(args->file, std::ios::binary);
          if (!in) throw CliError(kExitUsage, "cannot read " + args->file);
          v1::ImportSamplesCsvRequest piece;
          piece.set_dry_run(args->dry_run);
          piece.set_request_id(request_id);
          piece.set_time_zone(args->time_zone);
          std::vector<char> buffer(kPieceBytes);
          do {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            piece.set_csv_chunk(buffer.data(), static_cast<size_t>(in.gcount()));
            // The server stops reading when it refuses the call: Finish says why.
            if (!writer->Write(piece)) break;
            piece.Clear();
          } while (in);
          writer->WritesDone();
          return writer->Finish();
        },
        request_id);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintReport(args->file, response, args->dry_run);
    }
    return response.error_count() > 0 ? static_cast<int>(kExitInvalidArgument) : 0;
  });
}

}  // namespace

void AddImportCommands(CLI::App& app, Cli& cli) {
  auto* import = app.add_subcommand("import", "Load an existing collection into the LIMS");
  import->require_subcommand(1);
  AddImportSamples(*import, cli);
}

}  // namespace lims::cli
