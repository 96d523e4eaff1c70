// SampleService.ImportSamplesCsv: the file arrives in pieces (client streaming), read only once
// the caller is admitted, then imported in one call through the gate like any change.
#include "absl/strings/str_cat.h"
#include "call_gate.h"
#include "sample_import.h"
#include "sample_service.h"
#include "status_macros.h"
#include "tokens.h"

namespace lims::services {
namespace {

constexpr char kMethod[] = "lims.v1.SampleService.ImportSamplesCsv";
// About five million tubes; a larger collection is loaded in parts (by site or year).
constexpr size_t kMaxCsvBytes = size_t{512} << 20;

}  // namespace

grpc::Status SampleService::ImportSamplesCsv(
    grpc::ServerContext* context, grpc::ServerReader<v1::ImportSamplesCsvRequest>* reader,
    v1::ImportSamplesCsvResponse* response) {
  // A caller without the right is refused before a byte of the file is read.
  grpc::Status admitted = gate_.AdmitOnly(*context, kMethod, CallLog::Stage::kPlan);
  if (!admitted.ok()) return admitted;
  v1::ImportSamplesCsvRequest whole, piece;
  std::string csv;
  bool first = true;
  while (reader->Read(&piece)) {
    if (first) {
      whole.set_dry_run(piece.dry_run());
      whole.set_request_id(piece.request_id());
      whole.set_time_zone(piece.time_zone());
      first = false;
    }
    if (csv.size() + piece.csv_chunk().size() > kMaxCsvBytes) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "the file is larger than 512 MiB; import it in parts (by site or year)");
    }
    csv.append(piece.csv_chunk());
  }
  // What the gate keeps to recognise a retry with the same request_id: the options and the
  // file's digest, not a second copy of the file.
  whole.set_csv_chunk(Sha256Hex(csv));
  return gate_.Mutate(
      *context, kMethod, whole, response,
      [&](db::Tx& tx, const CallContext& call, v1::ImportSamplesCsvResponse* out) -> absl::Status {
        TubeFile file;
        file.csv = csv;
        file.dry_run = whole.dry_run();
        if (!whole.time_zone().empty() && !absl::LoadTimeZone(whole.time_zone(), &file.zone)) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown time zone '", whole.time_zone(),
                           "'; give an IANA name such as Europe/Paris, or leave it empty for UTC"));
        }
        LIMS_ASSIGN_OR_RETURN(TubeImportReport report, ImportTubes(tx, call, file));
        out->set_rows_read(report.rows_read);
        out->set_rows_accepted(report.rows_accepted);
        out->set_error_count(report.errors.count());
        out->set_patients_created(report.patients_created);
        out->set_enrollments_created(report.enrollments_created);
        out->set_primary_tubes_created(report.primary_tubes_created);
        out->set_derived_tubes_created(report.derived_tubes_created);
        out->set_tubes_placed(report.tubes_placed);
        out->set_dry_run(whole.dry_run());
        for (ImportError& error : report.errors.listed()) {
          v1::CsvError* e = out->add_errors();
          e->set_line(error.line);
          e->set_message(std::move(error.message));
        }
        return absl::OkStatus();
      });
}

}  // namespace lims::services
