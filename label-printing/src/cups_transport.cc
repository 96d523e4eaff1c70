// A raw job on a CUPS queue: the ZPL goes to the printer untouched (no filters). Which cupsd
// is asked follows CUPS's own settings (CUPS_SERVER, client.conf).
#include <cups/cups.h>

#include "absl/strings/str_cat.h"
#include "transports.h"

namespace lims::labels {
namespace {

absl::Status CupsFailed(const PrinterUri& printer, const std::string& step) {
  return absl::UnavailableError(absl::StrCat(
      "printer ", printer.ToString(), " cannot take the job (", step, ": ", cupsLastErrorString(),
      "); check that the CUPS queue exists and accepts jobs (lpstat -p), or print on another "
      "printer"));
}

}  // namespace

absl::Status SendToCups(const PrinterUri& printer, std::string_view bytes,
                        std::string_view job_name) {
  const std::string title(job_name);
  const int job = cupsCreateJob(CUPS_HTTP_DEFAULT, printer.queue.c_str(), title.c_str(), 0, nullptr);
  if (job == 0) return CupsFailed(printer, "create job");
  if (cupsStartDocument(CUPS_HTTP_DEFAULT, printer.queue.c_str(), job, title.c_str(),
                        CUPS_FORMAT_RAW, 1) != HTTP_STATUS_CONTINUE) {
    cupsCancelJob2(CUPS_HTTP_DEFAULT, printer.queue.c_str(), job, 0);
    return CupsFailed(printer, "start document");
  }
  if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, bytes.data(), bytes.size()) != HTTP_STATUS_CONTINUE) {
    cupsFinishDocument(CUPS_HTTP_DEFAULT, printer.queue.c_str());
    cupsCancelJob2(CUPS_HTTP_DEFAULT, printer.queue.c_str(), job, 0);
    return CupsFailed(printer, "send data");
  }
  if (cupsFinishDocument(CUPS_HTTP_DEFAULT, printer.queue.c_str()) > IPP_STATUS_OK_CONFLICTING) {
    return CupsFailed(printer, "finish document");
  }
  return absl::OkStatus();
}

}  // namespace lims::labels
