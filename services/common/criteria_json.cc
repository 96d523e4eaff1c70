#include "criteria_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lims/core/consent.h"
#include "lims/core/json_shape.h"
#include "status_macros.h"

namespace lims::services {

using json = nlohmann::json;

std::string CriteriaJson(const RequestCriteria& c) {
  json scopes = json::array();
  for (ConsentScope s : c.required_consent_scopes) scopes.push_back(std::string(ConsentScopeName(s)));
  json j = {{"protocol_codes", c.protocol_codes},
            {"timepoint_codes", c.timepoint_codes},
            {"sample_types", c.sample_types},
            {"site_codes", c.site_codes},
            {"max_per_patient_timepoint", c.max_per_patient_timepoint},
            {"required_consent_scopes", scopes},
            {"keep_last_tube", c.keep_last_tube}};
  if (c.max_exposure_minutes) j["max_exposure_minutes"] = *c.max_exposure_minutes;
  if (c.max_exposure_celsius) j["max_exposure_celsius"] = *c.max_exposure_celsius;
  if (c.min_quantity) {
    j["min_quantity"] = {{"amount", c.min_quantity->canonical_amount()},
                         {"unit", c.min_quantity->canonical_unit()}};
  }
  return j.dump();
}

absl::StatusOr<RequestCriteria> CriteriaFromJson(const std::string& text) {
  // Written by this server, but read like any JSON: bounded before it is parsed.
  if (!CheckJsonShape(text, {1u << 20, 8}, "criteria").ok()) {
    return absl::InternalError("a stored request's criteria are not JSON this server wrote");
  }
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::InternalError("a stored request's criteria are not JSON");
  RequestCriteria c;
  try {
    c.protocol_codes = j.at("protocol_codes").get<std::vector<std::string>>();
    c.timepoint_codes = j.at("timepoint_codes").get<std::vector<std::string>>();
    c.sample_types = j.at("sample_types").get<std::vector<std::string>>();
    c.site_codes = j.at("site_codes").get<std::vector<std::string>>();
    c.max_per_patient_timepoint = j.at("max_per_patient_timepoint").get<int>();
    c.keep_last_tube = j.at("keep_last_tube").get<bool>();
    for (const auto& s : j.at("required_consent_scopes")) {
      LIMS_ASSIGN_OR_RETURN(ConsentScope scope, ParseConsentScope(s.get<std::string>()));
      c.required_consent_scopes.push_back(scope);
    }
    if (j.contains("max_exposure_minutes")) {
      c.max_exposure_minutes = j["max_exposure_minutes"].get<double>();
    }
    if (j.contains("max_exposure_celsius")) {
      c.max_exposure_celsius = j["max_exposure_celsius"].get<double>();
    }
    if (j.contains("min_quantity")) {
      LIMS_ASSIGN_OR_RETURN(c.min_quantity,
                            Quantity::FromCanonical(j["min_quantity"].at("amount").get<int64_t>(),
                                                    j["min_quantity"].at("unit").get<std::string>()));
    }
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("a stored request's criteria are malformed: ", e.what()));
  }
  return c;
}

}  // namespace lims::services
