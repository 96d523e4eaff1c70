// Protobuf <-> domain translation shared by the services. Only translation: rules stay in
// lims-core and in the operations.
#ifndef LIMS_SERVICES_COMMON_CONVERT_H_
#define LIMS_SERVICES_COMMON_CONVERT_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/core/sprec.h"
#include "lims/v1/common.pb.h"
#include "lims/v1/registry.pb.h"
#include "lims/v1/sample.pb.h"
#include "lims/v1/storage.pb.h"

namespace lims::services {

// Ids travel as decimal strings. INVALID_ARGUMENT names the field when `text` is not one.
absl::StatusOr<int64_t> ParseId(absl::string_view text, absl::string_view field);

absl::StatusOr<Quantity> FromProto(const v1::Quantity& quantity, absl::string_view field);
v1::Quantity ToProto(const Quantity& quantity);

absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& ts, absl::string_view field);
google::protobuf::Timestamp ToProto(absl::Time time);

absl::StatusOr<StorageKind> FromProto(v1::StorageKind kind);
// Only the bench events a client may record directly (see RecordLifecycleEvent).
absl::StatusOr<SampleEvent> FromProto(v1::LifecycleEvent event);
// Unset is std::nullopt (nothing recorded); an unknown value is INVALID_ARGUMENT.
absl::StatusOr<std::optional<HoldingTemperature>> FromProto(v1::HoldingTemperature temperature);
v1::StorageKind ToProto(StorageKind kind);
v1::SampleStatus ToProto(SampleStatus status);

v1::Site ToProto(const Site& site);
v1::Patient ToProto(const Patient& patient);
v1::Protocol ToProto(const Protocol& protocol);
v1::Enrollment ToProto(const Enrollment& enrollment);
v1::Sample ToProto(const Sample& sample);
v1::StorageUnit ToProto(const StorageUnit& unit);
v1::UnitState ToProto(UnitState state);
// UNSPECIFIED → nullopt (unchanged / the default).
absl::StatusOr<std::optional<UnitState>> FromProto(v1::UnitState state);
v1::Location ToProto(const BoxPlace& where);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CONVERT_H_
