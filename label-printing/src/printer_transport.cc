#include "lims/labels/printer_transport.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "transports.h"

namespace lims::labels {
namespace {

absl::Status BadUri(std::string_view uri, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "printer uri \"", std::string(uri), "\" ", std::string(why),
      "; use tcp://HOST[:PORT] (a Zebra's raw port, 9100 by default), cups://QUEUE or "
      "file:///ABSOLUTE/DIR"));
}

bool PlainName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string PrinterUri::ToString() const {
  switch (scheme) {
    case Scheme::kTcp: return absl::StrCat("tcp://", host, ":", port);
    case Scheme::kCups: return absl::StrCat("cups://", queue);
    case Scheme::kFile: return absl::StrCat("file://", directory);
  }
  return "";
}

absl::StatusOr<PrinterUri> ParsePrinterUri(std::string_view uri) {
  PrinterUri p;
  std::string_view rest;
  if (uri.substr(0, 6) == "tcp://") {
    p.scheme = PrinterUri::Scheme::kTcp;
    rest = uri.substr(6);
    const size_t colon = rest.rfind(':');
    std::string_view host = rest;
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      int port = 0;
      if (!absl::SimpleAtoi(std::string(rest.substr(colon + 1)), &port) || port < 1 ||
          port > 65535) {
        return BadUri(uri, "has a port that is not 1..65535");
      }
      p.port = port;
    }
    if (!PlainName(host)) return BadUri(uri, "needs a host name or IPv4 address");
    p.host = std::string(host);
    return p;
  }
  if (uri.substr(0, 7) == "cups://") {
    p.scheme = PrinterUri::Scheme::kCups;
    rest = uri.substr(7);
    if (!PlainName(rest)) return BadUri(uri, "needs a CUPS queue name (letters, digits, - _ .)");
    p.queue = std::string(rest);
    return p;
  }
  if (uri.substr(0, 7) == "file://") {
    p.scheme = PrinterUri::Scheme::kFile;
    rest = uri.substr(7);
    if (rest.empty() || rest.front() != '/' || rest.find("..") != std::string_view::npos) {
      return BadUri(uri, "needs an absolute directory without '..'");
    }
    p.directory = std::string(rest);
    while (p.directory.size() > 1 && p.directory.back() == '/') p.directory.pop_back();
    return p;
  }
  return BadUri(uri, "has an unknown scheme");
}

absl::Status SendToPrinter(const PrinterUri& printer, std::string_view bytes,
                           std::string_view job_name, const SendOptions& options) {
  switch (printer.scheme) {
    case PrinterUri::Scheme::kTcp: return SendOverTcp(printer, bytes, options);
    case PrinterUri::Scheme::kCups: return SendToCups(printer, bytes, job_name);
    case PrinterUri::Scheme::kFile: return WriteToSpool(printer, bytes, job_name);
  }
  return absl::InternalError("unknown printer scheme");
}

}  // namespace lims::labels
