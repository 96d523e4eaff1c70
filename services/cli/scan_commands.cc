// Pictures and racks from the bench (ScanService): every barcode in a tube photo, and whole
// racks from their picture or their rack scanner's file.
#include <iostream>
#include <map>
#include <string>

#include "cli.h"
#include "display.h"
#include "output.h"

namespace lims::cli {
namespace {

std::string FormatName(v1::CodeFormat format) {
  switch (format) {
    case v1::CODE_FORMAT_DATA_MATRIX: return "DataMatrix";
    case v1::CODE_FORMAT_QR_CODE: return "QR";
    case v1::CODE_FORMAT_CODE_128: return "Code128";
    default: return "?";
  }
}

void PrintTubes(const char* title, const google::protobuf::RepeatedPtrField<v1::ReconciledTube>& tubes,
                bool with_place) {
  if (tubes.empty()) return;
  std::cout << "\n" << title << " (" << tubes.size() << "):\n";
  Table table(with_place ? std::vector<std::string>{"WELL", "TUBE", "RECORDED AT"}
                         : std::vector<std::string>{"WELL", "TUBE"});
  for (const auto& t : tubes) {
    if (with_place) {
      table.AddRow({t.position(), t.barcode(), t.recorded_at()});
    } else {
      table.AddRow({t.position(), t.barcode()});
    }
  }
  table.Print(std::cout);
}

// PNG, JPEG or BMP by their first bytes; anything else is taken for a rack scanner's CSV file.
bool LooksLikePicture(const std::string& bytes) {
  return bytes.rfind("\x89PNG", 0) == 0 || bytes.rfind("\xFF\xD8\xFF", 0) == 0 ||
         bytes.rfind("BM", 0) == 0;
}

void PrintScan(const v1::ScanBoxResponse& response) {
  const int columns = response.columns();
  int decoded = 0, empty = 0, unreadable = 0;
  std::map<std::pair<int, int>, std::string> tags;
  for (int i = 0; i < response.wells_size(); ++i) {
    const auto& w = response.wells(i);
    decoded += w.state() == v1::WELL_STATE_DECODED;
    empty += w.state() == v1::WELL_STATE_EMPTY;
    unreadable += w.state() == v1::WELL_STATE_UNREADABLE;
    if (w.state() == v1::WELL_STATE_DECODED) tags[{i / columns, i % columns}] = ShortTag(w.barcode(), 4);
    if (w.state() == v1::WELL_STATE_UNREADABLE) tags[{i / columns, i % columns}] = "?";
  }
  std::cout << "Rack " << (response.rack_barcode().empty() ? "(no barcode)" : response.rack_barcode())
            << ": " << decoded << " tubes read, " << unreadable << " unreadable (?), " << empty
            << " empty wells";
  if (!response.position_style().empty()) {
    std::cout << " (positions written " << response.position_style() << ")";
  }
  std::cout << "\n";
  if (!response.a1_decided_by().empty()) {
    std::cout << "Rack turned " << response.rotation_degrees() << " degrees; "
              << response.a1_decided_by() << "\n";
  }
  if (columns > 0) PrintWellGrid(std::cout, response.rows(), columns, tags);
  if (!response.unassigned().empty()) {
    std::cout << "Read but in no well (look at the rack):\n";
    Table table({"CODE", "AT (x, y)", "WHY"});
    for (const auto& u : response.unassigned()) {
      table.AddRow({u.text(), std::to_string(u.center().x()) + ", " + std::to_string(u.center().y()),
                    u.reason()});
    }
    table.Print(std::cout);
  }
  if (response.has_reconciliation()) {
    const auto& r = response.reconciliation();
    std::cout << r.matched_size() << " tubes where the LIMS has them\n";
    PrintTubes("Missing: recorded in this box, not in the scan", r.missing(), false);
    PrintTubes("Misplaced: in the scan, recorded elsewhere", r.misplaced(), true);
    PrintTubes("Unexpected: codes the LIMS does not know", r.unexpected(), false);
    PrintTubes("Unverified: recorded here, well unreadable (look)", r.unverified(), false);
  }
  if (!response.applied().empty()) {
    std::cout << "\nApplied (" << response.applied_size() << " changes, reason \"box scan\"):\n";
    Table table({"TUBE", "CHANGE", "FROM", "TO"});
    for (const auto& c : response.applied()) table.AddRow({c.barcode(), c.change(), c.from(), c.to()});
    table.Print(std::cout);
  }
}

// `lims rack scan FILE [--box ID [--apply] | --rows R --columns C] [--mirrored] [--a1 CORNER]`.
void AddRackScanCommand(CLI::App& app, Cli& cli) {
  struct Args {
    std::string file, box;
    v1::A1Corner a1 = v1::A1_CORNER_UNSPECIFIED;
    int rows = 0, columns = 0;
    bool mirrored = false, apply = false;
  };
  auto args = std::make_shared<Args>();
  auto* rack = app.add_subcommand("rack", "Whole racks and boxes: what is in each well");
  rack->require_subcommand(1);
  auto* scan = rack->add_subcommand(
      "scan", "Read a rack: a picture of it from below (PNG, JPEG, BMP) or its rack scanner's "
              "CSV export; with --box, compare it with the box");
  scan->add_option("FILE", args->file, "the picture or the rack scanner's CSV file")
      ->required()
      ->check(CLI::ExistingFile);
  scan->add_option("--box", args->box, "the box (id) it is: matched, missing, misplaced, "
                                       "unexpected and unreadable tubes")
      ->type_name("ID");
  scan->add_option("--rows", args->rows, "the rack's rows without --box (8 for SBS 96)");
  scan->add_option("--columns", args->columns, "the rack's columns without --box (12)");
  scan->add_flag("--mirrored", args->mirrored,
                 "the picture is the camera's raw view from below, not the top-view layout");
  scan->add_option("--a1", args->a1,
                   "where A1 is in the picture when its chamfered corner cannot be seen (a "
                   "rack holder with a fixed orientation)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, v1::A1Corner>{{"top-left", v1::A1_CORNER_TOP_LEFT},
                                              {"top-right", v1::A1_CORNER_TOP_RIGHT},
                                              {"bottom-left", v1::A1_CORNER_BOTTOM_LEFT},
                                              {"bottom-right", v1::A1_CORNER_BOTTOM_RIGHT}}))
      ->type_name("CORNER");
  scan->add_flag("--apply", args->apply,
                 "with --box (managers): make the LIMS's records match the scan");
  cli.OnRun(scan, [&cli, args] {
    v1::ScanBoxRequest request;
    std::string bytes = ReadWholeFile(args->file);
    if (LooksLikePicture(bytes)) {
      request.set_image(std::move(bytes));
    } else {
      request.set_rack_csv(std::move(bytes));
    }
    request.set_box_id(Trim(args->box));
    request.set_rows(args->rows);
    request.set_columns(args->columns);
    request.set_mirrored(args->mirrored);
    request.set_a1_corner(args->a1);
    if (request.box_id().empty() && (args->rows == 0 || args->columns == 0)) {
      throw CliError(kExitUsage, "give --box ID, or --rows and --columns for a loose rack");
    }
    if (args->apply) {
      if (request.box_id().empty()) throw CliError(kExitUsage, "--apply needs --box ID");
      request.set_apply(true);
      request.set_request_id(cli.client().RequestId());
    }
    v1::ScanBoxResponse response;
    cli.client().Call(
        [&](grpc::ClientContext* context) {
          return cli.client().scan().ScanBox(context, request, &response);
        },
        request.request_id());
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintScan(response);
    return 0;
  });
}

}  // namespace

void AddScanCommands(CLI::App& app, Cli& cli) {
  AddRackScanCommand(app, cli);
  AddBenchScanCommand(app, cli);
  auto files = std::make_shared<std::vector<std::string>>();
  auto* decode = app.add_subcommand(
      "decode", "Every DataMatrix, QR and Code 128 in pictures (PNG, JPEG or BMP)");
  decode->add_option("IMAGE", *files, "picture files")->required()->check(CLI::ExistingFile);
  cli.OnRun(decode, [&cli, files] {
    for (const std::string& file : *files) {
      v1::DecodeImageRequest request;
      request.set_image(ReadWholeFile(file));
      const v1::DecodeImageResponse response =
          cli.client().Read(&Client::scan, &v1::ScanService::Stub::DecodeImage, request);
      if (cli.options.json) {
        PrintJson(response);
        continue;
      }
      std::cout << file << ": " << response.width() << " x " << response.height() << ", "
                << response.codes_size() << " code" << (response.codes_size() == 1 ? "" : "s")
                << "\n";
      Table table({"FORMAT", "TEXT", "CORNERS"});
      for (const auto& code : response.codes()) {
        std::string corners;
        for (const auto& p : code.corners()) {
          corners += (corners.empty() ? "" : " ") + std::to_string(p.x()) + "," + std::to_string(p.y());
        }
        table.AddRow({FormatName(code.format()), code.text(), corners});
      }
      if (response.codes_size() > 0) table.Print(std::cout);
    }
    return 0;
  });
}

}  // namespace lims::cli
