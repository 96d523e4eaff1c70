#include "lims/labels/label_template.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lims/core/json_shape.h"
#include "nlohmann/json.hpp"
#include "shipped_templates.h"

namespace lims::labels {
namespace {

// Below this a barcode's cells or bars are narrower than two dots of a 203 dpi head.
constexpr double kMinModuleMm = 0.2;
constexpr double kMinTextMm = 1.0;
// A4 paper's long side: more than any label stock, and a 600 dpi picture of it stays < 100 MB.
constexpr double kMaxStockMm = 300;

absl::StatusOr<ElementKind> ParseKind(const std::string& kind) {
  if (kind == "text") return ElementKind::kText;
  if (kind == "datamatrix") return ElementKind::kDataMatrix;
  if (kind == "code128") return ElementKind::kCode128;
  return absl::InvalidArgumentError(
      absl::StrCat("kind \"", kind, "\" is not one of text, datamatrix, code128"));
}

absl::Status CheckElement(const LabelTemplate& t, const LabelElement& e) {
  if (e.x_mm < 0 || e.y_mm < 0 || e.x_mm >= t.width_mm || e.y_mm >= t.height_mm) {
    return absl::InvalidArgumentError(absl::StrCat("its position (", e.x_mm, ", ", e.y_mm,
                                                   ") mm is off the ", t.width_mm, " x ",
                                                   t.height_mm, " mm stock"));
  }
  if (e.content.empty()) return absl::InvalidArgumentError("its content is empty");
  switch (e.kind) {
    case ElementKind::kText:
      if (e.height_mm < kMinTextMm || e.width_mm <= 0 || e.x_mm + e.width_mm > t.width_mm + 1e-9 ||
          e.y_mm + e.height_mm > t.height_mm + 1e-9) {
        return absl::InvalidArgumentError(absl::StrCat(
            "a text needs height_mm >= ", kMinTextMm, " and a width_mm, and must fit the stock"));
      }
      break;
    case ElementKind::kCode128:
      if (e.height_mm <= 0 || e.y_mm + e.height_mm > t.height_mm + 1e-9) {
        return absl::InvalidArgumentError("a code128 needs a height_mm that fits the stock");
      }
      [[fallthrough]];
    case ElementKind::kDataMatrix:
      if (e.kind == ElementKind::kDataMatrix && e.width_mm > 0 &&
          (e.height_mm <= 0 || e.x_mm + e.width_mm > t.width_mm + 1e-9 ||
           e.y_mm + e.height_mm > t.height_mm + 1e-9)) {
        return absl::InvalidArgumentError(
            "a datamatrix box (width_mm, height_mm) must have both and fit the stock");
      }
      if (e.module_mm < kMinModuleMm) {
        return absl::InvalidArgumentError(absl::StrCat(
            "module_mm ", e.module_mm, " is too small to print reliably (at least ",
            kMinModuleMm, ")"));
      }
      break;
  }
  return absl::OkStatus();
}

absl::Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LabelTemplate> ParseTemplateJson(std::string_view json) {
  // A template is a small flat document; anything larger or deeper is not one.
  if (absl::Status shape = CheckJsonShape(json, {256u << 10, 8}, "a label template");
      !shape.ok()) {
    return shape;
  }
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("a label template must be one JSON object");
  }
  LabelTemplate t;
  try {
    t.name = doc.at("name").get<std::string>();
    t.description = doc.value("description", "");
    t.width_mm = doc.at("width_mm").get<double>();
    t.height_mm = doc.at("height_mm").get<double>();
    if (t.name.empty() || t.width_mm <= 0 || t.height_mm <= 0) {
      return absl::InvalidArgumentError("a label template needs a name, width_mm and height_mm");
    }
    if (t.name.size() > 64 || t.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") !=
                                  std::string::npos) {
      return absl::InvalidArgumentError(
          "a template name has at most 64 lower-case letters, digits, '-' and '_'");
    }
    if (t.width_mm > kMaxStockMm || t.height_mm > kMaxStockMm) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template ", t.name, ": the stock may be at most ", kMaxStockMm, " mm on a side"));
    }
    int index = 0;
    for (const nlohmann::json& item : doc.at("elements")) {
      ++index;
      LabelElement e;
      auto kind = ParseKind(item.at("kind").get<std::string>());
      absl::Status checked = kind.status();
      if (kind.ok()) {
        e.kind = *kind;
        e.x_mm = item.at("x_mm").get<double>();
        e.y_mm = item.at("y_mm").get<double>();
        e.height_mm = item.value("height_mm", 0.0);
        e.width_mm = item.value("width_mm", 0.0);
        e.module_mm = item.value("module_mm", 0.0);
        e.content = item.at("content").get<std::string>();
        checked = CheckElement(t, e);
      }
      if (!checked.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("template ", t.name, ", element ", index,
                                                       ": ", checked.message()));
      }
      t.elements.push_back(std::move(e));
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("label template ", t.name, ": ", e.what(),
                     " (expected name, width_mm, height_mm and elements with kind, x_mm, y_mm, "
                     "content)"));
  }
  if (t.elements.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("template ", t.name, " has no elements"));
  }
  return t;
}

absl::StatusOr<std::string> FillContent(std::string_view content, const LabelValues& values) {
  std::string out;
  size_t i = 0;
  while (i < content.size()) {
    const size_t open = content.find('{', i);
    if (open == std::string_view::npos) {
      out.append(content.substr(i));
      break;
    }
    const size_t close = content.find('}', open);
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", std::string(content), "\" has a '{' without its '}'"));
    }
    out.append(content.substr(i, open - i));
    const std::string name(content.substr(open + 1, close - open - 1));
    auto found = values.find(name);
    if (found == values.end()) {
      std::vector<std::string> known;
      for (const auto& [key, value] : values) known.push_back(key);
      return absl::InvalidArgumentError(absl::StrCat("the label has no value {", name,
                                                      "}; this label offers ",
                                                      absl::StrJoin(known, ", ")));
    }
    out.append(found->second);
    i = close + 1;
  }
  return out;
}

absl::StatusOr<TemplateLibrary::Loaded> TemplateLibrary::LoadAll() const {
  Loaded all;
  for (std::string_view json : ShippedTemplateFiles()) {
    auto t = ParseTemplateJson(json);
    if (!t.ok()) return absl::InternalError(absl::StrCat("shipped ", t.status().message()));
    all.templates[t->name] = *std::move(t);
  }
  if (directory_.empty()) return all;
  DIR* dir = opendir(directory_.c_str());
  if (dir == nullptr) return all;  // no local templates yet
  std::vector<std::string> files;
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) files.push_back(name);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    const std::string path = directory_ + "/" + file;
    std::string json;
    absl::Status read = ReadFile(path, &json);
    auto t = read.ok() ? ParseTemplateJson(json) : absl::StatusOr<LabelTemplate>(read);
    if (!t.ok()) {
      all.broken.push_back(absl::StrCat(path, ": ", t.status().message()));
      continue;
    }
    all.templates[t->name] = *std::move(t);
  }
  return all;
}

absl::StatusOr<LabelTemplate> TemplateLibrary::Find(std::string_view name) const {
  auto all = LoadAll();
  if (!all.ok()) return all.status();
  auto found = all->templates.find(std::string(name));
  if (found == all->templates.end()) {
    std::vector<std::string> names;
    for (const auto& [key, t] : all->templates) names.push_back(key);
    std::string broken;
    if (!all->broken.empty()) {
      broken = absl::StrCat("; these files do not parse: ", absl::StrJoin(all->broken, "; "));
    }
    return absl::NotFoundError(absl::StrCat("no label template \"", std::string(name.substr(0, 64)),
                                            "\"; there are ", absl::StrJoin(names, ", "),
                                            broken));
  }
  return found->second;
}

absl::StatusOr<std::vector<LabelTemplate>> TemplateLibrary::List() const {
  auto all = LoadAll();
  if (!all.ok()) return all.status();
  if (!all->broken.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(all->broken, "; "));
  }
  std::vector<LabelTemplate> out;
  for (auto& [name, t] : all->templates) out.push_back(std::move(t));
  return out;
}

}  // namespace lims::labels
