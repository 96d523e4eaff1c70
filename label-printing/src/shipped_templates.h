// The JSON text of the templates shipped in label-printing/templates, built into the library.
#ifndef LIMS_LABELS_SRC_SHIPPED_TEMPLATES_H_
#define LIMS_LABELS_SRC_SHIPPED_TEMPLATES_H_

#include <string_view>
#include <vector>

namespace lims::labels {

const std::vector<std::string_view>& ShippedTemplateFiles();

}  // namespace lims::labels

#endif  // LIMS_LABELS_SRC_SHIPPED_TEMPLATES_H_
