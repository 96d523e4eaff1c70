// lims-label-render: fills a label template with values from a JSON file and writes the ZPL and
// the PNG preview, without a server. For checking a new template file before it goes into the
// server's template directory, and for the label tests.
//
//   lims-label-render --template cryotube|FILE.json --values values.json --dpi 300
//                     --zpl out.zpl --png out.png   (one line)
#include <fstream>
#include <iostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "lims/labels/label_layout.h"
#include "lims/labels/label_png.h"
#include "lims/labels/label_template.h"
#include "lims/labels/zpl.h"
#include "nlohmann/json.hpp"

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

int Fail(const std::string& message) {
  std::cerr << "lims-label-render: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Render a label template to ZPL and PNG"};
  std::string template_arg, values_path, zpl_path, png_path, template_dir;
  int dpi = 203, copies = 1;
  app.add_option("--template", template_arg, "a template name or a template .json file")
      ->required();
  app.add_option("--values", values_path, "JSON object of the values, e.g. {\"barcode\": ...}")
      ->required();
  app.add_option("--dpi", dpi, "203, 300 or 600")->capture_default_str();
  app.add_option("--copies", copies, "^PQ copies")->capture_default_str();
  app.add_option("--template-dir", template_dir, "the site's own templates, as lims-server's");
  app.add_option("--zpl", zpl_path, "write the ZPL here");
  app.add_option("--png", png_path, "write the PNG here");
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<lims::labels::LabelTemplate> t;
  std::string text;
  if (template_arg.size() > 5 && template_arg.substr(template_arg.size() - 5) == ".json") {
    if (!ReadFile(template_arg, &text)) return Fail("cannot read " + template_arg);
    t = lims::labels::ParseTemplateJson(text);
  } else {
    t = lims::labels::TemplateLibrary(template_dir).Find(template_arg);
  }
  if (!t.ok()) return Fail(std::string(t.status().message()));

  if (!ReadFile(values_path, &text)) return Fail("cannot read " + values_path);
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return Fail(values_path + " is not a JSON object");
  lims::labels::LabelValues values;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) return Fail("value " + key + " is not a string");
    values[key] = value.get<std::string>();
  }

  auto layout = lims::labels::LayOutLabel(*t, values, dpi);
  if (!layout.ok()) return Fail(std::string(layout.status().message()));
  if (!zpl_path.empty()) {
    std::ofstream(zpl_path, std::ios::binary) << lims::labels::LabelToZpl(*layout, copies);
  }
  if (!png_path.empty()) {
    auto png = lims::labels::LabelToPng(*layout);
    if (!png.ok()) return Fail(std::string(png.status().message()));
    std::ofstream(png_path, std::ios::binary) << *png;
  }
  std::cout << t->name << " " << layout->width << "x" << layout->height << " dots at " << dpi
            << " dpi\n";
  return 0;
}
