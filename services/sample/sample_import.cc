#include "sample_import.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lims/core/access.h"
#include "lims/core/box_layout.h"
#include "lims/core/csv_reader.h"
#include "lims/core/quantity_text.h"
#include "lims/core/reading_csv.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_rules.h"
#include "lims/core/sample_types.h"
#include "lims/core/storage_kind.h"
#include "lims/core/timepoint_window.h"
#include "lims/core/tube_csv.h"
#include "lims/core/unit_label.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "lims/db/storage_units.h"
#include "lims/db/tube_bulk.h"
#include "status_macros.h"
#include "text_fields.h"
#include "tube_import_plan.h"

namespace lims::services {
namespace {

// Lines read between two batched look-ups in the LIMS.
constexpr size_t kPendingChecks = 1000;
// A collection time this far ahead of the server's clock is a typing error, not a clock's.
constexpr absl::Duration kClockSkew = absl::Minutes(5);

class TubeImporter {
 public:
  TubeImporter(db::Tx& tx, const CallContext& call, const TubeFile& file)
      : tx_(tx), call_(call), file_(file), bulk_(tx) {}

  absl::StatusOr<TubeImportReport> Run() {
    LIMS_RETURN_IF_ERROR(CheckFile());
    if (report_.errors.count() > 0) {
      TubeImportReport refused;
      refused.rows_read = report_.rows_read;
      refused.errors = std::move(report_.errors);
      return refused;
    }
    report_.rows_accepted = report_.rows_read;
    for (const TubePlan& tube : plan_.tubes) {
      ++(tube.parent_row >= 0 || tube.parent_id ? report_.derived_tubes_created
                                                : report_.primary_tubes_created);
      if (tube.box_id) ++report_.tubes_placed;
    }
    for (const auto& [registry_id, patient] : plan_.patients)
      report_.patients_created += !patient.id;
    for (const EnrollmentPlan& e : plan_.enrollments) report_.enrollments_created += !e.id;
    if (file_.dry_run) return std::move(report_);
    LIMS_RETURN_IF_ERROR(WriteTubeImport(tx_, call_, bulk_, plan_));
    return std::move(report_);
  }

 private:
  void AddError(int line, std::string message) { report_.errors.Add(line, std::move(message)); }

  absl::Status CheckFile() {
    CsvReader reader(file_.csv);
    CsvRecord record;
    if (!reader.Next(&record)) {
      AddError(1, "the file is empty; the first line must name the columns");
      return absl::OkStatus();
    }
    if (!record.error.empty()) {
      AddError(record.line, record.error);
      return absl::OkStatus();
    }
    auto columns = MapTubeColumns(record.fields);
    if (!columns.ok()) {
      AddError(record.line, std::string(columns.status().message()));
      return absl::OkStatus();
    }
    columns_ = *columns;
    const size_t width = record.fields.size();
    while (reader.Next(&record)) {
      ++report_.rows_read;
      if (!record.error.empty()) {
        AddError(record.line, record.error);
      } else if (record.fields.size() != width) {
        AddError(record.line,
                 absl::StrCat("the row has ", record.fields.size(), " fields but the header has ",
                              width, "; quote fields that contain commas"));
      } else {
        LIMS_RETURN_IF_ERROR(CheckRow(record));
      }
      if (pending_codes_.size() >= kPendingChecks) LIMS_RETURN_IF_ERROR(CheckPending());
    }
    LIMS_RETURN_IF_ERROR(CheckPending());
    // Errors found by the batched look-ups came after later lines' own: file order again.
    std::stable_sort(report_.errors.listed().begin(), report_.errors.listed().end(),
                     [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
    return absl::OkStatus();
  }

  // The codes and wells of the lines read since the last call, asked of the LIMS at once: a
  // code it has, a well that holds a tube.
  absl::Status CheckPending() {
    LIMS_ASSIGN_OR_RETURN(std::set<std::string> known, bulk_.ExistingBarcodes(pending_codes_));
    for (const std::string& code : known) {
      AddError(lines_.at(code), absl::StrCat("barcode ", code,
                                             " is already registered in the LIMS; leave it out "
                                             "of the file"));
    }
    std::vector<std::pair<int64_t, int>> wells;
    for (const PendingWell& w : pending_wells_) wells.push_back({w.box_id, w.position});
    LIMS_ASSIGN_OR_RETURN(auto taken, bulk_.TubesIn(wells));
    for (const PendingWell& w : pending_wells_) {
      auto holder = taken.find({w.box_id, w.position});
      if (holder == taken.end()) continue;
      AddError(w.line, absl::StrCat("box ", w.box_text, " position ", w.position_text, " holds ",
                                    holder->second, " in the LIMS already"));
    }
    pending_codes_.clear();
    pending_wells_.clear();
    return absl::OkStatus();
  }

  std::string Field(const CsvRecord& record, TubeColumn column) const {
    const int at = columns_[static_cast<int>(column)];
    return at < 0 ? "" : std::string(absl::StripAsciiWhitespace(record.fields[at]));
  }

  // Checks one row against the file so far and the database; adds it to the plan when it is
  // right, else its errors to the report.
  absl::Status CheckRow(const CsvRecord& record) {
    const int line = record.line;
    const int errors_before = report_.errors.count();
    TubePlan tube;
    tube.line = line;
    CheckBarcode(line, Field(record, TubeColumn::kBarcode), &tube);
    LIMS_ASSIGN_OR_RETURN(const std::optional<size_t> enrollment, CheckEnrollment(record));
    CheckTube(record, &tube);
    if (enrollment) {
      tube.enrollment = *enrollment;
      const std::string timepoint = Field(record, TubeColumn::kTimepointCode);
      for (const Timepoint& tp : plan_.enrollments[*enrollment].protocol->timepoints) {
        if (tp.code == timepoint) tube.timepoint = &tp;
      }
      if (!tube.timepoint) {
        AddError(line, absl::StrCat("protocol ", plan_.enrollments[*enrollment].protocol->code,
                                    " has no timepoint '", timepoint, "'"));
      }
      LIMS_RETURN_IF_ERROR(CheckParent(line, Field(record, TubeColumn::kParentBarcode), &tube));
      LIMS_RETURN_IF_ERROR(CheckPlace(record, &tube));
    }
    if (report_.errors.count() == errors_before && enrollment) {
      barcodes_.emplace(tube.barcode, static_cast<int>(plan_.tubes.size()));
      plan_.tubes.push_back(std::move(tube));
    }
    return absl::OkStatus();
  }

  void CheckBarcode(int line, const std::string& text, TubePlan* tube) {
    auto barcode = CanonicalBarcode(text);
    if (!barcode.ok()) {
      AddError(line, absl::StrCat("barcode '", text, "': ", barcode.status().message()));
      return;
    }
    tube->barcode = *barcode;
    if (auto earlier = lines_.find(*barcode); earlier != lines_.end()) {
      AddError(line, absl::StrCat("barcode ", *barcode, " is already on line ", earlier->second,
                                  "; a tube is listed once"));
      return;
    }
    lines_.emplace(*barcode, line);
    pending_codes_.push_back(*barcode);  // asked of the LIMS with others (CheckPending)
  }

  // The row's patient and enrollment: found, or planned. nullopt when the row cannot name one.
  absl::StatusOr<std::optional<size_t>> CheckEnrollment(const CsvRecord& record) {
    const int line = record.line;
    const std::string registry_id = Field(record, TubeColumn::kRegistryId);
    const std::string site_code = Field(record, TubeColumn::kSiteCode);
    const std::string protocol_code = Field(record, TubeColumn::kProtocolCode);
    const std::string anchor_text = Field(record, TubeColumn::kAnchorDate);
    std::optional<absl::CivilDay> anchor;
    if (!anchor_text.empty()) {
      auto parsed = ParseIsoDate(anchor_text);
      if (!parsed.ok()) {
        AddError(line, absl::StrCat("anchor_date '", anchor_text,
                                    "' is not a real date in the form YYYY-MM-DD"));
        return std::optional<size_t>();
      }
      anchor = *parsed;
    }
    if (!CheckCode(registry_id, "registry_id", 64).ok()) {
      AddError(line, absl::StrCat("registry_id '", registry_id,
                                  "' is not valid: use 1-64 letters, digits, '.', '_' or '-'"));
      return std::optional<size_t>();
    }
    LIMS_ASSIGN_OR_RETURN(const Site* site, FindSite(site_code));
    if (!site) {
      AddError(line, absl::StrCat("unknown site '", site_code,
                                  "'; correct the code or create the site first"));
      return std::optional<size_t>();
    }
    if (!CanAccessSite(call_.principal, site->id)) {
      AddError(line, absl::StrCat("you do not work at site ", site->code,
                                  "; only its own staff may load its tubes"));
      return std::optional<size_t>();
    }
    LIMS_ASSIGN_OR_RETURN(const Protocol* protocol, FindProtocol(protocol_code));
    if (!protocol) {
      AddError(line, absl::StrCat("unknown protocol '", protocol_code,
                                  "'; correct the code or create the protocol first"));
      return std::optional<size_t>();
    }
    auto patient = plan_.patients.find(registry_id);
    if (patient == plan_.patients.end()) {
      PatientPlan plan{0, site->id, site->code, line};
      auto stored = db::PatientRepository(tx_).FindByRegistryId(registry_id);
      if (stored.ok()) {
        plan = {stored->id, stored->site_id, stored->site_code, line};
      } else if (!absl::IsNotFound(stored.status())) {
        return stored.status();
      }
      patient = plan_.patients.emplace(registry_id, plan).first;
    }
    if (patient->second.site_id != site->id) {
      AddError(line,
               absl::StrCat("patient ", registry_id, " is at site ", patient->second.site_code,
                            " (line ", patient->second.line, " or the LIMS), not ", site->code,
                            "; a patient stays at one site"));
      return std::optional<size_t>();
    }
    const std::string key = absl::StrCat(registry_id, "\x1f", protocol->code);
    auto known = enrollment_index_.find(key);
    if (known == enrollment_index_.end()) {
      EnrollmentPlan plan;
      plan.registry_id = registry_id;
      plan.protocol = protocol;
      plan.anchor = anchor;
      plan.line = line;
      if (patient->second.id) {
        LIMS_ASSIGN_OR_RETURN(auto stored, db::EnrollmentRepository(tx_).FindByPatientAndProtocol(
                                               patient->second.id, protocol->id));
        if (stored) {
          plan.id = stored->id;
          plan.anchor = stored->anchor_date;
        }
      }
      if (!plan.anchor) {
        AddError(line, absl::StrCat("patient ", registry_id, " is not enrolled in ", protocol->code,
                                    ": give its anchor_date to enrol them"));
        return std::optional<size_t>();
      }
      known = enrollment_index_.emplace(key, plan_.enrollments.size()).first;
      plan_.enrollments.push_back(std::move(plan));
    }
    const EnrollmentPlan& enrollment = plan_.enrollments[known->second];
    if (anchor && *anchor != *enrollment.anchor) {
      AddError(line, absl::StrCat("anchor_date ", FormatIsoDate(*anchor), " differs from ",
                                  FormatIsoDate(*enrollment.anchor), " (line ", enrollment.line,
                                  " or the LIMS) for patient ", registry_id, " in ", protocol->code,
                                  "; one enrollment has one anchor date"));
    }
    return std::optional<size_t>(known->second);
  }

  // Type, quantity, collection time.
  void CheckTube(const CsvRecord& record, TubePlan* tube) {
    const int line = record.line;
    const std::string type_text = Field(record, TubeColumn::kSampleType);
    tube->sample_type = SampleTypeCode(type_text);
    if (tube->sample_type.empty()) {
      if (ValidateSampleType(type_text).ok()) {
        tube->sample_type = type_text;
      } else {
        AddError(line, absl::StrCat("sample_type '", type_text,
                                    "' is not known: write a SPREC code (SER, PL1, BLD, CEL, "
                                    "DNA, ...) or its name (Serum, Whole blood, ...)"));
      }
    }
    const std::string quantity_text = Field(record, TubeColumn::kQuantity);
    auto quantity = ParseQuantityText(quantity_text);
    if (!quantity.ok()) {
      AddError(line, absl::StrCat("quantity '", quantity_text, "': ", quantity.status().message()));
    } else {
      tube->quantity = quantity->quantity;
    }
    const std::string when = Field(record, TubeColumn::kCollectedAt);
    auto day = ParseIsoDate(when);
    if (day.ok()) {
      tube->collected_at = absl::FromCivil(absl::CivilSecond(*day), file_.zone);
    } else if (!ParseReadingTime(when, file_.zone, &tube->collected_at)) {
      AddError(line, absl::StrCat("collected_at '", when,
                                  "' is not a time: write 2024-03-01T09:30, 2024-03-01 09:30:00"
                                  "+01:00, 01/03/2024 09:30 or 2024-03-01"));
      return;
    }
    if (tube->collected_at > call_.now + kClockSkew) {
      AddError(line, absl::StrCat("collected_at '", when, "' is in the future"));
    }
  }

  absl::Status CheckParent(int line, const std::string& text, TubePlan* tube) {
    if (text.empty()) return absl::OkStatus();
    auto barcode = CanonicalBarcode(text);
    if (!barcode.ok()) {
      AddError(line, absl::StrCat("parent_barcode '", text, "': ", barcode.status().message()));
      return absl::OkStatus();
    }
    if (*barcode == tube->barcode) {
      AddError(line, absl::StrCat("tube ", *barcode, " is given as its own parent"));
      return absl::OkStatus();
    }
    const EnrollmentPlan& mine = plan_.enrollments[tube->enrollment];
    if (auto in_file = barcodes_.find(*barcode); in_file != barcodes_.end()) {
      const TubePlan& parent = plan_.tubes[in_file->second];
      if (parent.enrollment != tube->enrollment) {
        AddError(line, absl::StrCat("parent ", *barcode, " (line ", parent.line,
                                    ") belongs to another patient or protocol than this tube"));
      }
      tube->parent_row = in_file->second;
      return absl::OkStatus();
    }
    if (lines_.count(*barcode)) return absl::OkStatus();  // its own line was refused
    auto stored = db::SampleRepository(tx_).FindByBarcode(*barcode);
    if (absl::IsNotFound(stored.status())) {
      AddError(line, absl::StrCat("parent ", *barcode,
                                  " is on no earlier line and not in the LIMS; list parents "
                                  "before the tubes made from them"));
      return absl::OkStatus();
    }
    if (!stored.ok()) return stored.status();
    if (stored->patient_registry_id != mine.registry_id ||
        stored->protocol_code != mine.protocol->code) {
      AddError(line, absl::StrCat("parent ", *barcode, " belongs to ", stored->patient_registry_id,
                                  " in ", stored->protocol_code,
                                  ", not to this tube's patient and protocol"));
      return absl::OkStatus();
    }
    tube->parent_id = stored->id;
    return absl::OkStatus();
  }

  absl::Status CheckPlace(const CsvRecord& record, TubePlan* tube) {
    const int line = record.line;
    const std::string box_text = Field(record, TubeColumn::kBox);
    const std::string position_text = Field(record, TubeColumn::kPosition);
    if (box_text.empty() && position_text.empty()) return absl::OkStatus();
    if (box_text.empty() || position_text.empty()) {
      AddError(line, "give both box and position, or neither (a tube not in a box)");
      return absl::OkStatus();
    }
    int64_t box_id = 0;
    if (auto label = ParseUnitLabelCode(box_text); label.ok()) {
      box_id = *label;
    } else if (!absl::SimpleAtoi(box_text, &box_id)) {
      AddError(line,
               absl::StrCat("box '", box_text, "': write the box's label (BOX-<id>) or its id"));
      return absl::OkStatus();
    }
    LIMS_ASSIGN_OR_RETURN(const BoxInfo* box, FindBox(box_id));
    if (!box) {
      AddError(line, absl::StrCat("box '", box_text,
                                  "' is not a box of the LIMS (a unit with "
                                  "rows and columns); create it first"));
      return absl::OkStatus();
    }
    const EnrollmentPlan& enrollment = plan_.enrollments[tube->enrollment];
    if (box->site_id != plan_.patients.at(enrollment.registry_id).site_id) {
      AddError(line, absl::StrCat("box ", box_text, " is at site ", box->site_code,
                                  ", not at the patient's site"));
      return absl::OkStatus();
    }
    auto position = box->layout.ParsePosition(position_text);
    if (!position.ok()) {
      AddError(line, absl::StrCat("position '", position_text, "' in box ", box_text, ": ",
                                  position.status().message()));
      return absl::OkStatus();
    }
    const std::string place = absl::StrCat(box_id, ":", *position);
    if (auto earlier = places_.find(place); earlier != places_.end()) {
      AddError(line, absl::StrCat("box ", box_text, " position ", position_text,
                                  " is already given to the tube on line ", earlier->second));
      return absl::OkStatus();
    }
    LIMS_ASSIGN_OR_RETURN(auto occupant,
                          db::PlacementRepository(tx_).FindByPosition(box_id, *position));
    if (occupant) {
      AddError(line, absl::StrCat("box ", box_text, " position ", position_text, " holds ",
                                  occupant->barcode, " in the LIMS already"));
      return absl::OkStatus();
    }
    places_.emplace(place, line);
    tube->box_id = box_id;
    tube->position = *position;
    return absl::OkStatus();
  }

  absl::StatusOr<const Site*> FindSite(const std::string& code) {
    if (code.empty()) return nullptr;
    if (auto it = sites_.find(code); it != sites_.end()) return &it->second;
    auto site = db::SiteRepository(tx_).FindByCode(code);
    if (absl::IsNotFound(site.status())) return nullptr;
    if (!site.ok()) return site.status();
    return &sites_.emplace(code, *site).first->second;
  }

  absl::StatusOr<const Protocol*> FindProtocol(const std::string& code) {
    if (code.empty()) return nullptr;
    if (auto it = protocols_.find(code); it != protocols_.end()) return &it->second;
    auto protocol = db::ProtocolRepository(tx_).FindByCode(code);
    if (absl::IsNotFound(protocol.status())) return nullptr;
    if (!protocol.ok()) return protocol.status();
    return &protocols_.emplace(code, *protocol).first->second;
  }

  struct BoxInfo {
    int64_t site_id = 0;
    std::string site_code;
    BoxLayout layout;
  };
  absl::StatusOr<const BoxInfo*> FindBox(int64_t id) {
    if (auto it = boxes_.find(id); it != boxes_.end()) return it->second ? &*it->second : nullptr;
    auto unit = db::StorageUnitRepository(tx_).FindById(id);
    if (!unit.ok() && !absl::IsNotFound(unit.status())) return unit.status();
    std::optional<BoxInfo> info;
    if (unit.ok() && unit->kind == StorageKind::kBox) {
      auto layout = BoxLayout::Create(unit->rows, unit->columns);
      if (layout.ok()) info = BoxInfo{unit->site_id, unit->site_code, *layout};
    }
    auto& slot = boxes_.emplace(id, std::move(info)).first->second;
    return slot ? &*slot : nullptr;
  }

  db::Tx& tx_;
  const CallContext& call_;
  const TubeFile& file_;
  db::TubeBulk bulk_;
  std::array<int, kTubeColumnCount> columns_{};
  TubeImportReport report_;
  std::map<std::string, Site> sites_;
  std::map<std::string, Protocol> protocols_;  // node-based: Timepoint pointers stay valid
  std::map<int64_t, std::optional<BoxInfo>> boxes_;
  TubeImportPlan plan_;
  std::unordered_map<std::string, size_t> enrollment_index_;
  std::unordered_map<std::string, int> barcodes_;  // accepted tubes: barcode → index in plan_.tubes
  std::unordered_map<std::string, int> lines_;     // every barcode seen: its first line
  std::unordered_map<std::string, int> places_;    // "box:position" → line
  // Look-ups in the LIMS waiting to be asked together (CheckPending).
  struct PendingWell {
    int line;
    int64_t box_id;
    int position;
    std::string box_text, position_text;
  };
  std::vector<std::string> pending_codes_;
  std::vector<PendingWell> pending_wells_;
};

}  // namespace

absl::StatusOr<TubeImportReport> ImportTubes(db::Tx& tx, const CallContext& call,
                                             const TubeFile& file) {
  TubeImporter importer(tx, call, file);
  return importer.Run();
}

}  // namespace lims::services
