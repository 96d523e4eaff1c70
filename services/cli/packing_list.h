// The packing list that travels in the box: a PDF (A4, cairo) drawn from the shipment's
// manifest, one line per tube, with the shipment's particulars, its digest and places to sign.
#ifndef LIMS_CLI_PACKING_LIST_H_
#define LIMS_CLI_PACKING_LIST_H_

#include <string>

namespace lims::cli {

// CliError when the manifest is not one, the file cannot be written, or lims was built
// without cairo.
void WritePackingList(const std::string& manifest_json, const std::string& path);

}  // namespace lims::cli

#endif  // LIMS_CLI_PACKING_LIST_H_
