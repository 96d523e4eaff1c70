#include "registry_import.h"

#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/access.h"
#include "lims/core/csv_reader.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/sites.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

const std::vector<std::string>& RequiredColumns() {
  static const auto* columns =
      new std::vector<std::string>{"registry_id", "site_code", "protocol_code", "anchor_date"};
  return *columns;
}

// One data row's values, trimmed.
struct Row {
  int line = 0;
  std::string registry_id, site_code, protocol_code, anchor_text;
};

// What the first pass learnt about a registry id, kept for the rest of the file. Only ids and
// line numbers: the rows themselves are read again from the text, never copied.
struct PatientSeen {
  int first_line = 0;
  int64_t site_id = 0;       // 0 until a row names a known site
  int64_t patient_id = 0;    // 0: not in the database (yet)
  bool existed = false;      // in the database before the import
  std::vector<std::pair<int64_t, int>> protocols;  // protocol id, line
};

class Importer {
 public:
  Importer(db::Tx& tx, const CallContext& call, std::string_view csv)
      : tx_(tx), call_(call), csv_(csv) {}

  absl::StatusOr<ImportReport> Run(bool dry_run) {
    LIMS_RETURN_IF_ERROR(ForEachRow([&](const Row& row) { return Check(row); }));
    if (report_.errors.count() > 0) {
      report_.rows_accepted = 0;
      report_.patients_created = report_.enrollments_created = report_.enrollments_updated = 0;
      return std::move(report_);
    }
    report_.rows_accepted = report_.rows_read;
    if (dry_run) return std::move(report_);
    LIMS_RETURN_IF_ERROR(ForEachRow([&](const Row& row) { return Apply(row); }));
    if (applied_.enrollments_created != report_.enrollments_created ||
        applied_.enrollments_updated != report_.enrollments_updated) {
      return absl::InternalError("the registry import applied other changes than it counted");
    }
    LIMS_RETURN_IF_ERROR(
        Audit(tx_, call_,
              AuditEntry("registry.imported", "registry_import",
                         call_.request_id.empty() ? "csv" : call_.request_id)
                  .Details(absl::StrCat(report_.rows_accepted, " rows: ", report_.patients_created,
                                        " patients created, ", report_.enrollments_created,
                                        " enrollments created, ", report_.enrollments_updated,
                                        " anchor dates changed"))));
    return std::move(report_);
  }

 private:
  void AddError(int line, std::string message) { report_.errors.Add(line, std::move(message)); }

  // Streams the data rows of csv_ to `visit`; header and malformed records become errors (only
  // counted the first time through). Stops at the first database failure.
  template <typename Visit>
  absl::Status ForEachRow(Visit&& visit) {
    const bool first_pass = !passed_once_;
    passed_once_ = true;
    CsvReader reader(csv_);
    CsvRecord record;
    if (!reader.Next(&record)) {
      if (first_pass) {
        AddError(1, "the file is empty; the first line must be the header " + HeaderHint());
      }
      return absl::OkStatus();
    }
    if (!record.error.empty()) {
      if (first_pass) AddError(record.line, record.error);
      return absl::OkStatus();
    }
    auto columns = MapCsvColumns(record.fields, RequiredColumns());
    if (!columns.ok()) {
      if (first_pass) AddError(record.line, std::string(columns.status().message()));
      return absl::OkStatus();
    }
    const size_t width = record.fields.size();
    auto value = [&](const char* name) {
      return std::string(absl::StripAsciiWhitespace(record.fields[columns->at(name)]));
    };
    Row row;
    while (reader.Next(&record)) {
      if (first_pass) ++report_.rows_read;
      if (!record.error.empty()) {
        if (first_pass) AddError(record.line, record.error);
        continue;
      }
      if (record.fields.size() != width) {
        if (first_pass) {
          AddError(record.line, absl::StrCat("the row has ", record.fields.size(),
                                             " fields but the header has ", width,
                                             "; quote fields that contain commas"));
        }
        continue;
      }
      row.line = record.line;
      row.registry_id = value("registry_id");
      row.site_code = value("site_code");
      row.protocol_code = value("protocol_code");
      row.anchor_text = value("anchor_date");
      LIMS_RETURN_IF_ERROR(visit(row));
    }
    return absl::OkStatus();
  }

  static std::string HeaderHint() { return "registry_id,site_code,protocol_code,anchor_date"; }

  // nullopt: unknown. Known sites and protocols are few and cached; unknown codes are not.
  absl::StatusOr<std::optional<Site>> FindSite(const std::string& code) {
    if (auto it = sites_.find(code); it != sites_.end()) return std::optional<Site>(it->second);
    auto site = db::SiteRepository(tx_).FindByCode(code);
    if (absl::IsNotFound(site.status())) return std::optional<Site>();
    if (!site.ok()) return site.status();
    sites_.emplace(code, *site);
    return std::optional<Site>(*site);
  }

  absl::StatusOr<std::optional<int64_t>> FindProtocol(const std::string& code) {
    if (auto it = protocols_.find(code); it != protocols_.end()) {
      return std::optional<int64_t>(it->second);
    }
    auto protocol = db::ProtocolRepository(tx_).FindByCode(code);
    if (absl::IsNotFound(protocol.status())) return std::optional<int64_t>();
    if (!protocol.ok()) return protocol.status();
    protocols_.emplace(code, protocol->id);
    return std::optional<int64_t>(protocol->id);
  }

  absl::Status Check(const Row& row) {
    const int line = row.line;
    const bool id_ok = CheckCode(row.registry_id, "registry_id", 64).ok();
    if (!id_ok) {
      AddError(line, row.registry_id.empty()
                         ? std::string("registry_id is empty")
                         : absl::StrCat("registry_id '", row.registry_id,
                                        "' is not valid: use 1-64 letters, digits, '.', '_' or '-'"));
    }
    std::optional<Site> site;
    if (row.site_code.empty()) {
      AddError(line, "site_code is empty");
    } else {
      LIMS_ASSIGN_OR_RETURN(site, FindSite(row.site_code));
      if (!site) {
        AddError(line, absl::StrCat("unknown site '", row.site_code,
                                    "'; correct the code or create the site first"));
      } else if (!CanAccessSite(call_.principal, site->id)) {
        AddError(line, absl::StrCat("you do not work at site ", site->code,
                                    "; only that site's coordinators may import its patients"));
        site.reset();
      }
    }
    std::optional<int64_t> protocol_id;
    if (row.protocol_code.empty()) {
      AddError(line, "protocol_code is empty");
    } else {
      LIMS_ASSIGN_OR_RETURN(protocol_id, FindProtocol(row.protocol_code));
      if (!protocol_id) {
        AddError(line, absl::StrCat("unknown protocol '", row.protocol_code,
                                    "'; correct the code or create the protocol first"));
      }
    }
    auto anchor = ParseIsoDate(row.anchor_text);
    if (!anchor.ok()) {
      AddError(line, absl::StrCat("anchor_date '", row.anchor_text,
                                  "' is not a real date in the form YYYY-MM-DD"));
    }
    if (!id_ok) return absl::OkStatus();

    auto it = patients_.find(row.registry_id);
    if (it == patients_.end()) {
      PatientSeen seen;
      seen.first_line = line;
      auto stored = db::PatientRepository(tx_).FindByRegistryId(row.registry_id);
      if (stored.ok()) {
        seen.existed = true;
        seen.patient_id = stored->id;
        seen.site_id = stored->site_id;
        if (site && site->id != stored->site_id) {
          AddError(line, absl::StrCat("patient ", row.registry_id, " is registered at site ",
                                      stored->site_code, ", not ", site->code,
                                      "; a patient stays at one site"));
        }
      } else if (absl::IsNotFound(stored.status())) {
        if (site) seen.site_id = site->id;
        ++report_.patients_created;
      } else {
        return stored.status();
      }
      it = patients_.emplace(row.registry_id, std::move(seen)).first;
    } else if (site) {
      PatientSeen& seen = it->second;
      if (seen.site_id == 0) {
        seen.site_id = site->id;
      } else if (seen.site_id != site->id) {
        AddError(line, absl::StrCat("patient ", row.registry_id, " is given site ", site->code,
                                    " here but another site on line ", seen.first_line,
                                    " (or in the database); a patient stays at one site"));
      }
    }
    if (!protocol_id) return absl::OkStatus();
    PatientSeen& seen = it->second;
    for (const auto& [id, earlier] : seen.protocols) {
      if (id == *protocol_id) {
        AddError(line, absl::StrCat("duplicate row: patient ", row.registry_id, " in protocol ",
                                    row.protocol_code, " is already on line ", earlier));
        return absl::OkStatus();
      }
    }
    seen.protocols.emplace_back(*protocol_id, line);
    if (!seen.existed) {
      ++report_.enrollments_created;
      return absl::OkStatus();
    }
    LIMS_ASSIGN_OR_RETURN(auto enrollment, db::EnrollmentRepository(tx_).FindByPatientAndProtocol(
                                               seen.patient_id, *protocol_id));
    if (!enrollment) {
      ++report_.enrollments_created;
    } else if (anchor.ok() && enrollment->anchor_date != *anchor) {
      ++report_.enrollments_updated;
    }
    return absl::OkStatus();
  }

  // Every row was checked: codes exist, the caller works at the site, dates parse.
  absl::Status Apply(const Row& row) {
    PatientSeen& seen = patients_.at(row.registry_id);
    const Site& site = sites_.at(row.site_code);
    const int64_t protocol_id = protocols_.at(row.protocol_code);
    LIMS_ASSIGN_OR_RETURN(absl::CivilDay anchor, ParseIsoDate(row.anchor_text));
    const std::string from_line = absl::StrCat(" (registry import, line ", row.line, ")");
    if (seen.patient_id == 0) {
      Patient patient;
      patient.registry_id = row.registry_id;
      patient.site_id = site.id;
      patient.site_code = site.code;
      LIMS_RETURN_IF_ERROR(db::PatientRepository(tx_).Insert(patient, call_.now));
      LIMS_RETURN_IF_ERROR(Audit(tx_, call_,
                                 AuditEntry("patient.created", "patient", patient.registry_id)
                                     .Details(absl::StrCat("patient ", patient.registry_id,
                                                           " registered at ", site.code, from_line))
                                     .After(SnapshotJson(patient))));
      seen.patient_id = patient.id;
    }
    db::EnrollmentRepository enrollments(tx_);
    std::optional<Enrollment> existing;
    if (seen.existed) {
      LIMS_ASSIGN_OR_RETURN(existing,
                            enrollments.FindByPatientAndProtocol(seen.patient_id, protocol_id));
    }
    if (!existing) {
      Enrollment enrollment;
      enrollment.patient_id = seen.patient_id;
      enrollment.protocol_id = protocol_id;
      enrollment.anchor_date = anchor;
      enrollment.protocol_code = row.protocol_code;
      enrollment.patient_registry_id = row.registry_id;
      enrollment.site_id = site.id;
      LIMS_RETURN_IF_ERROR(enrollments.Insert(enrollment, call_.now));
      LIMS_RETURN_IF_ERROR(
          Audit(tx_, call_,
                AuditEntry("patient.enrolled", "patient", row.registry_id)
                    .Details(absl::StrCat("enrolled in ", row.protocol_code, ", anchor ",
                                          FormatIsoDate(anchor), from_line))
                    .After(SnapshotJson(enrollment))));
      ++applied_.enrollments_created;
    } else if (existing->anchor_date != anchor) {
      Enrollment updated = *existing;
      updated.anchor_date = anchor;
      LIMS_RETURN_IF_ERROR(enrollments.UpdateAnchorDate(existing->id, anchor));
      LIMS_RETURN_IF_ERROR(
          Audit(tx_, call_,
                AuditEntry("enrollment.anchor_changed", "patient", row.registry_id)
                    .Details(absl::StrCat("anchor date in ", row.protocol_code, " moved from ",
                                          FormatIsoDate(existing->anchor_date), " to ",
                                          FormatIsoDate(anchor), from_line))
                    .Before(SnapshotJson(*existing))
                    .After(SnapshotJson(updated))
                    .Reason("registry import")));
      ++applied_.enrollments_updated;
    }
    return absl::OkStatus();
  }

  db::Tx& tx_;
  const CallContext& call_;
  std::string_view csv_;
  bool passed_once_ = false;
  ImportReport report_;
  ImportReport applied_;  // what the second pass did: must equal what the first one counted
  std::map<std::string, Site> sites_;
  std::map<std::string, int64_t> protocols_;
  std::unordered_map<std::string, PatientSeen> patients_;
};

}  // namespace

absl::StatusOr<ImportReport> ImportRegistryRows(db::Tx& tx, const CallContext& call,
                                                const RegistryFile& request) {
  std::string_view csv = request.csv;
  bool dry_run = request.dry_run;
  Importer importer(tx, call, csv);
  return importer.Run(dry_run);
}

}  // namespace lims::services
