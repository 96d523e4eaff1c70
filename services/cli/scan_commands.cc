// Pictures from the bench (ScanService): every barcode in a tube photo or a scan.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli.h"
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

}  // namespace

void AddScanCommands(CLI::App& app, Cli& cli) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* decode = app.add_subcommand(
      "decode", "Every DataMatrix, QR and Code 128 in pictures (PNG, JPEG or BMP)");
  decode->add_option("IMAGE", *files, "picture files")->required()->check(CLI::ExistingFile);
  cli.OnRun(decode, [&cli, files] {
    for (const std::string& file : *files) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      v1::DecodeImageRequest request;
      request.set_image(bytes.str());
      v1::DecodeImageResponse response;
      cli.client().Call([&](grpc::ClientContext* context) {
        return cli.client().scan().DecodeImage(context, request, &response);
      });
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
