// LabelService over real gRPC: printers, previews, printing to a loopback listener standing in
// for a Zebra, reprints that need a reason, the ledger, an unreachable printer, retries, site
// rules and concurrent prints — each refusal leaving the ledger unchanged.
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc_status_matchers.h"
#include "lims/v1/label.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"
#include "loopback_printer.h"
#include "png_barcodes.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class LabelTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;  // no database: the failure says why
    labels_ = v1::LabelService::NewStub(channel_);
  }

  grpc::Status Register(const std::string& name, const std::string& uri, int dpi = 203,
                        const std::string& stock = "cryotube", const std::string& token = "") {
    v1::RegisterPrinterRequest req;
    req.set_name(name);
    req.set_uri(uri);
    req.set_dpi(dpi);
    req.set_label_stock(stock);
    v1::RegisterPrinterResponse resp;
    return labels_->RegisterPrinter(Ctx(token).get(), req, &resp);
  }

  grpc::Status Print(const std::vector<std::string>& barcodes, const std::string& printer,
                     v1::PrintLabelsResponse* resp, const std::string& reason = "",
                     int copies = 1, const std::string& request_id = "",
                     const std::string& token = "") {
    v1::PrintLabelsRequest req;
    for (const auto& b : barcodes) req.add_barcodes(b);
    req.set_printer(printer);
    req.set_reason(reason);
    req.set_copies(copies);
    req.set_request_id(request_id);
    return labels_->PrintLabels(Ctx(token).get(), req, resp);
  }

  std::vector<v1::PrintJob> Jobs(const std::string& subject = "") {
    v1::ListPrintJobsRequest req;
    req.set_subject(subject);
    v1::ListPrintJobsResponse resp;
    grpc::Status s = labels_->ListPrintJobs(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.jobs().begin(), resp.jobs().end()};
  }

  std::unique_ptr<v1::LabelService::Stub> labels_;
};

TEST_P(LabelTest, RegisterPrinter_ValidatesAndLists) {
  Seed();
  LIMS_ASSERT_GRPC_OK(Register("bench-1", "tcp://127.0.0.1", 300));
  const std::string tech = MakeUser("tech.psl", v1::ROLE_TECHNICIAN, "PSL");
  const std::string manager = MakeUser("manager.psl", v1::ROLE_MANAGER, "PSL");
  const auto before = Rows();
  LIMS_EXPECT_GRPC(Register("bench-1", "tcp://127.0.0.1"), StatusCode::ALREADY_EXISTS,
                   "registered already");
  LIMS_EXPECT_GRPC(Register("bench-2", "http://zebra"), StatusCode::INVALID_ARGUMENT,
                   "tcp://HOST[:PORT]");
  LIMS_EXPECT_GRPC(Register("bench-2", "tcp://zebra", 250), StatusCode::INVALID_ARGUMENT,
                   "203, 300 or 600");
  LIMS_EXPECT_GRPC(Register("bench-2", "tcp://zebra", 203, "jumbo"), StatusCode::INVALID_ARGUMENT,
                   "there are bag, box, cryotube, research-tube, shipment");
  LIMS_EXPECT_GRPC(Register("", "tcp://zebra"), StatusCode::INVALID_ARGUMENT, "name");
  LIMS_EXPECT_GRPC(Register("bench-3", "tcp://zebra", 203, "cryotube", tech),
                   StatusCode::PERMISSION_DENIED, "RegisterPrinter");
  LIMS_EXPECT_GRPC(Register("spool", "file:///tmp", 203, "cryotube", manager),
                   StatusCode::PERMISSION_DENIED, "registered by an admin");
  // No network allowed for managers on this server: a manager cannot point it at the
  // database's port, or anywhere else.
  LIMS_EXPECT_GRPC(Register("db", "tcp://127.0.0.1:3306", 203, "cryotube", manager),
                   StatusCode::PERMISSION_DENIED, "inside the networks an admin allowed (none yet)");
  EXPECT_EQ(Rows(), before);

  v1::ListPrintersRequest list;
  v1::ListPrintersResponse printers;
  LIMS_ASSERT_GRPC_OK(labels_->ListPrinters(Ctx(tech).get(), list, &printers));
  ASSERT_EQ(printers.printers_size(), 1);
  EXPECT_EQ(printers.printers(0).uri(), "tcp://127.0.0.1:9100");
  EXPECT_EQ(printers.printers(0).dpi(), 300);
  EXPECT_EQ(printers.printers(0).created_by(), "admin");
}

TEST_P(LabelTest, PreviewLabel_ZplAndPngOfATubeAndABox) {
  Seed();
  const v1::Sample tube = CollectSerum();
  v1::PreviewLabelRequest req;
  req.set_barcode(" " + tube.barcode() + "\r\n");  // as scanned
  v1::PreviewLabelResponse resp;
  LIMS_ASSERT_GRPC_OK(labels_->PreviewLabel(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.template_(), "cryotube");
  EXPECT_EQ(resp.dpi(), 203);
  EXPECT_NE(resp.zpl().find("^BXN,3,200^FH^FD" + tube.barcode() + "^FS"), std::string::npos)
      << resp.zpl();
  EXPECT_NE(resp.zpl().find("MATHEC-0042 M3"), std::string::npos);
  EXPECT_NE(resp.zpl().find("^FDSerum 4 mL^FS"), std::string::npos) << resp.zpl();
  EXPECT_EQ(CountOf(resp.zpl(), "^XA"), 1);
  EXPECT_EQ(PngSize(resp.png()), std::make_pair(256, 104));
  // The tube's DataMatrix, read back from the top-left corner where the template puts it.
  const auto found = DecodePngRegion(resp.png(), 0, 0, 110, 40);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, tube.barcode());

  req.set_dpi(600);
  LIMS_ASSERT_GRPC_OK(labels_->PreviewLabel(Ctx().get(), req, &resp));
  EXPECT_EQ(PngSize(resp.png()), std::make_pair(768, 312));

  v1::PreviewLabelRequest box;
  box.set_box_id(box_id_);
  LIMS_ASSERT_GRPC_OK(labels_->PreviewLabel(Ctx().get(), box, &resp));
  EXPECT_EQ(resp.template_(), "box");
  EXPECT_NE(resp.zpl().find("^FDBOX-" + box_id_ + "^FS"), std::string::npos);
  EXPECT_NE(resp.zpl().find("B-0042"), std::string::npos);
  std::set<std::string> codes;
  for (const auto& b : DecodePngRegion(resp.png(), 0, 0, 360, 100)) codes.insert(b.format + ":" + b.text);
  EXPECT_EQ(codes, (std::set<std::string>{"Code128:BOX-" + box_id_}));

  // Bad requests.
  v1::PreviewLabelRequest bad;
  LIMS_EXPECT_GRPC(
      labels_->PreviewLabel(Ctx().get(), bad, &resp), StatusCode::INVALID_ARGUMENT,
      "either a tube's barcode, a box_id, a request tube's request_code or a bag's din");
  bad.set_barcode("9999999999");
  LIMS_EXPECT_GRPC(labels_->PreviewLabel(Ctx().get(), bad, &resp), StatusCode::NOT_FOUND,
                   "9999999999");
  bad.set_barcode(tube.barcode());
  bad.set_template_("nope");
  LIMS_EXPECT_GRPC(labels_->PreviewLabel(Ctx().get(), bad, &resp), StatusCode::INVALID_ARGUMENT,
                   "no label template \"nope\"");
  bad.clear_barcode();
  bad.clear_template_();
  bad.set_box_id(freezer_id_);
  LIMS_EXPECT_GRPC(labels_->PreviewLabel(Ctx().get(), bad, &resp), StatusCode::INVALID_ARGUMENT,
                   "is not a box");
}

TEST_P(LabelTest, PrintLabels_OneLabelPerTubeReachesThePrinterAndTheLedger) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::vector<std::string> tubes = {CollectSerum().barcode(), CollectSerum().barcode(),
                                          CollectSerum().barcode()};
  v1::PrintLabelsResponse resp;
  LIMS_ASSERT_GRPC_OK(Print(tubes, "bench-1", &resp, "", 2));
  EXPECT_EQ(resp.labels_printed(), 3);
  EXPECT_EQ(resp.reprints(), 0);
  const auto jobs = zebra.Jobs(1);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(resp.bytes_sent(), static_cast<int64_t>(jobs[0].size()));
  EXPECT_EQ(CountOf(jobs[0], "^XA"), 3);
  EXPECT_EQ(CountOf(jobs[0], "^PQ2"), 3);
  for (const std::string& tube : tubes) {
    EXPECT_EQ(CountOf(jobs[0], "^FD" + tube + "^FS"), 2) << tube;  // DataMatrix + text line
  }
  const auto ledger = Jobs();
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].job_id(), resp.job_id());
  EXPECT_EQ(ledger[0].printer(), "bench-1");
  EXPECT_EQ(ledger[0].printed_by(), "admin");
  EXPECT_EQ(ledger[0].copies(), 2);
  ASSERT_EQ(ledger[0].labels_size(), 3);
  EXPECT_EQ(ledger[0].labels(0).subject(), tubes[0]);

  // The tube's history says it was labelled.
  v1::GetSampleHistoryRequest hreq;
  hreq.set_barcode(tubes[1]);
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), hreq, &history));
  EXPECT_EQ(history.events(history.events_size() - 1).action(), "label.printed");
}

TEST_P(LabelTest, Reprint_NeedsAReasonAndIsCounted) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::string first = CollectSerum().barcode();
  const std::string fresh = CollectSerum().barcode();
  v1::PrintLabelsResponse resp;
  LIMS_ASSERT_GRPC_OK(Print({first}, "bench-1", &resp));
  const auto before = Rows();
  LIMS_EXPECT_GRPC(Print({fresh, first}, "bench-1", &resp), StatusCode::FAILED_PRECONDITION,
                   first + " (1 time); a reprint needs a reason");
  LIMS_EXPECT_GRPC(Print({first}, "bench-1", &resp, "   "), StatusCode::FAILED_PRECONDITION,
                   "needs a reason");
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(zebra.Jobs().size(), 1u);  // nothing was sent

  LIMS_ASSERT_GRPC_OK(Print({fresh, first}, "bench-1", &resp, "label smudged"));
  EXPECT_EQ(resp.labels_printed(), 2);
  EXPECT_EQ(resp.reprints(), 1);
  const auto ledger = Jobs(first);
  ASSERT_EQ(ledger.size(), 2u);  // newest first
  EXPECT_EQ(ledger[0].reprints(), 1);
  EXPECT_EQ(ledger[0].reason(), "label smudged");
  EXPECT_FALSE(ledger[0].labels(0).reprint());
  EXPECT_TRUE(ledger[0].labels(1).reprint());
  EXPECT_EQ(Jobs(fresh).size(), 1u);

  v1::GetSampleHistoryRequest hreq;
  hreq.set_barcode(first);
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), hreq, &history));
  const auto& last = history.events(history.events_size() - 1);
  EXPECT_EQ(last.action(), "label.reprinted");
  EXPECT_EQ(last.reason(), "label smudged");
}

TEST_P(LabelTest, UnreachablePrinter_UnavailableAndNothingRecorded) {
  Seed();
  LIMS_ASSERT_GRPC_OK(
      Register("gone", "tcp://127.0.0.1:" + std::to_string(ClosedLoopbackPort())));
  const std::string tube = CollectSerum().barcode();
  const auto before = Rows();
  v1::PrintLabelsResponse resp;
  const absl::Time start = absl::Now();
  LIMS_EXPECT_GRPC(Print({tube}, "gone", &resp, "", 1, "req-unreachable"),
                   StatusCode::UNAVAILABLE, "cannot be reached");
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(Rows(), before);
  LIMS_EXPECT_GRPC(Print({tube}, "nowhere", &resp), StatusCode::NOT_FOUND, "no printer named");
  EXPECT_TRUE(Jobs().empty());
}

TEST_P(LabelTest, RetriedRequestId_PrintsOnce) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::string tube = CollectSerum().barcode();
  v1::PrintLabelsResponse first, again;
  LIMS_ASSERT_GRPC_OK(Print({tube}, "bench-1", &first, "", 1, "req-42"));
  LIMS_ASSERT_GRPC_OK(Print({tube}, "bench-1", &again, "", 1, "req-42"));
  EXPECT_EQ(again.job_id(), first.job_id());
  EXPECT_EQ(zebra.Jobs().size(), 1u);
  EXPECT_EQ(Jobs().size(), 1u);
}

TEST_P(LabelTest, BadPrintRequests_Refused) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::string tube = CollectSerum().barcode();
  const auto before = Rows();
  v1::PrintLabelsResponse resp;
  LIMS_EXPECT_GRPC(Print({}, "bench-1", &resp), StatusCode::INVALID_ARGUMENT, "at least one");
  LIMS_EXPECT_GRPC(Print({tube}, "bench-1", &resp, "", 21), StatusCode::INVALID_ARGUMENT,
                   "copies must be 1 to 20");
  LIMS_EXPECT_GRPC(Print({tube, tube}, "bench-1", &resp), StatusCode::INVALID_ARGUMENT,
                   "listed twice");
  LIMS_EXPECT_GRPC(Print({tube, "9999999999"}, "bench-1", &resp), StatusCode::NOT_FOUND,
                   "9999999999");
  // Another site's technician may not label PSL tubes; researchers may not print at all.
  CreateSite("LYO", "Lyon");
  const std::string lyo = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, "LYO");
  const std::string researcher = MakeUser("res", v1::ROLE_RESEARCHER, "PSL");
  LIMS_EXPECT_GRPC(Print({tube}, "bench-1", &resp, "", 1, "", lyo),
                   StatusCode::PERMISSION_DENIED, tube);
  LIMS_EXPECT_GRPC(Print({tube}, "bench-1", &resp, "", 1, "", researcher),
                   StatusCode::PERMISSION_DENIED, "PrintLabels");
  EXPECT_EQ(Rows()["print_jobs"], before.at("print_jobs"));
  EXPECT_EQ(Rows()["audit_events"], before.at("audit_events") + 3);  // the site and two users
  EXPECT_TRUE(zebra.Jobs().empty());
}

TEST_P(LabelTest, ListPrintJobs_OnlyTheCallersSites) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::string tube = CollectSerum().barcode();
  v1::PrintLabelsResponse resp;
  LIMS_ASSERT_GRPC_OK(Print({tube}, "bench-1", &resp));
  CreateSite("LYO", "Lyon");
  const std::string psl = MakeUser("tech.psl", v1::ROLE_TECHNICIAN, "PSL");
  const std::string lyo = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, "LYO");
  v1::ListPrintJobsRequest req;
  v1::ListPrintJobsResponse jobs;
  LIMS_ASSERT_GRPC_OK(labels_->ListPrintJobs(Ctx(psl).get(), req, &jobs));
  ASSERT_EQ(jobs.jobs_size(), 1);
  EXPECT_EQ(jobs.jobs(0).labels(0).subject(), tube);
  LIMS_ASSERT_GRPC_OK(labels_->ListPrintJobs(Ctx(lyo).get(), req, &jobs));
  EXPECT_EQ(jobs.jobs_size(), 0);  // another site's tubes and who printed them stay hidden
}

// Eight benches print the same new tube at once: the ledger holds exactly the jobs the printer
// got, and all but the first are counted as reprints.
TEST_P(LabelTest, ConcurrentPrints_LedgerMatchesWhatWasPrinted) {
  Seed();
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(Register("bench-1", zebra.uri()));
  const std::string tube = CollectSerum().barcode();
  constexpr int kBenches = 8;
  std::vector<grpc::Status> results(kBenches);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBenches; ++i) {
    threads.emplace_back([&, i] {
      v1::PrintLabelsResponse resp;
      results[i] = Print({tube}, "bench-1", &resp, "bench " + std::to_string(i));
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& s : results) {
    if (s.ok()) ++ok;
    else EXPECT_EQ(s.error_code(), StatusCode::ABORTED) << s.error_message();
  }
  const auto ledger = Jobs(tube);
  EXPECT_EQ(static_cast<int>(zebra.Jobs(ok).size()), ok);
  EXPECT_EQ(static_cast<int>(ledger.size()), ok);
  int reprints = 0;
  for (const auto& job : ledger) reprints += job.reprints();
  EXPECT_EQ(reprints, ok - 1);
  EXPECT_GE(ok, 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, LabelTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, LabelTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
