// The packing list that travels in a shipment's box: an A4 PDF (cairo), one line per tube,
// with the shipment's particulars, the manifest's digest and places to sign.
#ifndef LIMS_LABELS_PACKING_LIST_H_
#define LIMS_LABELS_PACKING_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::labels {

struct PackingListLine {
  std::string tube;  // barcode, or the request code a researcher knows it by
  std::string type;  // SPREC type
  std::string quantity;
  std::string patient;  // registry id, or the request's patient code
  std::string protocol_timepoint;
  std::string packed_in;  // box and position in the shipping box
};

struct PackingList {
  std::string title;  // "Packing list: shipment PSL-12"
  std::string destination;
  std::string transport;   // packaging, courier, tracking number, logger
  std::string dispatched;  // when and by whom
  std::string digest;      // the signed manifest's SHA-256
  std::vector<PackingListLine> lines;
};

// The PDF file's bytes; Internal if cairo cannot draw it.
absl::StatusOr<std::string> PackingListPdf(const PackingList& list);

}  // namespace lims::labels

#endif  // LIMS_LABELS_PACKING_LIST_H_
