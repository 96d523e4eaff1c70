// At the destination: the manifest imported (with what this installation did not know), the
// tubes received one scan at a time, discrepancies resolved, the shipment closed. Also the
// reads both sides share.
#include <map>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/consent.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/shipments.h"
#include "lims/db/sites.h"
#include "lims/core/sample_rules.h"
#include "lims/core/timepoint_window.h"
#include "manifest.h"
#include "registry_operations.h"
#include "shipment_operations.h"
#include "status_macros.h"
#include "text_fields.h"
#include "trust_operations.h"

namespace lims::services {
namespace {

using nlohmann::json;

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("the manifest is not usable: ", what));
}

absl::StatusOr<absl::CivilDay> Day(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return Bad(absl::StrCat("'", text, "' is not a date"));
  return day;
}

// The site with `code`, created from the manifest when this installation does not know it and
// the manifest's signer is trusted for it.
absl::StatusOr<Site> SiteFor(db::Tx& tx, const CallContext& call, const ManifestVoucher& voucher,
                             const std::string& code, const std::string& name, int* created) {
  auto found = db::SiteRepository(tx).FindByCode(code);
  if (!absl::IsNotFound(found.status())) return found;
  if (!voucher.SpeaksFor(code)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the manifest names site ", code, ", which this installation does not know and its "
        "signer is not trusted for (", voucher.Describe(), "): nothing was imported; an admin "
        "creates the site here, or trusts the sending installation's key for it"));
  }
  // Created as an administrator would: the same checks, the same audit event.
  LIMS_ASSIGN_OR_RETURN(Site site, AddSite(tx, call, Site{0, code, name.empty() ? code : name}));
  ++*created;
  return site;
}

// The patient the manifest means: the same registry id at the same home site. A registry id
// known here at another site is a different person or a mistake: refused, never merged.
absl::StatusOr<std::optional<Patient>> MatchPatient(db::Tx& tx, const std::string& registry_id,
                                                    const std::string& home_site_code) {
  auto patient = db::PatientRepository(tx).FindByRegistryId(registry_id);
  if (absl::IsNotFound(patient.status())) return std::nullopt;
  if (!patient.ok()) return patient.status();
  if (patient->site_code != home_site_code) {
    return absl::FailedPreconditionError(absl::StrCat(
        "patient ", registry_id, " is registered here at site ", patient->site_code,
        ", but the manifest says at ", home_site_code,
        ": nothing was imported (records of two sites are never merged); check the registry id "
        "with the sending centre"));
  }
  return *patient;
}

// The consent the sending centre holds for a patient new here, so that requests here respect it
// too: recorded as arriving with the manifest (the call's voucher), audited.
absl::Status ImportConsent(db::Tx& tx, const CallContext& call, const Patient& patient,
                           const json& grants) {
  json granted = json::array();
  for (const json& g : grants) {
    LIMS_ASSIGN_OR_RETURN(ConsentScope scope, ParseConsentScope(g.at("scope").get<std::string>()));
    ConsentEvent event;
    event.scope = scope;
    event.action = ConsentAction::kGrant;
    LIMS_ASSIGN_OR_RETURN(event.effective_on, Day(g.at("since").get<std::string>()));
    event.form_version = g.value("form_version", "");
    LIMS_RETURN_IF_ERROR(CheckText(event.form_version, "form_version", 64, false));
    event.recorded_by = call.actor;
    event.recorded_at_micros = absl::ToUnixMicros(call.now);
    LIMS_RETURN_IF_ERROR(db::ConsentRepository(tx).Append(patient.id, event));
    granted.push_back({{"scope", std::string(ConsentScopeName(scope))},
                       {"since", FormatIsoDate(event.effective_on)},
                       {"version", event.form_version}});
  }
  if (granted.empty()) return absl::OkStatus();
  return Audit(tx, call,
               AuditEntry("consent.imported", "patient", patient.registry_id)
                   .Details(absl::StrCat(granted.size(),
                                         " consent grants as the sending centre "
                                         "holds them"))
                   .After(json{{"granted", granted}}.dump()));
}

absl::StatusOr<Protocol> ProtocolFor(db::Tx& tx, const CallContext& call, const json& p,
                                     int* created) {
  db::ProtocolRepository protocols(tx);
  const std::string code = p.at("code").get<std::string>();
  auto found = protocols.FindByCode(code);
  std::vector<Timepoint> timepoints;
  for (const json& t : p.at("timepoints")) {
    Timepoint tp;
    tp.code = t.at("code").get<std::string>();
    tp.name = t.value("name", "");
    tp.offset_days = t.at("offset_days").get<int>();
    tp.window_before_days = t.at("window_before_days").get<int>();
    tp.window_after_days = t.at("window_after_days").get<int>();
    for (const json& e : t.at("expected_samples")) {
      tp.expected_samples.push_back({e.at("sample_type").get<std::string>(), e.at("count").get<int>()});
    }
    timepoints.push_back(std::move(tp));
  }
  if (found.ok()) {
    for (const Timepoint& t : timepoints) {
      bool known = false;
      for (const Timepoint& mine : found->timepoints) known = known || mine.code == t.code;
      if (!known) {
        return absl::FailedPreconditionError(absl::StrCat(
            "protocol ", code, " here has no timepoint ", t.code,
            " that the sending centre uses; add it here first (lims protocol import)"));
      }
    }
    return found;
  }
  if (!absl::IsNotFound(found.status())) return found.status();
  Protocol protocol;
  protocol.code = code;
  protocol.name = p.value("name", code);
  protocol.timepoints = std::move(timepoints);
  // Its schedule checked as a coordinator's would be.
  LIMS_ASSIGN_OR_RETURN(protocol, DefineProtocol(tx, call, std::move(protocol)));
  ++*created;
  return protocol;
}


absl::StatusOr<ImportResult> Import(db::Tx& tx, const CallContext& call, const json& m,
                                    const std::string& receiving_site_code,
                                    const ManifestVoucher& voucher) {
  ImportResult result;
  // Without a site named, the caller's own when they work at exactly one.
  if (receiving_site_code.empty() && call.principal.site_ids.size() != 1) {
    return absl::InvalidArgumentError(
        "receiving_site_code is required: you work at several sites (or all), say which one "
        "receives this shipment");
  }
  LIMS_ASSIGN_OR_RETURN(Site receiving,
                        receiving_site_code.empty()
                            ? db::SiteRepository(tx).FindById(call.principal.site_ids.front())
                            : db::SiteRepository(tx).FindByCode(receiving_site_code));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, receiving.id, "site " + receiving.code));
  const json& origin = m.at("origin");
  const json& info = m.at("shipment");
  const std::string origin_code = origin.at("site_code").get<std::string>();
  if (!voucher.own && !voucher.SpeaksFor(origin_code)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the manifest says it comes from ", origin_code, ", but its signer is not trusted for "
        "that site (", voucher.Describe(), "): nothing was imported"));
  }
  LIMS_ASSIGN_OR_RETURN(Site from, SiteFor(tx, call, voucher, origin_code,
                                           origin.value("site_name", ""), &result.sites_created));
  if (from.id == receiving.id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "this manifest was sent from ", from.code, ", the receiving site itself"));
  }
  std::map<std::string, Protocol> protocols;
  for (const json& p : m.at("protocols")) {
    LIMS_ASSIGN_OR_RETURN(Protocol protocol, ProtocolFor(tx, call, p, &result.protocols_created));
    protocols[protocol.code] = std::move(protocol);
  }
  // Patients and their enrollments: (registry id, protocol) -> enrollment.
  std::map<std::pair<std::string, std::string>, Enrollment> enrollments;
  db::PatientRepository patients(tx);
  db::EnrollmentRepository enrolled(tx);
  for (const json& p : m.at("patients")) {
    const std::string registry_id = p.at("registry_id").get<std::string>();
    LIMS_RETURN_IF_ERROR(CheckCode(registry_id, "registry_id", 64));
    const std::string home_code = p.at("site_code").get<std::string>();
    if (!voucher.own && !voucher.SpeaksFor(home_code)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the manifest names patient ", registry_id, " of site ", home_code,
          ", which its signer is not trusted for (", voucher.Describe(),
          "): nothing was imported"));
    }
    LIMS_ASSIGN_OR_RETURN(std::optional<Patient> patient, MatchPatient(tx, registry_id, home_code));
    if (!patient) {
      LIMS_ASSIGN_OR_RETURN(Site home, SiteFor(tx, call, voucher, home_code, "",
                                               &result.sites_created));
      Patient fresh{0, registry_id, home.id, home.code};
      LIMS_RETURN_IF_ERROR(patients.Insert(fresh, call.now));
      LIMS_RETURN_IF_ERROR(Audit(tx, call,
                                 AuditEntry("patient.created", "patient", registry_id)
                                     .Details("created from a shipment manifest")
                                     .After(SnapshotJson(fresh))));
      LIMS_RETURN_IF_ERROR(ImportConsent(tx, call, fresh, p.at("consent")));
      ++result.patients_created;
      patient = fresh;
    }
    for (const auto& [protocol_code, anchor] : p.at("enrollments").items()) {
      auto protocol = protocols.find(protocol_code);
      if (protocol == protocols.end()) return Bad(absl::StrCat("no protocol ", protocol_code));
      LIMS_ASSIGN_OR_RETURN(auto existing,
                            enrolled.FindByPatientAndProtocol(patient->id, protocol->second.id));
      if (!existing) {
        Enrollment e;
        e.patient_id = patient->id;
        e.protocol_id = protocol->second.id;
        LIMS_ASSIGN_OR_RETURN(e.anchor_date, Day(anchor.get<std::string>()));
        LIMS_RETURN_IF_ERROR(enrolled.Insert(e, call.now));
        LIMS_RETURN_IF_ERROR(
            Audit(tx, call,
                  AuditEntry("enrollment.created", "enrollment", absl::StrCat(e.id))
                      .Details(absl::StrCat(registry_id, " in ", protocol_code,
                                            " from a shipment manifest"))));
        ++result.enrollments_created;
        existing = e;
      }
      enrollments[{registry_id, protocol_code}] = *existing;
    }
  }

  Shipment& s = result.shipment;
  s.direction = ShipmentDirection::kIncoming;
  s.status = ShipmentStatus::kInTransit;
  s.site_id = receiving.id;
  s.site_code = receiving.code;
  s.from_site_code = from.code;
  s.destination = info.value("destination", "");
  s.packaging = ParsePackaging(info.value("packaging", "")).value_or(Packaging::kDryIce);
  s.courier = info.value("courier", "");
  s.tracking_number = info.value("tracking_number", "");
  s.logger_id = info.value("logger_id", "");
  s.notes = info.value("notes", "");
  LIMS_RETURN_IF_ERROR(CheckText(s.destination, "destination", 500, false));
  LIMS_RETURN_IF_ERROR(CheckText(s.courier, "courier", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(s.tracking_number, "tracking_number", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(s.logger_id, "logger_id", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(s.notes, "notes", 2000, false));
  s.manifest_digest = m.at("digest").get<std::string>();
  s.created_by = call.actor;
  s.created_at = call.now;
  LIMS_RETURN_IF_ERROR(db::ShipmentRepository(tx).Insert(s, m.dump(), s.manifest_digest));

  db::SampleRepository samples(tx);
  std::vector<std::string> known;
  for (const json& t : m.at("tubes")) {
    const std::string barcode = t.at("barcode").get<std::string>();
    // Every field checked as if it were typed here: the digest proves integrity, not good faith.
    auto canonical = CanonicalBarcode(barcode);
    if (!canonical.ok() || *canonical != barcode) return Bad(absl::StrCat("'", barcode, "' is not a tube code"));
    LIMS_RETURN_IF_ERROR(ValidateSampleType(t.at("sample_type").get<std::string>()));
    LIMS_RETURN_IF_ERROR(CheckText(t.value("packed_box", ""), "packed_box", 200, false));
    LIMS_RETURN_IF_ERROR(CheckText(t.value("packed_position", ""), "packed_position", 8, false));
    LIMS_RETURN_IF_ERROR(CheckText(t.value("sprec", ""), "sprec", 32, false));
    if (t.at("freeze_thaw_count").get<int>() < 0 || t.at("freeze_thaw_count").get<int>() > 1000) {
      return Bad(absl::StrCat(barcode, ": freeze_thaw_count out of range"));
    }
    LIMS_ASSIGN_OR_RETURN(bool exists, samples.BarcodeExists(barcode));
    if (exists) {
      known.push_back(barcode);
      continue;
    }
    const auto enrollment = enrollments.find(
        {t.at("patient_registry_id").get<std::string>(), t.at("protocol_code").get<std::string>()});
    if (enrollment == enrollments.end()) return Bad(absl::StrCat(barcode, ": no such patient"));
    const Protocol& protocol = protocols[t.at("protocol_code").get<std::string>()];
    Sample sample;
    sample.barcode = barcode;
    for (const Timepoint& tp : protocol.timepoints) {
      if (tp.code == t.at("timepoint_code").get<std::string>()) sample.timepoint_id = tp.id;
    }
    if (sample.timepoint_id == 0) return Bad(absl::StrCat(barcode, ": unknown timepoint"));
    const std::string parent = t.value("parent_barcode", "");
    if (!parent.empty()) {
      auto p = samples.FindByBarcode(parent);
      if (p.ok()) sample.parent_id = p->id;  // lineage beyond this installation stays in the manifest
    }
    sample.enrollment_id = enrollment->second.id;
    sample.site_id = receiving.id;
    sample.sample_type = t.at("sample_type").get<std::string>();
    LIMS_ASSIGN_OR_RETURN(sample.quantity,
                          Quantity::FromCanonical(t.at("quantity").at("amount").get<int64_t>(),
                                                  t.at("quantity").at("unit").get<std::string>()));
    sample.status = SampleStatus::kShipped;
    sample.freeze_thaw_count = t.at("freeze_thaw_count").get<int>();
    if (!absl::ParseTime(absl::RFC3339_full, t.at("collected_at").get<std::string>(),
                         &sample.collected_at, nullptr)) {
      return Bad(absl::StrCat(barcode, ": collected_at is not a time"));
    }
    sample.window_offset_days = t.value("window_offset_days", 0);
    sample.sprec = t.value("sprec", "");
    LIMS_RETURN_IF_ERROR(samples.Insert(sample, call.now));
    ShipmentItem item;
    item.shipment_id = s.id;
    item.sample_id = sample.id;
    item.barcode = barcode;
    item.sample_type = sample.sample_type;
    item.quantity = sample.quantity;
    item.packed_box = t.value("packed_box", "");
    item.packed_position = t.value("packed_position", "");
    LIMS_RETURN_IF_ERROR(db::ShipmentRepository(tx).InsertItem(item));
    LIMS_RETURN_IF_ERROR(
        Audit(tx, call,
              AuditEntry("sample.expected", "sample", barcode)
                  .Details(absl::StrCat("expected on shipment ", s.id, " from ", from.code))
                  .After(SnapshotJson(sample, std::nullopt))));
  }
  if (!known.empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "nothing was imported: tubes already known here: ", absl::StrJoin(known, ", ")));
  }
  s.item_count = static_cast<int>(m.at("tubes").size());
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("shipment.imported", "shipment", absl::StrCat(s.id))
                .Details(absl::StrCat(s.item_count, " tubes expected from ", from.code,
                                      " (their shipment ", origin.at("shipment_id").dump(), ")"))));
  return result;
}

ShipmentItem* FindItem(std::vector<ShipmentItem>& items, const std::string& barcode) {
  for (ShipmentItem& item : items) {
    if (item.barcode == barcode) return &item;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<Shipment> LoadShipment(db::Tx& tx, const CallContext& call, int64_t id) {
  LIMS_ASSIGN_OR_RETURN(Shipment s, db::ShipmentRepository(tx).FindById(id));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, s.site_id, absl::StrCat("shipment ", id)));
  return s;
}

absl::StatusOr<ShipmentView> LookUpShipment(db::Tx& tx, const CallContext& call, int64_t id) {
  LIMS_ASSIGN_OR_RETURN(Shipment s, LoadShipment(tx, call, id));
  LIMS_ASSIGN_OR_RETURN(auto items, db::ShipmentRepository(tx).Items(id));
  return ShipmentView{std::move(s), std::move(items)};
}

absl::StatusOr<std::vector<Shipment>> ListShipmentPage(db::Tx& tx, const CallContext& call,
                                                       int64_t after_id, int limit) {
  return db::ShipmentRepository(tx).List(call.principal.site_ids,
                                         call.principal.role == Role::kAdmin, after_id, limit);
}

absl::StatusOr<ImportResult> AcceptManifest(db::Tx& tx, const CallContext& call,
                                            const ManifestToImport& request) {
  const SigningKey& own = *request.own;
  const std::string& manifest_json = request.manifest_json;
  const std::string& receiving_site_code = request.receiving_site_code;
  LIMS_ASSIGN_OR_RETURN(json manifest, OpenManifest(manifest_json));
  LIMS_ASSIGN_OR_RETURN(ManifestVoucher voucher, VouchForManifest(tx, manifest, own));
  // Everything the import records is on the signer's word as well as the importer's.
  CallContext vouched = call;
  vouched.vouched_by = absl::StrCat(voucher.Describe(), ", digest ",
                                    manifest.value("digest", std::string()));
  try {
    LIMS_ASSIGN_OR_RETURN(ImportResult result,
                          Import(tx, vouched, manifest, receiving_site_code, voucher));
    result.signer_fingerprint = voucher.fingerprint;
    result.signer_site_codes.assign(voucher.site_codes.begin(), voucher.site_codes.end());
    return result;
  } catch (const json::exception& e) {
    return Bad(e.what());
  }
}

absl::StatusOr<ReceiptResult> CheckInTubes(db::Tx& tx, const CallContext& call,
                                           const TubesArrived& request) {
  int64_t shipment_id = request.shipment_id;
  const std::vector<ScannedTube>& tubes = request.tubes;
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  LIMS_RETURN_IF_ERROR(CheckCanReceive(shipment));
  if (tubes.empty()) return absl::InvalidArgumentError("no tubes: scan the tubes received");
  db::ShipmentRepository shipments(tx);
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(auto items, shipments.Items(shipment_id));
  ReceiptResult result;
  bool changed = false;
  for (const ScannedTube& tube : tubes) {
    auto canonical = CanonicalBarcode(tube.barcode);
    if (!canonical.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("'", tube.barcode, "': ",
                                                     canonical.status().message(),
                                                     "; nothing was received, scan it again"));
    }
    ShipmentItem* item = FindItem(items, *canonical);
    if (item && item->state != ItemState::kExpected) {
      result.already_received.push_back(*canonical);
      continue;
    }
    if (!item) {
      ShipmentItem unexpected;
      unexpected.shipment_id = shipment_id;
      unexpected.barcode = *canonical;
      unexpected.state = ItemState::kUnexpected;
      unexpected.condition = tube.condition;
      LIMS_RETURN_IF_ERROR(shipments.InsertItem(unexpected));
      LIMS_RETURN_IF_ERROR(
          Audit(tx, call,
                AuditEntry("shipment.unexpected_tube", "shipment", absl::StrCat(shipment_id))
                    .Details(absl::StrCat(*canonical, " is not on the manifest"))));
      items.push_back(unexpected);
      changed = true;
      continue;
    }
    LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(item->barcode));
    const Sample before = sample;
    LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kReceive));
    if (tube.condition == ItemCondition::kThawed) ++sample.freeze_thaw_count;
    LIMS_RETURN_IF_ERROR(samples.Update(sample));
    item->state = ItemState::kReceived;
    item->condition = tube.condition;
    LIMS_RETURN_IF_ERROR(shipments.UpdateItem(*item));
    LIMS_RETURN_IF_ERROR(Audit(
        tx, call,
        AuditEntry("sample.receive", "sample", sample.barcode)
            .Details(absl::StrCat(
                "received on shipment ", shipment_id, " from ", shipment.from_site_code, " (",
                std::string(ItemConditionName(tube.condition)), ")",
                tube.condition == ItemCondition::kThawed ? "; one more freeze-thaw cycle" : ""))
            .Before(SnapshotJson(before, std::nullopt))
            .After(SnapshotJson(sample, std::nullopt))));
    result.received.push_back(*item);
    changed = true;
  }
  for (const ShipmentItem& item : items) {
    if (item.state == ItemState::kExpected) result.missing.push_back(item);
    if (item.state == ItemState::kUnexpected) result.unexpected.push_back(item);
  }
  // Saved (its version bumped) whenever this receipt changed something, so two benches
  // receiving at once are serialised; a scan that changed nothing leaves it alone.
  if (changed) {
    shipment.status = StatusAfterReceipt(items);
    LIMS_RETURN_IF_ERROR(shipments.Update(shipment));
  }
  result.shipment = shipment;
  return result;
}

absl::StatusOr<ShipmentItem> SettleDiscrepancy(db::Tx& tx, const CallContext& call,
                                               const DiscrepancyResolution& request) {
  int64_t shipment_id = request.shipment_id;
  const std::string& barcode = request.barcode;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  db::ShipmentRepository shipments(tx);
  LIMS_ASSIGN_OR_RETURN(auto items, shipments.Items(shipment_id));
  auto canonical = CanonicalBarcode(barcode);
  ShipmentItem* item = canonical.ok() ? FindItem(items, *canonical) : nullptr;
  if (!item) {
    return absl::NotFoundError(absl::StrCat(barcode, " is not on shipment ", shipment_id));
  }
  if (!IsDiscrepancy(*item)) {
    return absl::FailedPreconditionError(
        absl::StrCat(item->barcode, " was received in order: there is nothing to resolve"));
  }
  item->resolution = reason;
  LIMS_RETURN_IF_ERROR(shipments.UpdateItem(*item));
  LIMS_RETURN_IF_ERROR(shipments.Update(shipment));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("shipment.discrepancy_resolved", "shipment", absl::StrCat(shipment_id))
                .Details(item->barcode)
                .Reason(reason)));
  return *item;
}

absl::StatusOr<Shipment> FinishShipment(db::Tx& tx, const CallContext& call, int64_t shipment_id) {
  LIMS_ASSIGN_OR_RETURN(Shipment shipment, LoadShipment(tx, call, shipment_id));
  db::ShipmentRepository shipments(tx);
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(auto items, shipments.Items(shipment_id));
  LIMS_RETURN_IF_ERROR(CheckCanClose(shipment, items));
  if (shipment.direction == ShipmentDirection::kIncoming) {
    for (const ShipmentItem& item : items) {
      if (item.state != ItemState::kExpected) continue;
      LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(item.barcode));
      const Sample before = sample;
      LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kMarkMissing));
      LIMS_RETURN_IF_ERROR(samples.Update(sample));
      LIMS_RETURN_IF_ERROR(
          Audit(tx, call,
                AuditEntry("sample.mark_missing", "sample", sample.barcode)
                    .Details(absl::StrCat("never arrived on shipment ", shipment_id))
                    .Before(SnapshotJson(before, std::nullopt))
                    .After(SnapshotJson(sample, std::nullopt))
                    .Reason(item.resolution)));
    }
  }
  shipment.status = ShipmentStatus::kClosed;
  LIMS_RETURN_IF_ERROR(shipments.Update(shipment));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("shipment.closed", "shipment", absl::StrCat(shipment_id))
                                 .Details(absl::StrCat(items.size(), " items"))));
  return shipment;
}

}  // namespace lims::services
