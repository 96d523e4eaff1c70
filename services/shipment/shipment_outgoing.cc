// At the origin: drafts, packing, dispatch (which freezes the manifest) and export.
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/box_layout.h"
#include "lims/core/consent.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/placements.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/shipments.h"
#include "lims/db/sites.h"
#include "lims/db/storage_units.h"
#include "dispatch_json.h"
#include "manifest.h"
#include "research_shipment.h"
#include "shipment_operations.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

using nlohmann::json;

std::string Rfc3339(absl::Time t) { return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone()); }

// A tube may travel when it is at the origin and stored or checked out; "" when it may.
std::string Refusal(const Sample& sample, const Shipment& shipment) {
  if (sample.site_id != shipment.site_id) {
    return absl::StrCat(sample.barcode, " belongs to site ", sample.site_code, ", not ",
                        shipment.site_code);
  }
  if (!ApplyEvent(sample.status, SampleEvent::kShip).ok()) {
    return absl::StrCat(sample.barcode, " is ", std::string(StatusName(sample.status)),
                        " (only stored or checked-out tubes travel)");
  }
  return "";
}

json ProtocolJson(const Protocol& p) {
  json timepoints = json::array();
  for (const Timepoint& t : p.timepoints) {
    json kit = json::array();
    for (const ExpectedSample& e : t.expected_samples) {
      kit.push_back({{"sample_type", e.sample_type}, {"count", e.count}});
    }
    timepoints.push_back({{"code", t.code},
                          {"name", t.name},
                          {"offset_days", t.offset_days},
                          {"window_before_days", t.window_before_days},
                          {"window_after_days", t.window_after_days},
                          {"expected_samples", kit}});
  }
  return {{"code", p.code}, {"name", p.name}, {"timepoints", timepoints}};
}

// The manifest as it leaves: read from the records at dispatch, then frozen. `tubes[i]` is
// the sample of `items[i]`; each patient, enrollment and protocol is read once.
absl::StatusOr<json> BuildManifest(db::Tx& tx, const CallContext& call, const Shipment& shipment,
                                   const std::vector<ShipmentItem>& items,
                                   const std::vector<Sample>& samples) {
  LIMS_ASSIGN_OR_RETURN(Site origin, db::SiteRepository(tx).FindById(shipment.site_id));
  std::map<std::string, json> protocols, patients;
  std::map<std::string, json> scopes_of;  // registry id -> consent scopes in force
  std::map<int64_t, Enrollment> enrollments;
  json tubes = json::array();
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  for (size_t i = 0; i < items.size(); ++i) {
    const ShipmentItem& item = items[i];
    const Sample& s = samples[i];
    if (!enrollments.count(s.enrollment_id)) {
      LIMS_ASSIGN_OR_RETURN(enrollments[s.enrollment_id],
                            db::EnrollmentRepository(tx).FindById(s.enrollment_id));
    }
    const Enrollment& enrollment = enrollments[s.enrollment_id];
    if (!protocols.count(s.protocol_code)) {
      LIMS_ASSIGN_OR_RETURN(Protocol p, db::ProtocolRepository(tx).FindByCode(s.protocol_code));
      protocols[p.code] = ProtocolJson(p);
    }
    json& patient = patients[s.patient_registry_id];
    if (patient.is_null()) {
      LIMS_ASSIGN_OR_RETURN(Patient p, db::PatientRepository(tx).FindById(enrollment.patient_id));
      LIMS_ASSIGN_OR_RETURN(auto consent, db::ConsentRepository(tx).ListForPatient(p.id));
      json scopes = json::array(), grants = json::array();
      for (const ScopeState& g : CurrentConsent(consent, today).granted) {
        scopes.push_back(std::string(ConsentScopeName(g.scope)));
        grants.push_back({{"scope", std::string(ConsentScopeName(g.scope))},
                          {"since", absl::FormatCivilTime(g.since)},
                          {"form_version", g.form_version}});
      }
      scopes_of[s.patient_registry_id] = scopes;
      patient = {{"registry_id", p.registry_id},
                 {"site_code", p.site_code},
                 {"consent", grants},
                 {"enrollments", json::object()}};
    }
    patient["enrollments"][s.protocol_code] = absl::FormatCivilTime(enrollment.anchor_date);
    const json& scopes = scopes_of[s.patient_registry_id];
    tubes.push_back({{"barcode", s.barcode},
                     {"parent_barcode", s.parent_barcode},
                     {"sample_type", s.sample_type},
                     {"quantity", {{"amount", s.quantity.canonical_amount()},
                                   {"unit", s.quantity.canonical_unit()}}},
                     {"quantity_text", s.quantity.ToShortString()},
                     {"patient_registry_id", s.patient_registry_id},
                     {"protocol_code", s.protocol_code},
                     {"timepoint_code", s.timepoint_code},
                     {"collected_at", Rfc3339(s.collected_at)},
                     {"window_offset_days", s.window_offset_days},
                     {"sprec", s.sprec},
                     {"freeze_thaw_count", s.freeze_thaw_count},
                     {"consent_scopes", scopes},
                     {"packed_box", item.packed_box},
                     {"packed_position", item.packed_position}});
  }
  json m = {{"format", kManifestFormat},
            {"origin", {{"site_code", origin.code},
                        {"site_name", origin.name},
                        {"shipment_id", shipment.id}}},
            {"shipment", DispatchJson(shipment, call)},
            {"protocols", json::array()},
            {"patients", json::array()},
            {"tubes", tubes}};
  for (auto& [code, p] : protocols) m["protocols"].push_back(p);
  for (auto& [id, p] : patients) m["patients"].push_back(p);
  return m;
}

}  // namespace

absl::StatusOr<Shipment> OpenShipment(db::Tx& tx, const CallContext& call,
                                      const NewShipment& request) {
  LIMS_RETURN_IF_ERROR(CheckText(request.destination, "destination", 500, true));
  LIMS_RETURN_IF_ERROR(CheckText(request.courier, "courier", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(request.tracking_number, "tracking_number", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(request.logger_id, "logger_id", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(request.notes, "notes", 2000, false));
  if (!request.packaging) {
    return absl::InvalidArgumentError(
        "packaging is required: PACKAGING_DRY_ICE, _LN2_DRY_SHIPPER, _COLD_PACKS or _AMBIENT");
  }
  LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(request.from_site_code));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
  Shipment s;
  s.direction = ShipmentDirection::kOutgoing;
  s.status = ShipmentStatus::kDraft;
  s.site_id = site.id;
  s.site_code = site.code;
  s.from_site_code = site.code;
  s.destination = request.destination;
  s.packaging = *request.packaging;
  s.courier = request.courier;
  s.tracking_number = request.tracking_number;
  s.logger_id = request.logger_id;
  s.notes = request.notes;
  s.sample_request_id = request.sample_request_id;
  s.created_by = call.actor;
  s.created_at = call.now;
  LIMS_RETURN_IF_ERROR(db::ShipmentRepository(tx).Insert(s, "", ""));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("shipment.created", "shipment", absl::StrCat(s.id))
                .Details(absl::StrCat("draft from ", site.code, " to ", s.destination, " (",
                                      std::string(PackagingName(s.packaging)), ")"))));
  return s;
}

absl::StatusOr<std::vector<std::string>> PackTubes(db::Tx& tx, const CallContext& call,
                                                   const TubesToPack& request) {
  int64_t shipment_id = request.shipment_id;
  const std::vector<std::string>& barcodes = request.barcodes;
  const std::vector<int64_t>& box_ids = request.box_ids;
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  LIMS_RETURN_IF_ERROR(CheckCanAddItems(shipment));
  if (barcodes.empty() && box_ids.empty()) {
    return absl::InvalidArgumentError("give the tubes (barcodes) or boxes (box_ids) to add");
  }
  db::ShipmentRepository shipments(tx);
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  std::vector<std::string> wanted;
  std::vector<std::string> refused;
  for (const std::string& raw : barcodes) {
    auto canonical = CanonicalBarcode(raw);
    if (!canonical.ok()) {
      refused.push_back(absl::StrCat("'", raw, "': ", canonical.status().message()));
      continue;
    }
    wanted.push_back(*canonical);
  }
  for (int64_t box_id : box_ids) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit box, db::StorageUnitRepository(tx).FindById(box_id));
    if (box.kind != StorageKind::kBox || box.site_id != shipment.site_id) {
      refused.push_back(absl::StrCat("unit ", box_id, " (", box.name, ") is not a box at ",
                                     shipment.site_code));
      continue;
    }
    LIMS_ASSIGN_OR_RETURN(auto slots, placements.ListBox(box_id));
    if (slots.empty()) refused.push_back(absl::StrCat("box ", box.name, " is empty"));
    for (const db::OccupiedSlot& slot : slots) wanted.push_back(slot.barcode);
  }
  LIMS_ASSIGN_OR_RETURN(auto already, shipments.Items(shipment_id));
  std::set<std::string> on_shipment;
  for (const ShipmentItem& item : already) on_shipment.insert(item.barcode);
  std::vector<ShipmentItem> adding;
  std::vector<Sample> adding_samples;
  for (const std::string& barcode : wanted) {
    if (!on_shipment.insert(barcode).second) {
      refused.push_back(absl::StrCat(barcode, " is on this shipment already"));
      continue;
    }
    auto sample = samples.FindByBarcode(barcode);
    if (absl::IsNotFound(sample.status())) {
      refused.push_back(absl::StrCat(barcode, " is not a known tube"));
      continue;
    }
    if (!sample.ok()) return sample.status();
    if (std::string why = Refusal(*sample, shipment); !why.empty()) {
      refused.push_back(why);
      continue;
    }
    ShipmentItem item;
    item.shipment_id = shipment_id;
    item.sample_id = sample->id;
    item.barcode = sample->barcode;
    item.sample_type = sample->sample_type;
    item.quantity = sample->quantity;
    LIMS_ASSIGN_OR_RETURN(auto where, placements.FindBySample(sample->id));
    if (where) {
      item.packed_box = where->box_name;
      LIMS_ASSIGN_OR_RETURN(BoxLayout layout, BoxLayout::Create(where->rows, where->columns));
      item.packed_position = layout.PositionName(where->position);
    }
    adding.push_back(std::move(item));
    adding_samples.push_back(*std::move(sample));
  }
  if (!refused.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "nothing was added to shipment ", shipment_id, ": ", absl::StrJoin(refused, "; ")));
  }
  LIMS_RETURN_IF_ERROR(CheckShipmentTubes(tx, call, shipment, adding_samples));
  std::vector<std::string> added;
  for (ShipmentItem& item : adding) {
    LIMS_RETURN_IF_ERROR(shipments.InsertItem(item));
    added.push_back(item.barcode);
  }
  // Saving bumps the version: a dispatch racing this call fails one of the two.
  LIMS_RETURN_IF_ERROR(shipments.Update(shipment));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("shipment.items_added", "shipment", absl::StrCat(shipment_id))
                .Details(absl::StrCat(added.size(), " tubes: ", absl::StrJoin(added, ", ")))));
  return added;
}

absl::StatusOr<Shipment> SealAndDispatch(db::Tx& tx, const CallContext& call, const SigningKey& key,
                                         int64_t shipment_id) {
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  LIMS_RETURN_IF_ERROR(CheckCanDispatch(shipment));
  db::ShipmentRepository shipments(tx);
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  LIMS_ASSIGN_OR_RETURN(auto items, shipments.Items(shipment_id));
  std::vector<Sample> tubes;
  std::vector<std::string> refused;
  for (const ShipmentItem& item : items) {
    LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(item.barcode));
    if (std::string why = Refusal(sample, shipment); !why.empty()) refused.push_back(why);
    tubes.push_back(std::move(sample));
  }
  if (!refused.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "shipment ", shipment_id, " was not dispatched: ", absl::StrJoin(refused, "; "),
        ". Take these tubes off (a new draft) or put them back first"));
  }
  // The manifest is read before the tubes change (their boxes and positions at packing).
  json manifest;
  if (shipment.sample_request_id != 0) {
    LIMS_ASSIGN_OR_RETURN(manifest, BuildResearchManifest(tx, call, shipment, items, tubes));
  } else {
    // Approved after this draft was packed, a tube may be a request's by now.
    LIMS_RETURN_IF_ERROR(CheckShipmentTubes(tx, call, shipment, tubes));
    LIMS_ASSIGN_OR_RETURN(manifest, BuildManifest(tx, call, shipment, items, tubes));
  }
  for (Sample& sample : tubes) {
    const Sample before = sample;
    LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kShip));
    LIMS_ASSIGN_OR_RETURN(auto where, placements.FindBySample(sample.id));
    if (where) LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id, call.now));
    LIMS_RETURN_IF_ERROR(samples.Update(sample));
    LIMS_RETURN_IF_ERROR(Audit(
        tx, call,
        AuditEntry("sample.ship", "sample", sample.barcode)
            .Details(absl::StrCat("shipped on shipment ", shipment_id, " to ", shipment.destination,
                                  where ? "; freed " + DescribePosition(*where) : ""))
            .Before(SnapshotJson(before, where))
            .After(SnapshotJson(sample, std::nullopt))));
  }
  SealManifest(manifest, key);
  const std::string text = manifest.dump();
  shipment.manifest_digest = manifest["digest"].get<std::string>();
  shipment.status = ShipmentStatus::kDispatched;
  shipment.dispatched_at = call.now;
  LIMS_RETURN_IF_ERROR(shipments.Update(shipment));
  LIMS_RETURN_IF_ERROR(shipments.SetManifest(shipment_id, text));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("shipment.dispatched", "shipment", absl::StrCat(shipment_id))
                .Details(absl::StrCat(items.size(), " tubes to ", shipment.destination,
                                      "; manifest digest ", shipment.manifest_digest))));
  return shipment;
}

absl::StatusOr<ExportedManifest> AssembleManifest(db::Tx& tx, const CallContext& call,
                                                  const SigningKey& key, int64_t shipment_id) {
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  if (shipment.status == ShipmentStatus::kDraft) {
    return absl::FailedPreconditionError(absl::StrCat(
        "shipment ", shipment_id, " is a draft: its manifest is frozen at dispatch"));
  }
  // A patient who withdrew consent since dispatch: their data does not go out again.
  LIMS_ASSIGN_OR_RETURN(auto items, db::ShipmentRepository(tx).Items(shipment_id));
  std::vector<Sample> samples;
  for (const ShipmentItem& item : items) {
    if (item.state == ItemState::kUnexpected) continue;
    LIMS_ASSIGN_OR_RETURN(Sample sample, db::SampleRepository(tx).FindByBarcode(item.barcode));
    samples.push_back(std::move(sample));
  }
  LIMS_RETURN_IF_ERROR(CheckShipmentTubes(tx, call, shipment, samples));
  LIMS_ASSIGN_OR_RETURN(std::string text, db::ShipmentRepository(tx).Manifest(shipment_id));
  const bool research = shipment.sample_request_id != 0;
  LIMS_ASSIGN_OR_RETURN(json manifest,
                        OpenManifest(text, research ? kResearchManifestFormat : kManifestFormat));
  if (!IsSigned(manifest)) {
    // Dispatched before manifests were signed: this installation vouches for it now (the
    // digest, over the same content, does not change).
    SealManifest(manifest, key);
    text = manifest.dump();
  }
  if (research) return ExportedManifest{text, ResearchManifestCsv(manifest)};
  return ExportedManifest{text, ManifestCsv(manifest, {{"barcode", "barcode"},
                                                       {"sample_type", "sample_type"},
                                                       {"quantity", "quantity_text"},
                                                       {"patient_registry_id", "patient_registry_id"},
                                                       {"protocol_code", "protocol_code"},
                                                       {"timepoint_code", "timepoint_code"},
                                                       {"packed_box", "packed_box"},
                                                       {"packed_position", "packed_position"}})};
}

}  // namespace lims::services
