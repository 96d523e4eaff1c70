#include "storage_service.h"

#include "absl/strings/str_cat.h"
#include "call_gate.h"
#include "convert.h"
#include "lims/core/sample_id.h"
#include "lims/db/placements.h"
#include "paging.h"
#include "status_macros.h"
#include "storage_operations.h"

namespace lims::services {
namespace {

// The temperature settings of a create or update request (the same fields on both).
template <typename Request>
Climate ClimateOf(const Request& r) {
  Climate c;
  if (r.has_set_point_celsius()) c.set_point = r.set_point_celsius();
  if (r.has_alarm_low_celsius()) c.alarm_low = r.alarm_low_celsius();
  if (r.has_alarm_high_celsius()) c.alarm_high = r.alarm_high_celsius();
  c.probe_id = r.probe_id();
  return c;
}

absl::StatusOr<std::optional<absl::Time>> OptionalTime(const google::protobuf::Timestamp& ts,
                                                       absl::string_view field) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return std::optional<absl::Time>();
  LIMS_ASSIGN_OR_RETURN(absl::Time t, FromProto(ts, field));
  return std::optional<absl::Time>(t);
}

}  // namespace

namespace {

v1::Placement ToPlacement(const PlacementResult& result) {
  v1::Placement out;
  out.set_barcode(result.sample.barcode);
  *out.mutable_location() = ToProto(result.where);
  return out;
}

}  // namespace

grpc::Status StorageService::CreateStorageUnit(grpc::ServerContext* context,
                                               const v1::CreateStorageUnitRequest* request,
                                               v1::CreateStorageUnitResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.CreateStorageUnit", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CreateStorageUnitResponse* out) -> absl::Status {
        NewStorageUnit unit;
        if (!request->parent_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(unit.parent_id, ParseId(request->parent_id(), "parent_id"));
        }
        LIMS_ASSIGN_OR_RETURN(unit.kind, FromProto(request->kind()));
        unit.name = request->name();
        unit.rows = request->rows();
        unit.columns = request->columns();
        unit.climate = ClimateOf(*request);
        LIMS_ASSIGN_OR_RETURN(std::optional<UnitState> state, FromProto(request->state()));
        unit.climate.state = state.value_or(UnitState::kInService);
        LIMS_ASSIGN_OR_RETURN(StorageUnit created, AddStorageUnit(tx, call, unit));
        *out->mutable_unit() = ToProto(created);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::GetStorageUnit(grpc::ServerContext* context,
                                            const v1::GetStorageUnitRequest* request,
                                            v1::GetStorageUnitResponse* response) {
  return gate_.Query(
      *context, "lims.v1.StorageService.GetStorageUnit", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetStorageUnitResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->id(), "id"));
        LIMS_ASSIGN_OR_RETURN(UnitInUse found, LookUpUnit(tx, call, {id}));
        *out->mutable_unit() = ToProto(found.unit);
        out->set_occupied(found.occupied);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::ListStorageUnits(grpc::ServerContext* context,
                                              const v1::ListStorageUnitsRequest* request,
                                              v1::ListStorageUnitsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.StorageService.ListStorageUnits", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListStorageUnitsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        ChildrenQuery query{0, page.after_id, page.size, request->name_contains()};
        if (request->kind() != v1::STORAGE_KIND_UNSPECIFIED) {
          LIMS_ASSIGN_OR_RETURN(query.kind, FromProto(request->kind()));
        }
        if (query.name_contains.empty() && !query.kind && !request->parent_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(query.parent_id, ParseId(request->parent_id(), "parent_id"));
        }
        LIMS_ASSIGN_OR_RETURN(auto children, ListChildUnits(tx, call, query));
        for (const StorageUnit& u : children.visible) *out->add_units() = ToProto(u);
        out->set_next_page_token(children.NextToken(page));
        return absl::OkStatus();
      });
}

grpc::Status StorageService::PlaceSample(grpc::ServerContext* context,
                                         const v1::PlaceSampleRequest* request,
                                         v1::PlaceSampleResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.PlaceSample", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::PlaceSampleResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(int64_t box_id, ParseId(request->box_id(), "box_id"));
        LIMS_ASSIGN_OR_RETURN(PlacementResult result,
                              PutInBox(tx, call, {barcode, box_id, request->position()}));
        *out->mutable_placement() = ToPlacement(result);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::MoveSample(grpc::ServerContext* context,
                                        const v1::MoveSampleRequest* request,
                                        v1::MoveSampleResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.MoveSample", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::MoveSampleResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(int64_t box_id, ParseId(request->box_id(), "box_id"));
        LIMS_ASSIGN_OR_RETURN(
            PlacementResult result,
            MoveTube(tx, call, {barcode, box_id, request->position(), request->reason()}));
        *out->mutable_placement() = ToPlacement(result);
        if (result.previous) *out->mutable_previous_location() = ToProto(*result.previous);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::RetrieveSample(grpc::ServerContext* context,
                                            const v1::RetrieveSampleRequest* request,
                                            v1::RetrieveSampleResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.RetrieveSample", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RetrieveSampleResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(PlacementResult result,
                              TakeOutTube(tx, call, {barcode, request->reason()}));
        out->set_barcode(result.sample.barcode);
        *out->mutable_previous_location() = ToProto(result.where);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::ReturnSample(grpc::ServerContext* context,
                                          const v1::ReturnSampleRequest* request,
                                          v1::ReturnSampleResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.ReturnSample", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ReturnSampleResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(int64_t box_id, ParseId(request->box_id(), "box_id"));
        LIMS_ASSIGN_OR_RETURN(
            PlacementResult result,
            PutBackTube(tx, call, {barcode, box_id, request->position(), "", request->thawed()}));
        *out->mutable_placement() = ToPlacement(result);
        out->set_freeze_thaw_count(result.sample.freeze_thaw_count);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::GetBoxContents(grpc::ServerContext* context,
                                            const v1::GetBoxContentsRequest* request,
                                            v1::GetBoxContentsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.StorageService.GetBoxContents", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetBoxContentsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t box_id, ParseId(request->box_id(), "box_id"));
        LIMS_ASSIGN_OR_RETURN(BoxView view, LookUpBoxContents(tx, call, {box_id}));
        *out->mutable_box() = ToProto(view.box);
        for (const db::OccupiedSlot& slot : view.slots) {
          v1::Slot* s = out->add_slots();
          s->set_position(view.layout.PositionName(slot.position));
          s->set_position_number(slot.position);
          s->set_barcode(slot.barcode);
          s->set_sample_type(slot.sample_type);
        }
        return absl::OkStatus();
      });
}

grpc::Status StorageService::UpdateStorageUnit(grpc::ServerContext* context,
                                               const v1::UpdateStorageUnitRequest* request,
                                               v1::UpdateStorageUnitResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.UpdateStorageUnit", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::UpdateStorageUnitResponse* out) -> absl::Status {
        ClimateChange change;
        LIMS_ASSIGN_OR_RETURN(change.unit_id, ParseId(request->unit_id(), "unit_id"));
        change.climate = ClimateOf(*request);
        LIMS_ASSIGN_OR_RETURN(change.state, FromProto(request->state()));
        change.reason = request->reason();
        LIMS_ASSIGN_OR_RETURN(StorageUnit unit, ChangeClimate(tx, call, change));
        *out->mutable_unit() = ToProto(unit);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::MoveStorageUnit(grpc::ServerContext* context,
                                             const v1::MoveStorageUnitRequest* request,
                                             v1::MoveStorageUnitResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.StorageService.MoveStorageUnit", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::MoveStorageUnitResponse* out) -> absl::Status {
        UnitMove move;
        LIMS_ASSIGN_OR_RETURN(move.unit_id, ParseId(request->unit_id(), "unit_id"));
        LIMS_ASSIGN_OR_RETURN(move.new_parent_id,
                              ParseId(request->new_parent_id(), "new_parent_id"));
        move.reason = request->reason();
        LIMS_ASSIGN_OR_RETURN(MovedUnit moved, MoveUnit(tx, call, move));
        *out->mutable_unit() = ToProto(moved.unit);
        out->set_tubes_moved(moved.tubes);
        return absl::OkStatus();
      });
}

grpc::Status StorageService::GetLocationHistory(grpc::ServerContext* context,
                                                const v1::GetLocationHistoryRequest* request,
                                                v1::GetLocationHistoryResponse* response) {
  return gate_.Query(*context, "lims.v1.StorageService.GetLocationHistory", response,
                     [&](db::Tx& tx, const CallContext& call,
                         v1::GetLocationHistoryResponse* out) -> absl::Status {
                       LocationQuery query;
                       if (!request->barcode().empty()) {
                         LIMS_ASSIGN_OR_RETURN(query.barcode, CanonicalBarcode(request->barcode()));
                       } else if (!request->unit_id().empty()) {
                         LIMS_ASSIGN_OR_RETURN(query.unit_id,
                                               ParseId(request->unit_id(), "unit_id"));
                       }
                       LIMS_ASSIGN_OR_RETURN(query.since, OptionalTime(request->since(), "since"));
                       LIMS_ASSIGN_OR_RETURN(query.until, OptionalTime(request->until(), "until"));
                       LIMS_ASSIGN_OR_RETURN(auto stays, LocationHistoryOf(tx, call, query));
                       for (const db::TubeStay& stay : stays) {
                         v1::LocationHistoryEntry* entry = out->add_entries();
                         entry->set_barcode(stay.barcode);
                         entry->set_box_id(std::to_string(stay.box_id));
                         BoxPlace place;
                         place.rows = stay.rows;
                         place.columns = stay.columns;
                         place.position = stay.position;
                         entry->set_position(place.PositionName());
                         entry->set_path(stay.box_path);
                         *entry->mutable_from() = ToProto(stay.from);
                         if (stay.to) *entry->mutable_to() = ToProto(*stay.to);
                       }
                       return absl::OkStatus();
                     });
}

grpc::Status StorageService::GetCapacity(grpc::ServerContext* context,
                                         const v1::GetCapacityRequest* request,
                                         v1::GetCapacityResponse* response) {
  return gate_.Query(
      *context, "lims.v1.StorageService.GetCapacity", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetCapacityResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t unit_id, ParseId(request->unit_id(), "unit_id"));
        LIMS_ASSIGN_OR_RETURN(auto lines, CapacityOf(tx, call, unit_id));
        for (const CapacityLine& line : lines) {
          v1::CapacityRow* row = out->add_rows();
          row->set_unit_id(std::to_string(line.unit.id));
          row->set_path(line.unit.path);
          row->set_kind(ToProto(line.unit.kind));
          row->set_positions(line.positions);
          row->set_occupied(line.occupied);
          row->set_depth(line.depth);
        }
        return absl::OkStatus();
      });
}

grpc::Status StorageService::FindFreePositions(grpc::ServerContext* context,
                                               const v1::FindFreePositionsRequest* request,
                                               v1::FindFreePositionsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.StorageService.FindFreePositions", response,
      [&](db::Tx& tx, const CallContext& call, v1::FindFreePositionsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(FreePlaces free,
                              FindFreePlaces(tx, call,
                                             {request->site_code(), request->rows(),
                                              request->columns(), request->count()}));
        for (const BoxPlace& place : free.places) {
          v1::FreePosition* position = out->add_positions();
          position->set_box_id(std::to_string(place.box_id));
          position->set_position(place.PositionName());
          position->set_path(place.box_path);
        }
        out->set_together(free.together);
        return absl::OkStatus();
      });
}

}  // namespace lims::services
