#include "fhir_export.h"

#include <openssl/sha.h>

#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "lims/core/access.h"
#include "lims/core/consent.h"
#include "lims/core/sample_types.h"
#include "lims/db/consents.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "status_macros.h"

namespace lims::services {
namespace {

constexpr int kPageSize = 500;
constexpr char kUcum[] = "http://unitsofmeasure.org";

// The RFC 4122 URL namespace: names are "urn:lims:barcode:<barcode>".
constexpr unsigned char kUrlNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                             0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

// FHIR SpecimenStatus: the tube can be used (available), it cannot any more (unavailable).
// Nothing of ours is "entered-in-error": a mistaken registration is disposed with a reason.
std::string FhirStatus(SampleStatus status) {
  switch (status) {
    case SampleStatus::kCollected:
    case SampleStatus::kReceived:
    case SampleStatus::kInProcessing:
    case SampleStatus::kStored:
    case SampleStatus::kCheckedOut:
      return "available";
    case SampleStatus::kShipped:
    case SampleStatus::kConsumed:
    case SampleStatus::kDisposed:
    case SampleStatus::kMissing:
      return "unavailable";
  }
  return "unavailable";
}

// UCUM codes: our display units are UCUM already (uL, mL, ug...); counts are annotations.
nlohmann::json QuantityJson(const Quantity& quantity) {
  const std::string unit = quantity.display_unit();
  const bool counted = unit == "cells" || unit == "count";
  return {{"value", quantity.display_value()},
          {"unit", unit},
          {"system", kUcum},
          {"code", counted ? absl::StrCat("{", unit, "}") : unit}};
}

}  // namespace

std::string SpecimenFullUrl(const std::string& barcode) {
  const std::string name = "urn:lims:barcode:" + barcode;
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), sizeof(kUrlNamespace));
  input += name;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "urn:uuid:";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

std::string SpecimenJson(const Sample& s, const std::vector<db::Exposure>& exposures) {
  const nlohmann::json barcode = {{"system", "urn:lims:barcode"}, {"value", s.barcode}};
  const std::string type_name = SampleTypeName(s.sample_type);
  nlohmann::json specimen = {
      {"resourceType", "Specimen"},
      {"identifier", nlohmann::json::array({barcode})},
      {"status", FhirStatus(s.status)},
      {"type",
       {{"coding", nlohmann::json::array({{{"system", "urn:lims:sprec-type"},
                                           {"code", s.sample_type},
                                           {"display", type_name}}})},
        {"text", type_name}}},
      // A logical reference by the registry's pseudonym: never a name.
      {"subject",
       {{"identifier", {{"system", "urn:lims:registry-id"}, {"value", s.patient_registry_id}}}}},
      {"collection",
       {{"collectedDateTime",
         absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", s.collected_at, absl::UTCTimeZone())}}},
      {"container", nlohmann::json::array({{{"identifier", nlohmann::json::array({barcode})},
                                            {"specimenQuantity", QuantityJson(s.quantity)}}})},
      {"note", nlohmann::json::array(
                   {{{"text", absl::StrCat("protocol ", s.protocol_code, ", timepoint ",
                                           s.timepoint_code, ", site ", s.site_code)}}})},
  };
  for (const db::Exposure& e : exposures) {
    specimen["note"].push_back(
        {{"text", absl::StrFormat("temperature excursion %d: %.0f min exposed, peak %.1f °C",
                                  e.excursion_id, e.minutes, e.peak_celsius)}});
  }
  if (!s.sprec.empty()) {
    // The whole pre-analytical code (ISBER SPREC); the type coding above is its first element.
    specimen["extension"] = nlohmann::json::array(
        {{{"url", "urn:lims:sprec"}, {"valueString", s.sprec}}});
  }
  if (!s.parent_barcode.empty()) {
    specimen["parent"] =
        nlohmann::json::array({{{"reference", SpecimenFullUrl(s.parent_barcode)},
                                {"display", s.parent_barcode}}});
  }
  return specimen.dump();
}

namespace {

// Whether an enrollment's patient withdrew consent to storage or research (on `today`), asked
// once per enrollment.
class WithdrawnEnrollments {
 public:
  WithdrawnEnrollments(db::Tx& tx, absl::CivilDay today) : tx_(tx), today_(today) {}

  absl::StatusOr<bool> Contains(int64_t enrollment_id) {
    if (auto known = answers_.find(enrollment_id); known != answers_.end()) return known->second;
    LIMS_ASSIGN_OR_RETURN(auto events, db::ConsentRepository(tx_).ListForEnrollment(enrollment_id));
    const bool withdrawn = !CurrentConsent(events, today_).MayCirculate();
    answers_[enrollment_id] = withdrawn;
    return withdrawn;
  }

 private:
  db::Tx& tx_;
  const absl::CivilDay today_;
  std::map<int64_t, bool> answers_;
};

}  // namespace

absl::StatusOr<FhirExport> BuildFhirBundle(db::Tx& tx, const CallContext& call,
                                           const FhirFilter& filter) {
  int64_t protocol_id = 0;
  if (!filter.protocol_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                          db::ProtocolRepository(tx).FindByCode(filter.protocol_code));
    protocol_id = protocol.id;
  }
  std::vector<int64_t> site_ids;  // empty: every site (administrators)
  if (!filter.site_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(filter.site_code));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
    site_ids.push_back(site.id);
  } else if (call.principal.role != Role::kAdmin) {
    site_ids = call.principal.site_ids;
  }
  FhirExport out;
  out.bundle_json = nlohmann::json({{"resourceType", "Bundle"},
                                    {"type", "collection"},
                                    {"timestamp", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", call.now,
                                                                   absl::UTCTimeZone())}})
                        .dump();
  out.bundle_json.pop_back();  // the closing brace: entries follow
  const bool sees_nothing = call.principal.role != Role::kAdmin && site_ids.empty();
  db::SampleRepository samples(tx);
  WithdrawnEnrollments withdrawn(tx, absl::ToCivilDay(call.now, absl::UTCTimeZone()));
  int64_t after = 0;
  while (!sees_nothing) {
    LIMS_ASSIGN_OR_RETURN(auto page, samples.ListPage(protocol_id, site_ids, after, kPageSize));
    std::vector<int64_t> ids;
    for (const Sample& s : page) ids.push_back(s.id);
    LIMS_ASSIGN_OR_RETURN(auto exposures, db::ExcursionRepository(tx).ExposuresOfSamples(ids));
    std::map<int64_t, std::vector<db::Exposure>> exposed;
    for (db::Exposure& e : exposures) exposed[e.sample_id].push_back(std::move(e));
    for (const Sample& s : page) {
      LIMS_ASSIGN_OR_RETURN(bool left_out, withdrawn.Contains(s.enrollment_id));
      if (left_out) {
        ++out.withheld_count;
        continue;
      }
      // FHIR JSON has no empty arrays: the entry list opens with its first entry.
      out.bundle_json += out.specimen_count++ > 0 ? "," : ",\"entry\":[";
      absl::StrAppend(&out.bundle_json, "{\"fullUrl\":\"", SpecimenFullUrl(s.barcode),
                      "\",\"resource\":", SpecimenJson(s, exposed[s.id]), "}");
    }
    if (static_cast<int>(page.size()) < kPageSize) break;
    after = page.back().id;
  }
  out.bundle_json += out.specimen_count > 0 ? "]}" : "}";
  return out;
}

}  // namespace lims::services
