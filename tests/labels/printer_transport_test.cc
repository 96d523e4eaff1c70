// Printer transports against real sockets and directories: a loopback listener standing in for a
// Zebra on port 9100, a closed port, a printer that stops reading, a spool directory.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "lims/labels/printer_transport.h"
#include "loopback_printer.h"
#include "status_matchers.h"

namespace lims::labels {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kUnavailable = absl::StatusCode::kUnavailable;

TEST(ParsePrinterUri, TheThreeForms) {
  auto tcp = ParsePrinterUri("tcp://10.0.4.21");
  ASSERT_OK(tcp);
  EXPECT_EQ(tcp->host, "10.0.4.21");
  EXPECT_EQ(tcp->port, 9100);
  EXPECT_EQ(ParsePrinterUri("tcp://zebra-2:6101")->ToString(), "tcp://zebra-2:6101");
  EXPECT_EQ(ParsePrinterUri("cups://Zebra_ZD421")->queue, "Zebra_ZD421");
  EXPECT_EQ(ParsePrinterUri("file:///var/spool/lims/")->directory, "/var/spool/lims");
}

TEST(ParsePrinterUri, BadForms_SayWhatIsExpected) {
  EXPECT_STATUS(ParsePrinterUri("http://printer"), kInvalid, "tcp://HOST[:PORT]");
  EXPECT_STATUS(ParsePrinterUri("tcp://printer:99999"), kInvalid, "1..65535");
  EXPECT_STATUS(ParsePrinterUri("tcp://"), kInvalid, "host name");
  EXPECT_STATUS(ParsePrinterUri("tcp://a b:9100"), kInvalid, "host name");
  EXPECT_STATUS(ParsePrinterUri("cups://queue;rm"), kInvalid, "queue name");
  EXPECT_STATUS(ParsePrinterUri("file://relative/dir"), kInvalid, "absolute");
  EXPECT_STATUS(ParsePrinterUri("file:///var/../etc"), kInvalid, "'..'");
}

TEST(SendToPrinter, Tcp_TheListenerGetsExactlyTheBytes) {
  testing::LoopbackPrinter printer;
  const std::string zpl = "^XA^FO10,10^FDone^FS^XZ\n^XA^FO10,10^FDtwo^FS^XZ\n";
  ASSERT_OK(SendToPrinter(*ParsePrinterUri(printer.uri()), zpl, "job"));
  ASSERT_OK(SendToPrinter(*ParsePrinterUri(printer.uri()), "second", "job"));
  EXPECT_EQ(printer.Jobs(2), (std::vector<std::string>{zpl, "second"}));
}

TEST(SendToPrinter, Tcp_NothingListening_UnavailableAtOnce) {
  const PrinterUri uri = *ParsePrinterUri("tcp://127.0.0.1:" +
                                          std::to_string(testing::ClosedLoopbackPort()));
  const absl::Time start = absl::Now();
  EXPECT_STATUS(SendToPrinter(uri, "^XA^XZ", "job"), kUnavailable, "cannot be reached");
  EXPECT_STATUS(SendToPrinter(uri, "^XA^XZ", "job"), kUnavailable, "switched on");
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));  // refused, not timed out
}

// A closed port and an unknown name get the same answer as a host that does not answer (a
// connect timeout, which this machine's network cannot stage reliably): whoever registers
// printers must not learn which ports are open where.
TEST(SendToPrinter, Tcp_ClosedFilteredOrUnknown_AllSayTheSame) {
  SendOptions quick;
  quick.connect_timeout = absl::Milliseconds(300);
  const std::string closed =
      "tcp://127.0.0.1:" + std::to_string(testing::ClosedLoopbackPort());
  std::vector<std::string> messages;
  for (const std::string& uri : {closed, std::string("tcp://no-such-printer.invalid")}) {
    const absl::Status status = SendToPrinter(*ParsePrinterUri(uri), "x", "job", quick);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    const std::string message(status.message());
    messages.push_back(message.substr(message.find(" cannot be reached")));
  }
  EXPECT_EQ(messages[0], messages[1]);
  EXPECT_NE(messages[0].find("no connection could be opened"), std::string::npos) << messages[0];
}

TEST(SendToPrinter, Tcp_PrinterStopsReading_TimesOutInsteadOfHanging) {
  testing::LoopbackPrinter stuck(/*read=*/false);
  SendOptions options;
  options.write_timeout = absl::Milliseconds(300);
  const std::string big(32 << 20, 'Z');  // far more than the socket buffers hold
  const absl::Time start = absl::Now();
  EXPECT_STATUS(SendToPrinter(*ParsePrinterUri(stuck.uri()), big, "job", options), kUnavailable,
                "stopped taking data");
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

TEST(SendToPrinter, Spool_OneCompleteFilePerJob) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "lims-spool";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const PrinterUri uri = *ParsePrinterUri("file://" + dir.string());
  ASSERT_OK(SendToPrinter(uri, "^XA^XZ", "lims-cryotube-1-labels"));
  ASSERT_OK(SendToPrinter(uri, "^XA^FDb^FS^XZ", "../../etc/passwd"));
  std::vector<std::string> contents;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().extension(), ".zpl");
    EXPECT_EQ(entry.path().parent_path(), dir);
    std::ifstream in(entry.path());
    contents.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::sort(contents.begin(), contents.end());
  EXPECT_EQ(contents, (std::vector<std::string>{"^XA^FDb^FS^XZ", "^XA^XZ"}));
  std::filesystem::remove_all(dir);
  EXPECT_STATUS(SendToPrinter(uri, "x", "job"), kUnavailable, "cannot create");
}

}  // namespace
}  // namespace lims::labels
