# Writes ${OUT}: a C++ file holding every templates/*.json as a raw string, so the server needs no
# files beside its binary for the shipped templates. Run at build time (see CMakeLists.txt).
file(GLOB json_files "${TEMPLATES_DIR}/*.json")
list(SORT json_files)
set(entries "")
foreach(f ${json_files})
  file(READ ${f} json)
  string(APPEND entries "      R\"lims_json(${json})lims_json\",\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from label-printing/templates by embed_templates.cmake. Do not edit.
#include \"shipped_templates.h\"

namespace lims::labels {

const std::vector<std::string_view>& ShippedTemplateFiles() {
  static const std::vector<std::string_view> kFiles = {
${entries}  };
  return kFiles;
}

}  // namespace lims::labels
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
