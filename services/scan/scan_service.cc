#include "scan_service.h"

#include "box_scan.h"
#include "convert.h"
#include "lims/scanning/code_reader.h"
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

}  // namespace

grpc::Status ScanService::ScanBox(grpc::ServerContext* context, const v1::ScanBoxRequest* request,
                                  v1::ScanBoxResponse* response) {
  return gate_.Query(
      *context, "lims.v1.ScanService.ScanBox", response,
      [&](db::Tx& tx, const CallContext& call, v1::ScanBoxResponse* out) -> absl::Status {
        int64_t box_id = 0;
        if (!request->box_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(box_id, ParseId(request->box_id(), "box_id"));
        }
        LIMS_ASSIGN_OR_RETURN(BoxScanResult result,
                              ScanRackFile(tx, call, request->rack_csv(), request->rows(),
                                           request->columns(), box_id));
        out->set_rack_barcode(result.scan.rack_barcode);
        out->set_position_style(result.scan.position_style);
        for (const lims::ScannedWell& well : result.scan.wells) {
          v1::ScannedWell* w = out->add_wells();
          w->set_position(result.layout.PositionName(well.position));
          w->set_state(ToProto(well.reading));
          w->set_barcode(well.code);
        }
        if (result.reconciliation) {
          v1::BoxReconciliation* r = out->mutable_reconciliation();
          AddTubes(result.reconciliation->matched, result.layout, r->mutable_matched());
          AddTubes(result.reconciliation->missing, result.layout, r->mutable_missing());
          AddTubes(result.reconciliation->misplaced, result.layout, r->mutable_misplaced());
          AddTubes(result.reconciliation->unexpected, result.layout, r->mutable_unexpected());
          AddTubes(result.reconciliation->unverified, result.layout, r->mutable_unverified());
        }
        return absl::OkStatus();
      });
}

// Decoding runs after the gate admitted the call, without holding a database connection, which a
// large picture would keep for a noticeable time.
grpc::Status ScanService::DecodeImage(grpc::ServerContext* context,
                                      const v1::DecodeImageRequest* request,
                                      v1::DecodeImageResponse* response) {
  grpc::Status admitted = gate_.AdmitOnly(*context, "lims.v1.ScanService.DecodeImage");
  if (!admitted.ok()) return admitted;
  absl::Status decoded = DecodeInto(request->image(), limits_, response);
  if (!decoded.ok()) response->Clear();
  return ToGrpcStatus(decoded);
}

}  // namespace lims::services
