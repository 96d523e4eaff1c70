// One function per transport, behind SendToPrinter (printer_transport.cc).
#ifndef LIMS_LABELS_SRC_TRANSPORTS_H_
#define LIMS_LABELS_SRC_TRANSPORTS_H_

#include "lims/labels/printer_transport.h"

namespace lims::labels {

absl::Status SendOverTcp(const PrinterUri& printer, std::string_view bytes,
                         const SendOptions& options);
absl::Status SendToCups(const PrinterUri& printer, std::string_view bytes,
                        std::string_view job_name);
absl::Status WriteToSpool(const PrinterUri& printer, std::string_view bytes,
                          std::string_view job_name);

}  // namespace lims::labels

#endif  // LIMS_LABELS_SRC_TRANSPORTS_H_
