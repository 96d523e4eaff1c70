// The columns of a tube import file, found by the names of our own format or of OpenSpecimen's
// specimen export (docs/import-samples.md): header names are compared without case, spaces or
// punctuation ("Specimen Label" = "specimen_label" = "SPECIMEN-LABEL"). Pure.
#ifndef LIMS_CORE_TUBE_CSV_H_
#define LIMS_CORE_TUBE_CSV_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lims {

enum class TubeColumn {
  kBarcode,
  kParentBarcode,
  kRegistryId,
  kSiteCode,
  kProtocolCode,
  kAnchorDate,
  kTimepointCode,
  kSampleType,
  kQuantity,
  kCollectedAt,
  kBox,
  kPosition,
};
inline constexpr int kTubeColumnCount = 12;

// For each TubeColumn, its index in the header, or -1 when the file has none. INVALID_ARGUMENT
// naming the required columns missing (barcode, registry_id, site_code, protocol_code,
// timepoint_code, sample_type, quantity, collected_at), a column given twice under two names,
// or a position without a box.
absl::StatusOr<std::array<int, kTubeColumnCount>> MapTubeColumns(
    const std::vector<std::string>& header);

// Our name of a column, for messages ("parent_barcode").
const char* TubeColumnName(TubeColumn column);

}  // namespace lims

#endif  // LIMS_CORE_TUBE_CSV_H_
