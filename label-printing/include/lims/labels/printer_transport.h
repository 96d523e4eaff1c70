// How label bytes reach a printer: raw TCP (a Zebra's port 9100), a CUPS queue (raw job), or a
// spool directory (one file per job, for printers fed by another program). A printer that
// cannot be reached is an error at once, never a job queued silently or a hang.
#ifndef LIMS_LABELS_PRINTER_TRANSPORT_H_
#define LIMS_LABELS_PRINTER_TRANSPORT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lims::labels {

struct PrinterUri {
  enum class Scheme { kTcp, kCups, kFile };
  Scheme scheme = Scheme::kTcp;
  std::string host;       // tcp
  int port = 9100;        // tcp
  std::string queue;      // cups
  std::string directory;  // file: an absolute path
  std::string ToString() const;
};

// "tcp://HOST[:PORT]" (port 9100 by default), "cups://QUEUE", "file:///ABSOLUTE/DIR".
// InvalidArgument says which form is expected.
absl::StatusOr<PrinterUri> ParsePrinterUri(std::string_view uri);

struct SendOptions {
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration write_timeout = absl::Seconds(10);
};

// Sends one job. Unavailable (with the printer, the reason and what to check) when the printer
// cannot be reached, refuses the connection, or stops taking data within the timeouts.
absl::Status SendToPrinter(const PrinterUri& printer, std::string_view bytes,
                           std::string_view job_name, const SendOptions& options = {});

}  // namespace lims::labels

#endif  // LIMS_LABELS_PRINTER_TRANSPORT_H_
