#include "lims/core/sample_types.h"

#include <cctype>
#include <map>

namespace lims {

namespace {

const std::map<std::string, std::string, std::less<>>& Names() {
  static const auto* names = new std::map<std::string, std::string, std::less<>>{
      {"BLD", "Whole blood"},
      {"SER", "Serum"},
      {"PL1", "Plasma, single spun"},
      {"PL2", "Plasma, double spun"},
      {"CEL", "Viable mononuclear cells"},
      {"BMA", "Bone marrow aspirate"},
      {"DNA", "DNA"},
      {"RNA", "RNA"},
      {"URN", "Urine"},
      {"CSF", "Cerebrospinal fluid"},
      {"TIS", "Tissue"},
  };
  return *names;
}

std::string Lower(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' || (!out.empty() && out.back() != ' ')) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

std::string SampleTypeName(std::string_view code) {
  auto it = Names().find(code);
  return it == Names().end() ? std::string(code) : it->second;
}

std::string SampleTypeCode(std::string_view text) {
  const std::string wanted = Lower(text);
  for (const auto& [code, name] : Names()) {
    if (wanted == Lower(code) || wanted == Lower(name)) return code;
  }
  static const auto* others = new std::map<std::string, std::string, std::less<>>{
      {"plasma", "PL1"},
      {"edta plasma", "PL1"},
      {"pbmc", "CEL"},
      {"pbmcs", "CEL"},
      {"blood", "BLD"},
      {"bone marrow", "BMA"},
      {"cerebrospinal fluid (csf)", "CSF"},
      {"urine", "URN"},
  };
  auto it = others->find(wanted);
  return it == others->end() ? "" : it->second;
}

}  // namespace lims
