#include "scan_service.h"

#include <optional>

#include "access_policy.h"
#include "box_apply.h"
#include "box_scan.h"
#include "convert.h"
#include "lims/scanning/code_reader.h"
#include "rack_picture_scan.h"
#include "status_macros.h"
#include "status_mapping.h"

namespace lims::services {
namespace {

v1::CodeFormat ToProto(scanning::CodeFormat format) {
  switch (format) {
    case scanning::CodeFormat::kDataMatrix: return v1::CODE_FORMAT_DATA_MATRIX;
    case scanning::CodeFormat::kQrCode: return v1::CODE_FORMAT_QR_CODE;
    case scanning::CodeFormat::kCode128: return v1::CODE_FORMAT_CODE_128;
  }
  return v1::CODE_FORMAT_UNSPECIFIED;
}

absl::Status DecodeInto(const std::string& file, const scanning::ImageLimits& limits,
                        v1::DecodeImageResponse* out) {
  LIMS_ASSIGN_OR_RETURN(scanning::GrayImage image, scanning::DecodeImage(file, limits));
  out->set_width(image.width);
  out->set_height(image.height);
  for (const scanning::FoundCode& found : scanning::ReadCodes(image)) {
    v1::DecodedCode* code = out->add_codes();
    code->set_text(found.text);
    code->set_format(ToProto(found.format));
    for (const scanning::Point& p : found.corners) {
      v1::ImagePoint* corner = code->add_corners();
      corner->set_x(p.x);
      corner->set_y(p.y);
    }
  }
  return absl::OkStatus();
}

void AddTubes(const std::vector<BoxReconciliation::Entry>& entries, const BoxLayout& layout,
              google::protobuf::RepeatedPtrField<v1::ReconciledTube>* out) {
  for (const auto& e : entries) {
    v1::ReconciledTube* tube = out->Add();
    tube->set_barcode(e.barcode);
    tube->set_position(layout.PositionName(e.position));
    tube->set_recorded_at(e.recorded_where);
  }
}

v1::WellState ToProto(WellReading reading) {
  switch (reading) {
    case WellReading::kCode: return v1::WELL_STATE_DECODED;
    case WellReading::kEmpty: return v1::WELL_STATE_EMPTY;
    case WellReading::kUnreadable: return v1::WELL_STATE_UNREADABLE;
  }
  return v1::WELL_STATE_UNSPECIFIED;
}

constexpr char kScanBox[] = "lims.v1.ScanService.ScanBox";

void AddWells(const BoxLayout& layout, const RackScan& scan, v1::ScanBoxResponse* out) {
  out->set_rows(layout.rows());
  out->set_columns(layout.columns());
  out->set_rack_barcode(scan.rack_barcode);
  out->set_position_style(scan.position_style);
  for (const lims::ScannedWell& well : scan.wells) {
    v1::ScannedWell* w = out->add_wells();
    w->set_position(layout.PositionName(well.position));
    w->set_state(ToProto(well.reading));
    w->set_barcode(well.code);
  }
}

void AddReconciliation(const BoxLayout& layout, const BoxReconciliation& reconciliation,
                       v1::BoxReconciliation* r) {
  AddTubes(reconciliation.matched, layout, r->mutable_matched());
  AddTubes(reconciliation.missing, layout, r->mutable_missing());
  AddTubes(reconciliation.misplaced, layout, r->mutable_misplaced());
  AddTubes(reconciliation.unexpected, layout, r->mutable_unexpected());
  AddTubes(reconciliation.unverified, layout, r->mutable_unverified());
}

scanning::A1Corner FromProto(v1::A1Corner corner) {
  switch (corner) {
    case v1::A1_CORNER_TOP_LEFT: return scanning::A1Corner::kTopLeft;
    case v1::A1_CORNER_TOP_RIGHT: return scanning::A1Corner::kTopRight;
    case v1::A1_CORNER_BOTTOM_LEFT: return scanning::A1Corner::kBottomLeft;
    case v1::A1_CORNER_BOTTOM_RIGHT: return scanning::A1Corner::kBottomRight;
    default: return scanning::A1Corner::kUnknown;
  }
}

absl::Status CheckScanRequest(const v1::ScanBoxRequest& request) {
  if (request.image().empty() == request.rack_csv().empty()) {
    return absl::InvalidArgumentError(
        "send either image (a picture of the rack from below) or rack_csv (the rack scanner's "
        "CSV export), not both and not neither");
  }
  if (request.mirrored() && request.image().empty()) {
    return absl::InvalidArgumentError("mirrored describes an image; leave it unset for rack_csv");
  }
  if (request.a1_corner() != v1::A1_CORNER_UNSPECIFIED && request.image().empty()) {
    return absl::InvalidArgumentError("a1_corner describes an image; leave it unset for rack_csv");
  }
  if (!v1::A1Corner_IsValid(request.a1_corner())) {
    return absl::InvalidArgumentError(
        "a1_corner must be A1_CORNER_TOP_LEFT, _TOP_RIGHT, _BOTTOM_LEFT or _BOTTOM_RIGHT");
  }
  if (request.apply() && request.box_id().empty()) {
    return absl::InvalidArgumentError("apply needs box_id: the box whose records are to change");
  }
  return absl::OkStatus();
}

}  // namespace

// A picture is read between two database visits (the box's layout, then the reconciliation),
// so a connection, and with apply the write transaction, is not held while it is decoded.
grpc::Status ScanService::ScanBox(grpc::ServerContext* context, const v1::ScanBoxRequest* request,
                                  v1::ScanBoxResponse* response) {
  // Checked inside the gate: an unauthenticated caller learns nothing about the request.
  int64_t box_id = 0;
  auto check = [&]() -> absl::Status {
    LIMS_RETURN_IF_ERROR(CheckScanRequest(*request));
    if (!request->box_id().empty()) {
      LIMS_ASSIGN_OR_RETURN(box_id, ParseId(request->box_id(), "box_id"));
    }
    return absl::OkStatus();
  };
  std::optional<PictureScan> picture;
  if (!request->image().empty()) {
    std::optional<BoxLayout> layout;
    grpc::Status found = gate_.Query(
        *context, kScanBox, response,
        [&](db::Tx& tx, const CallContext& call, v1::ScanBoxResponse*) -> absl::Status {
          LIMS_RETURN_IF_ERROR(check());
          LIMS_ASSIGN_OR_RETURN(
              ScanTarget target,
              FindScanTarget(tx, call, {request->rows(), request->columns(), box_id}));
          layout = target.layout;
          return absl::OkStatus();
        });
    if (!found.ok()) return found;
    auto slot = slots_.Take();
    if (!slot.ok()) return ToGrpcStatus(slot.status());
    auto read = ScanRackPicture(request->image(), *layout,
                                {request->mirrored(), FromProto(request->a1_corner())}, limits_);
    if (!read.ok()) return ToGrpcStatus(read.status());
    picture = *std::move(read);
  }

  auto work = [&](db::Tx& tx, const CallContext& call, v1::ScanBoxResponse* out) -> absl::Status {
    LIMS_RETURN_IF_ERROR(check());
    if (request->apply()) LIMS_RETURN_IF_ERROR(AuthorizeOption(call.principal, kScanBox, "apply"));
    LIMS_ASSIGN_OR_RETURN(ScanTarget target,
                          FindScanTarget(tx, call, {request->rows(), request->columns(), box_id}));
    RackScan scan;
    if (picture) {
      scan = picture->scan;
      out->set_rotation_degrees(picture->rotation_degrees);
      out->set_orientation_mark_seen(picture->orientation_mark_seen);
      out->set_a1_decided_by(picture->a1_decided_by);
      for (const scanning::UnassignedCode& code : picture->unassigned) {
        v1::UnassignedCode* u = out->add_unassigned();
        u->set_text(code.text);
        u->mutable_center()->set_x(code.x);
        u->mutable_center()->set_y(code.y);
        u->set_reason(code.reason);
      }
    } else {
      LIMS_ASSIGN_OR_RETURN(scan, ParseRackCsv(request->rack_csv(), target.layout));
    }
    AddWells(target.layout, scan, out);
    if (!target.box) return absl::OkStatus();
    LIMS_ASSIGN_OR_RETURN(BoxReconciliation reconciliation,
                          ReconcileWithBox(tx, call, *target.box, scan));
    AddReconciliation(target.layout, reconciliation, out->mutable_reconciliation());
    if (!request->apply()) return absl::OkStatus();
    LIMS_ASSIGN_OR_RETURN(auto changes, ApplyBoxScan(tx, call, *target.box, target.layout, scan));
    for (const BoxChange& change : changes) {
      v1::AppliedChange* c = out->add_applied();
      c->set_barcode(change.barcode);
      c->set_change(change.change);
      c->set_from(change.from);
      c->set_to(change.to);
    }
    return absl::OkStatus();
  };
  if (request->apply()) return gate_.Mutate(*context, kScanBox, *request, response, work);
  return gate_.Query(*context, kScanBox, response, work);
}

// Decoding runs after the gate admitted the call, without holding a database connection, which a
// large picture would keep for a noticeable time.
grpc::Status ScanService::DecodeImage(grpc::ServerContext* context,
                                      const v1::DecodeImageRequest* request,
                                      v1::DecodeImageResponse* response) {
  grpc::Status admitted = gate_.AdmitOnly(*context, "lims.v1.ScanService.DecodeImage");
  if (!admitted.ok()) return admitted;
  auto slot = slots_.Take();
  if (!slot.ok()) return ToGrpcStatus(slot.status());
  absl::Status decoded = DecodeInto(request->image(), limits_, response);
  if (!decoded.ok()) response->Clear();
  return ToGrpcStatus(decoded);
}

}  // namespace lims::services
