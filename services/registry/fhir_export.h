// Samples as HL7 FHIR R4: a Bundle of type "collection" with one Specimen per sample.
#ifndef LIMS_SERVICES_REGISTRY_FHIR_EXPORT_H_
#define LIMS_SERVICES_REGISTRY_FHIR_EXPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/temperatures.h"

namespace lims::services {

struct FhirFilter {
  std::string protocol_code;  // optional
  std::string site_code;      // optional; without it every site the caller works at
};

struct FhirExport {
  std::string bundle_json;
  int specimen_count = 0;
  int withheld_count = 0;  // left out: the patient withdrew consent to storage or research
};

// Reads the samples page by page and appends each Specimen to the bundle text as it goes, so the
// server holds the answer and one page, never every sample as objects. NOT_FOUND for an unknown
// protocol or site, PERMISSION_DENIED for a site the caller does not work at. A sample whose
// patient withdrew consent to storage or research is left out (counted in withheld_count).
absl::StatusOr<FhirExport> BuildFhirBundle(db::Tx& tx, const CallContext& call,
                                           const FhirFilter& filter);

// The Bundle entry's fullUrl of a sample: "urn:uuid:" + a name-based (version 5) UUID of its
// barcode, the same in every export, so a derived sample can point at its parent.
std::string SpecimenFullUrl(const std::string& barcode);

// One Specimen resource (JSON text); each temperature excursion the tube went through is a note.
std::string SpecimenJson(const Sample& sample, const std::vector<db::Exposure>& exposures = {});

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_FHIR_EXPORT_H_
