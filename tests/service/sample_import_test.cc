// SampleService.ImportSamplesCsv: an existing collection loaded from a CSV, checked line by
// line first (nothing written when a line is wrong), over a client stream of pieces.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc_status_matchers.h"
#include "lims/v1/audit.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using ::testing::HasSubstr;

class SampleImportTest : public ServiceTest {
 protected:
  // Sends `csv` in pieces of `piece` bytes (the first piece carries the options).
  grpc::Status Import(const std::string& csv, bool dry_run, v1::ImportSamplesCsvResponse* out,
                      size_t piece = 7, const std::string& token = "") {
    auto context = Ctx(token);
    auto writer = samples_->ImportSamplesCsv(context.get(), out);
    v1::ImportSamplesCsvRequest first;
    first.set_dry_run(dry_run);
    first.set_request_id(absl::StrCat("import-", ++imports_));
    first.set_time_zone("Europe/Paris");
    bool sent_first = false;
    for (size_t at = 0; at < csv.size() || !sent_first; at += piece) {
      v1::ImportSamplesCsvRequest request = sent_first ? v1::ImportSamplesCsvRequest() : first;
      request.set_csv_chunk(csv.substr(std::min(at, csv.size()), piece));
      sent_first = true;
      if (!writer->Write(request)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  v1::ResolveBarcodeResponse Resolve(const std::string& barcode) {
    v1::ResolveBarcodeRequest request;
    request.set_barcode(barcode);
    v1::ResolveBarcodeResponse response;
    grpc::Status status = samples_->ResolveBarcode(Ctx().get(), request, &response);
    EXPECT_TRUE(status.ok()) << barcode << ": " << status.error_message();
    return response;
  }

  // Rows per table but the request_id replay records: a refused file's report is kept for a
  // retry with the same request_id, like any answer.
  std::map<std::string, int64_t> DataRows() {
    auto rows = Rows();
    rows.erase("request_log");
    return rows;
  }

  int imports_ = 0;
};

// Our own columns: a new patient enrolled by the file, a known one, primary tubes and their
// aliquots (parents first), places in a box, times with and without an offset.
std::string GoodFile(const std::string& box) {
  return absl::StrCat(
      "barcode,parent_barcode,registry_id,site_code,protocol_code,anchor_date,timepoint_code,"
      "sample_type,quantity,collected_at,box,position\n",
      "LEG-0001,,MATHEC-0042,PSL,CART-SLE,,M3,SER,4 mL,2026-04-16T09:30,,\n",
      "LEG-0002,LEG-0001,MATHEC-0042,PSL,CART-SLE,,M3,SER,500uL,2026-04-16T09:30,BOX-", box,
      ",A1\n",
      "LEG-0003,LEG-0001,MATHEC-0042,PSL,CART-SLE,,M3,Serum,500 uL,2026-04-16 09:30:00+02:00,", box,
      ",A2\n",
      "\"LEG-0004\",,MATHEC-0099,PSL,CART-SLE,2026-02-01,BASELINE,Whole blood,9 mL,"
      "2026-01-20,,\n",
      "LEG-0005,LEG-0004,MATHEC-0099,PSL,CART-SLE,2026-02-01,BASELINE,PBMC,2e6 cells,"
      "2026-01-20,",
      box, ",i9\n");
}

TEST_P(SampleImportTest, ACollection_IsLoaded_WithParentsPlacesAndOneAuditEventPerBatch) {
  Seed();
  v1::ImportSamplesCsvResponse dry;
  LIMS_ASSERT_GRPC_OK(Import(GoodFile(box_id_), /*dry_run=*/true, &dry));
  EXPECT_EQ(dry.error_count(), 0) << dry.DebugString();
  EXPECT_EQ(dry.rows_accepted(), 5);
  const auto before = Rows();
  v1::ImportSamplesCsvResponse done;
  LIMS_ASSERT_GRPC_OK(Import(GoodFile(box_id_), /*dry_run=*/false, &done));
  ASSERT_EQ(done.error_count(), 0) << done.DebugString();
  // The dry run counted what the import did.
  for (v1::ImportSamplesCsvResponse* r : {&dry, &done}) {
    EXPECT_EQ(r->rows_read(), 5);
    EXPECT_EQ(r->patients_created(), 1);
    EXPECT_EQ(r->enrollments_created(), 1);
    EXPECT_EQ(r->primary_tubes_created(), 2);
    EXPECT_EQ(r->derived_tubes_created(), 3);
    EXPECT_EQ(r->tubes_placed(), 3);
  }
  EXPECT_EQ(Rows()["samples"], before.at("samples") + 5);
  EXPECT_EQ(Rows()["placements"], before.at("placements") + 3);

  const v1::ResolveBarcodeResponse aliquot = Resolve("LEG-0002");
  EXPECT_EQ(aliquot.sample().parent_barcode(), "LEG-0001");
  EXPECT_EQ(aliquot.sample().status(), v1::SAMPLE_STATUS_STORED);
  EXPECT_EQ(aliquot.location().position(), "A1");
  EXPECT_EQ(aliquot.patient_registry_id(), "MATHEC-0042");
  EXPECT_EQ(aliquot.timepoint_code(), "M3");
  // 09:30 in Paris is 07:30 UTC; "+02:00" is taken as written.
  EXPECT_EQ(aliquot.sample().collected_at().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2026, 4, 16, 7, 30, 0), absl::UTCTimeZone())));
  EXPECT_EQ(Resolve("LEG-0003").sample().collected_at().seconds(),
            aliquot.sample().collected_at().seconds());
  EXPECT_EQ(Resolve("LEG-0003").sample().sample_type(), "SER");  // "Serum"
  const v1::ResolveBarcodeResponse cells = Resolve("LEG-0005");
  EXPECT_EQ(cells.sample().sample_type(), "CEL");  // "PBMC"
  EXPECT_EQ(cells.patient_registry_id(), "MATHEC-0099");
  EXPECT_EQ(cells.location().position(), "I9");
  EXPECT_EQ(Resolve("LEG-0001").sample().status(), v1::SAMPLE_STATUS_COLLECTED);

  // One audit event lists the tubes (the batch), beside the patient and enrollment made.
  auto audit = v1::AuditService::NewStub(channel_);
  v1::ListAuditEventsRequest list;
  list.set_action("samples.imported");
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(audit->ListAuditEvents(Ctx().get(), list, &events));
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_THAT(events.events(0).details(), HasSubstr("5 tubes imported from lines 2-6"));
  EXPECT_THAT(events.events(0).after_json(), HasSubstr("\"LEG-0005\""));

  // The same file again: every tube is known now (and its place taken), nothing changes.
  const auto after = DataRows();
  v1::ImportSamplesCsvResponse again;
  LIMS_ASSERT_GRPC_OK(Import(GoodFile(box_id_), false, &again));
  EXPECT_EQ(again.error_count(), 8);  // 5 tubes known, 3 places taken
  EXPECT_THAT(again.errors(0).message(), HasSubstr("already registered"));
  EXPECT_EQ(DataRows(), after);
}

// Every wrong line is reported with its number and what to do; none is written.
TEST_P(SampleImportTest, WrongLines_AreEachReported_AndNothingIsWritten) {
  Seed();
  const std::string other_box = CreateBoxInFreezer("B-2");
  const std::string csv = absl::StrCat(
      "Specimen Label,Parent Specimen Label,PPID,Site,Collection Protocol,Registration Date,"
      "Event Label,Specimen Type,Initial Quantity,Collection Date,Container,Position\n",
      "OK-1,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",         // line 2
      "OK-1,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",         // 3: twice
      "BAD-3,,MATHEC-0042,XXX,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",        // 4: site
      "BAD-4,,MATHEC-0042,PSL,CART-SLE,,M9,SER,1 mL,2026-04-16T09:30,,\n",        // 5: tp
      "BAD-5,,MATHEC-0042,PSL,CART-SLE,,M3,Goo,1 mL,2026-04-16T09:30,,\n",        // 6: type
      "BAD-6,,MATHEC-0042,PSL,CART-SLE,,M3,SER,lots,2026-04-16T09:30,,\n",        // 7: qty
      "BAD-7,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,yesterday,,\n",               // 8: time
      "BAD-8,NOPE-1,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",  // 9: parent
      "BAD-9,,NEW-0001,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",           // 10: anchor
      "BAD-10,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,BOX-", other_box,
      ",Z9\n",  // 11: well
      "OK-11,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,BOX-", other_box,
      ",A1\n",  // 12
      "BAD-12,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,BOX-", other_box,
      ",A1\n",                                                                      // 13: taken
      "BAD-13,BAD-14,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n",   // 14: order
      "BAD-14,,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2099-01-01,,\n",               // 15: future
      "BAD-15,,MATHEC-0042,PSL,CART-SLE\n",                                         // 16: short
      "BAD-16,BAD-16,MATHEC-0042,PSL,CART-SLE,,M3,SER,1 mL,2026-04-16T09:30,,\n");  // 17: self
  const auto before = DataRows();
  v1::ImportSamplesCsvResponse out;
  LIMS_ASSERT_GRPC_OK(Import(csv, /*dry_run=*/false, &out, /*piece=*/64));
  EXPECT_EQ(out.rows_read(), 16);
  EXPECT_EQ(out.rows_accepted(), 0);
  std::map<int, std::string> by_line;
  for (const v1::CsvError& e : out.errors()) by_line[e.line()] += e.message() + " | ";
  EXPECT_THAT(by_line[3], HasSubstr("already on line 2"));
  EXPECT_THAT(by_line[4], HasSubstr("unknown site 'XXX'"));
  EXPECT_THAT(by_line[5], HasSubstr("no timepoint 'M9'"));
  EXPECT_THAT(by_line[6], HasSubstr("sample_type 'Goo'"));
  EXPECT_THAT(by_line[7], HasSubstr("quantity 'lots'"));
  EXPECT_THAT(by_line[8], HasSubstr("collected_at 'yesterday'"));
  EXPECT_THAT(by_line[9], HasSubstr("NOPE-1 is on no earlier line and not in the LIMS"));
  EXPECT_THAT(by_line[10], HasSubstr("give its anchor_date"));
  EXPECT_THAT(by_line[11], HasSubstr("position 'Z9'"));
  EXPECT_THAT(by_line[13], HasSubstr("already given to the tube on line 12"));
  EXPECT_THAT(by_line[14], HasSubstr("list parents before the tubes made from them"));
  EXPECT_THAT(by_line[15], HasSubstr("in the future"));
  EXPECT_THAT(by_line[16], HasSubstr("fields but the header has 12"));
  EXPECT_THAT(by_line[17], HasSubstr("its own parent"));
  EXPECT_EQ(by_line.count(2), 0u);
  EXPECT_EQ(by_line.count(12), 0u);
  EXPECT_EQ(DataRows(), before);
}

TEST_P(SampleImportTest, AHeaderWithoutTheNeededColumns_IsRefusedAtLineOne) {
  Seed();
  v1::ImportSamplesCsvResponse out;
  LIMS_ASSERT_GRPC_OK(Import("barcode,registry_id\nX-1,MATHEC-0042\n", false, &out));
  ASSERT_EQ(out.errors_size(), 1);
  EXPECT_EQ(out.errors(0).line(), 1);
  EXPECT_THAT(out.errors(0).message(), HasSubstr("lacks site_code, protocol_code"));
}

// Who may load a collection, and where: a technician may not; a manager of another site may not
// load PSL's tubes.
TEST_P(SampleImportTest, OnlyManagersAndCoordinators_OfTheSite_MayImport) {
  Seed();
  CreateSite("LYO", "Lyon");
  const std::string tech = MakeUser("tech", v1::ROLE_TECHNICIAN, "PSL");
  const std::string lyon = MakeUser("lyon", v1::ROLE_MANAGER, "LYO");
  const auto before = DataRows();
  v1::ImportSamplesCsvResponse out;
  EXPECT_EQ(Import(GoodFile(box_id_), false, &out, 7, tech).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  LIMS_ASSERT_GRPC_OK(Import(GoodFile(box_id_), false, &out, 7, lyon));
  EXPECT_EQ(out.rows_accepted(), 0);
  EXPECT_THAT(out.errors(0).message(), HasSubstr("you do not work at site PSL"));
  EXPECT_EQ(DataRows(), before);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SampleImportTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, SampleImportTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
