#include "sample_operations.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/access.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_rules.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/placements.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "sample_access.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

// Collection times a few minutes ahead are clock skew between the bench PC and the server.
constexpr absl::Duration kClockSkew = absl::Minutes(5);

absl::StatusOr<std::string> MintBarcode(db::Tx& tx, const CallContext& call, int64_t site_id) {
  LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindById(site_id));
  const int year = static_cast<int>(absl::ToCivilYear(call.now, absl::UTCTimeZone()).year() % 100);
  LIMS_ASSIGN_OR_RETURN(int64_t sequence, db::SampleRepository(tx).NextSequence(site_id, year));
  return FormatSampleId({site.code, year, sequence});
}

// A pre-printed code must be well-formed and new.
absl::Status CheckNewPreprinted(db::Tx& tx, const std::string& barcode) {
  LIMS_RETURN_IF_ERROR(ValidatePreprintedBarcode(barcode));
  LIMS_ASSIGN_OR_RETURN(bool exists, db::SampleRepository(tx).BarcodeExists(barcode));
  if (exists) {
    return absl::AlreadyExistsError(absl::StrCat(
        "barcode ", barcode, " is already registered to another sample; use a new tube"));
  }
  return absl::OkStatus();
}

absl::StatusOr<const Timepoint*> FindTimepoint(const Protocol& protocol, const std::string& code) {
  std::vector<std::string> codes;
  for (const Timepoint& tp : protocol.timepoints) {
    if (tp.code == code) return &tp;
    codes.push_back(tp.code);
  }
  return absl::InvalidArgumentError(absl::StrCat("timepoint '", code, "' is not in protocol ",
                                                 protocol.code, "; its timepoints are ",
                                                 absl::StrJoin(codes, ", ")));
}

// The code a stored tube carries; tubes from before SPREC codes were kept start unknown.
absl::StatusOr<SprecCode> StoredSprec(const Sample& sample) {
  if (sample.sprec.empty()) return UnknownSprec(sample.sample_type);
  absl::StatusOr<SprecCode> code = ParseSprec(sample.sprec);
  if (!code.ok()) {
    return absl::InternalError(absl::StrCat("stored SPREC code of ", sample.barcode,
                                            " does not parse: ", code.status().message()));
  }
  return code;
}

// The code a new primary tube starts with: the hand-given one, or its type and container.
absl::StatusOr<SprecCode> InitialSprec(const CollectCommand& command) {
  if (!command.sprec.empty()) {
    if (!command.primary_container.empty()) {
      return absl::InvalidArgumentError(
          "give either a whole SPREC code or a primary container, not both (the container is "
          "the code's second element)");
    }
    return ParseSprecFor(command.sprec, command.sample_type);
  }
  SprecCode code = UnknownSprec(command.sample_type);
  if (command.primary_container.empty()) return code;
  code.container = command.primary_container;
  return ParseSprec(code.ToString());  // checks the container against the SPREC list
}

}  // namespace

absl::StatusOr<Sample> RegisterCollection(db::Tx& tx, const CallContext& call,
                                          const CollectCommand& command) {
  LIMS_RETURN_IF_ERROR(ValidateSampleType(command.sample_type));
  if (command.collected_at > call.now + kClockSkew) {
    return absl::InvalidArgumentError(
        "collected_at is in the future; check the bench computer's clock and the date entered");
  }
  LIMS_ASSIGN_OR_RETURN(Enrollment enrollment,
                        db::EnrollmentRepository(tx).FindById(command.enrollment_id));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, enrollment.site_id,
                                   absl::StrCat("enrollment ", command.enrollment_id)));
  LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                        db::ProtocolRepository(tx).FindById(enrollment.protocol_id));
  LIMS_ASSIGN_OR_RETURN(const Timepoint* timepoint,
                        FindTimepoint(protocol, command.timepoint_code));
  LIMS_ASSIGN_OR_RETURN(SprecCode sprec, InitialSprec(command));

  Sample sample;
  if (command.preprinted_barcode.empty()) {
    LIMS_ASSIGN_OR_RETURN(sample.barcode, MintBarcode(tx, call, enrollment.site_id));
  } else {
    LIMS_RETURN_IF_ERROR(CheckNewPreprinted(tx, command.preprinted_barcode));
    sample.barcode = command.preprinted_barcode;
  }
  const TimepointWindow window =
      ComputeWindow(enrollment.anchor_date, timepoint->offset_days, timepoint->window_before_days,
                    timepoint->window_after_days);
  sample.enrollment_id = enrollment.id;
  sample.timepoint_id = timepoint->id;
  sample.site_id = enrollment.site_id;
  sample.sample_type = command.sample_type;
  sample.quantity = command.quantity;
  sample.status = SampleStatus::kCollected;
  sample.collected_at = command.collected_at;
  sample.sprec = sprec.ToString();
  sample.window_offset_days =
      WindowOffsetDays(window, absl::ToCivilDay(command.collected_at, absl::UTCTimeZone()));
  LIMS_RETURN_IF_ERROR(db::SampleRepository(tx).Insert(sample, call.now));
  // Read back with the denormalised names filled in.
  LIMS_ASSIGN_OR_RETURN(sample, db::SampleRepository(tx).FindByBarcode(sample.barcode));
  std::string details =
      absl::StrCat(sample.sample_type, " ", sample.quantity.ToString(), " from ",
                   sample.patient_registry_id, " at ", protocol.code, "/", timepoint->code);
  if (sample.window_offset_days != 0) {
    absl::StrAppend(&details, " (outside the window by ", sample.window_offset_days, " days)");
  }
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("sample.collected", "sample", sample.barcode)
                                 .Details(details)
                                 .After(SnapshotJson(sample, std::nullopt))));
  return sample;
}

absl::StatusOr<Derivation> DeriveFromParent(db::Tx& tx, const CallContext& call,
                                            const DeriveCommand& command) {
  LIMS_RETURN_IF_ERROR(ValidateSampleType(command.sample_type));
  if (!command.preprinted_barcodes.empty() &&
      static_cast<int>(command.preprinted_barcodes.size()) != command.count) {
    return absl::InvalidArgumentError(absl::StrCat("barcodes: give exactly count (", command.count,
                                                   ") pre-printed codes, or none to mint ids"));
  }
  std::set<std::string> distinct(command.preprinted_barcodes.begin(),
                                 command.preprinted_barcodes.end());
  if (distinct.size() != command.preprinted_barcodes.size()) {
    return absl::InvalidArgumentError("barcodes: the same pre-printed code appears twice");
  }
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(Sample parent, FindSampleForCaller(tx, call, command.parent_barcode));
  const Sample parent_before = parent;
  auto planned =
      PlanDerivation(parent.status, parent.quantity, command.count, command.quantity_each);
  if (!planned.ok()) {
    return absl::Status(planned.status().code(),
                        absl::StrCat(parent.barcode, ": ", planned.status().message()));
  }
  const DerivationPlan plan = *planned;
  LIMS_ASSIGN_OR_RETURN(const SprecCode parent_sprec, StoredSprec(parent));

  Derivation result;
  std::vector<std::string> child_codes;
  for (int i = 0; i < command.count; ++i) {
    Sample child;
    if (command.preprinted_barcodes.empty()) {
      LIMS_ASSIGN_OR_RETURN(child.barcode, MintBarcode(tx, call, parent.site_id));
    } else {
      LIMS_RETURN_IF_ERROR(CheckNewPreprinted(tx, command.preprinted_barcodes[i]));
      child.barcode = command.preprinted_barcodes[i];
    }
    child.parent_id = parent.id;
    child.enrollment_id = parent.enrollment_id;
    child.timepoint_id = parent.timepoint_id;
    child.site_id = parent.site_id;
    child.sample_type = command.sample_type;
    child.quantity = command.quantity_each;
    child.status = SampleStatus::kInProcessing;
    child.freeze_thaw_count = InheritedFreezeThaw(parent.freeze_thaw_count);
    // An aliquot's pre-analytical clock starts at the parent's collection.
    child.collected_at = parent.collected_at;
    child.window_offset_days = parent.window_offset_days;
    child.sprec = DerivedSprec(parent_sprec, command.sample_type).ToString();
    LIMS_RETURN_IF_ERROR(samples.Insert(child, call.now));
    LIMS_ASSIGN_OR_RETURN(child, samples.FindByBarcode(child.barcode));
    LIMS_RETURN_IF_ERROR(
        Audit(tx, call,
              AuditEntry("sample.derived", "sample", child.barcode)
                  .Details(absl::StrCat(child.sample_type, " ", child.quantity.ToString(),
                                        " derived from ", parent.barcode))
                  .After(SnapshotJson(child, std::nullopt))));
    child_codes.push_back(child.barcode);
    result.children.push_back(std::move(child));
  }

  parent.quantity = plan.parent_remaining;
  parent.status = plan.parent_status;
  LIMS_RETURN_IF_ERROR(samples.Update(parent));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry("sample.aliquoted", "sample", parent.barcode)
          .Details(absl::StrCat(command.count, " x ", command.quantity_each.ToString(), " ",
                                command.sample_type, " taken: ", absl::StrJoin(child_codes, ", "),
                                "; ", parent.quantity.ToString(), " left"))
          .Before(SnapshotJson(parent_before, std::nullopt))
          .After(SnapshotJson(parent, std::nullopt))));
  result.parent = parent;
  return result;
}

absl::StatusOr<LifecycleResult> ApplyLifecycleEvent(db::Tx& tx, const CallContext& call,
                                                    const LifecycleCommand& command) {
  const SampleEvent event = command.event;
  const bool needs_reason = event == SampleEvent::kConsume || event == SampleEvent::kDispose;
  LIMS_RETURN_IF_ERROR(CheckText(command.reason, "reason", 1000, needs_reason));
  if (command.pre_centrifugation_temperature && event != SampleEvent::kStartProcessing) {
    return absl::InvalidArgumentError(
        "pre_centrifugation_temperature belongs to START_PROCESSING only; leave it unset");
  }
  const absl::Time occurred_at = command.occurred_at.value_or(call.now);
  if (occurred_at > call.now + kClockSkew) {
    return absl::InvalidArgumentError(
        "occurred_at is in the future; check the bench computer's clock and the time entered");
  }
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, command.barcode));
  const Sample before = sample;
  auto next = ApplyEvent(sample.status, event);
  if (!next.ok()) {
    return absl::Status(next.status().code(),
                        absl::StrCat(sample.barcode, ": ", next.status().message()));
  }
  sample.status = *next;
  std::string details = absl::StrCat(std::string(StatusName(before.status)), " -> ",
                                     std::string(StatusName(sample.status)));
  if (command.occurred_at) {
    absl::StrAppend(&details, " at ",
                    absl::FormatTime(absl::RFC3339_sec, occurred_at, absl::UTCTimeZone()));
  }
  if (command.pre_centrifugation_temperature) {
    LIMS_ASSIGN_OR_RETURN(SprecCode sprec, StoredSprec(sample));
    auto element = PreCentrifugationElement(occurred_at - sample.collected_at,
                                            *command.pre_centrifugation_temperature);
    if (!element.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(sample.barcode, ": ", element.status().message()));
    }
    const char previous = sprec.pre_centrifugation;
    sprec.pre_centrifugation = *element;
    sample.sprec = sprec.ToString();
    absl::StrAppend(&details, "; SPREC pre-centrifugation ", std::string(1, previous), " -> ",
                    std::string(1, *element), " (",
                    std::string(DescribePreCentrifugation(*element)),
                    " since collection): ", sample.sprec);
  }
  LifecycleResult result;
  LIMS_ASSIGN_OR_RETURN(result.freed, placements.FindBySample(sample.id));
  if (result.freed.has_value()) {
    LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id, call.now));
  }
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  if (result.freed) absl::StrAppend(&details, "; freed ", DescribePosition(*result.freed));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry(absl::StrCat("sample.", std::string(EventName(event))), "sample", sample.barcode)
          .Details(details)
          .Before(SnapshotJson(before, result.freed))
          .After(SnapshotJson(sample, std::nullopt))
          .Reason(command.reason)));
  result.sample = std::move(sample);
  return result;
}

absl::StatusOr<Sample> ReplaceSprec(db::Tx& tx, const CallContext& call,
                                    const SprecChange& change) {
  LIMS_RETURN_IF_ERROR(CheckText(change.reason, "reason", 1000, /*required=*/true));
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, change.barcode));
  auto code = ParseSprecFor(change.sprec, sample.sample_type);
  if (!code.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(sample.barcode, ": ", code.status().message()));
  }
  if (code->ToString() == sample.sprec) return sample;
  const Sample before = sample;
  sample.sprec = code->ToString();
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("sample.sprec_corrected", "sample", sample.barcode)
                .Details(absl::StrCat("SPREC ", before.sprec.empty() ? "(none)" : before.sprec,
                                      " -> ", sample.sprec))
                .Before(SnapshotJson(before, std::nullopt))
                .After(SnapshotJson(sample, std::nullopt))
                .Reason(change.reason)));
  return sample;
}

absl::StatusOr<Sample> LookUpTube(db::Tx& tx, const CallContext& call, const TubeQuery& query) {
  return FindSampleForCaller(tx, call, query.barcode);
}

// The bench hot path: one statement for the tube, its place, its consent and its exposure.
absl::StatusOr<TubeAtBench> ResolveTube(db::Tx& tx, const CallContext& call,
                                        const TubeQuery& query) {
  LIMS_ASSIGN_OR_RETURN(db::SampleAtBench found,
                        db::SampleRepository(tx).ResolveAtBench(query.barcode));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, found.sample.site_id, "sample " + found.sample.barcode));
  TubeAtBench out;
  // The patient's consent today: what the tube may be used for.
  out.consent = CurrentConsent(found.consent, absl::ToCivilDay(call.now, absl::UTCTimeZone()));
  out.sample = std::move(found.sample);
  out.location = std::move(found.location);
  out.exposed = found.exposed;
  return out;
}

absl::StatusOr<std::vector<db::AuditEvent>> TubeHistory(db::Tx& tx, const CallContext& call,
                                                        const TubeQuery& query) {
  // NOT_FOUND for an unknown tube rather than an empty history.
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, query.barcode));
  return db::AuditLog(tx).ListForEntity("sample", sample.barcode);
}

absl::StatusOr<std::vector<db::Exposure>> TubeExposures(db::Tx& tx, int64_t sample_id) {
  return db::ExcursionRepository(tx).ExposuresOfSample(sample_id);
}

absl::StatusOr<std::vector<db::ResolvedSample>> ListEnrollmentTubes(
    db::Tx& tx, const CallContext& call, const EnrollmentTubesQuery& query, const Page& page) {
  if (query.patient_registry_id.empty() || query.protocol_code.empty()) {
    return absl::InvalidArgumentError(
        "give patient_registry_id and protocol_code: the tubes listed are one enrollment's");
  }
  LIMS_RETURN_IF_ERROR(CheckText(query.patient_registry_id, "patient_registry_id", 64, false));
  LIMS_RETURN_IF_ERROR(CheckText(query.timepoint_code, "timepoint_code", 32, false));
  LIMS_ASSIGN_OR_RETURN(Patient patient,
                        db::PatientRepository(tx).FindByRegistryId(query.patient_registry_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, patient.site_id, "patient " + patient.registry_id));
  LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                        db::ProtocolRepository(tx).FindByCode(query.protocol_code));
  LIMS_ASSIGN_OR_RETURN(
      std::optional<Enrollment> enrollment,
      db::EnrollmentRepository(tx).FindByPatientAndProtocol(patient.id, protocol.id));
  if (!enrollment) {
    return absl::NotFoundError(absl::StrCat("patient ", patient.registry_id,
                                            " is not enrolled in protocol ", protocol.code));
  }
  int64_t timepoint_id = 0;
  if (!query.timepoint_code.empty()) {
    std::vector<std::string> codes;
    for (const Timepoint& timepoint : protocol.timepoints) {
      if (timepoint.code == query.timepoint_code) timepoint_id = timepoint.id;
      codes.push_back(timepoint.code);
    }
    if (timepoint_id == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("protocol ", protocol.code, " has no timepoint '", query.timepoint_code,
                       "'; its timepoints: ", absl::StrJoin(codes, ", ")));
    }
  }
  return db::SampleRepository(tx).ListForEnrollment(enrollment->id, timepoint_id, page.after_id,
                                                    page.size);
}

}  // namespace lims::services
