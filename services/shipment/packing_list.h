// The packing list of a shipment, read from its signed manifest (the document that travels), as
// a PDF drawn by label-printing.
#ifndef LIMS_SERVICES_SHIPMENT_PACKING_LIST_H_
#define LIMS_SERVICES_SHIPMENT_PACKING_LIST_H_

#include <string>

#include "absl/status/statusor.h"

namespace lims::services {

absl::StatusOr<std::string> PackingListPdfOf(const std::string& manifest_json);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_PACKING_LIST_H_
