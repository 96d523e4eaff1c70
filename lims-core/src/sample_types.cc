#include "lims/core/sample_types.h"

#include <map>

namespace lims {

std::string SampleTypeName(std::string_view code) {
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
  auto it = names->find(code);
  return it == names->end() ? std::string(code) : it->second;
}

}  // namespace lims
