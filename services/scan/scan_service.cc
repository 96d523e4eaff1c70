#include "scan_service.h"

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

}  // namespace

// The gate admits the call (token, role); decoding then runs without holding a database
// connection, which a large picture would keep for a noticeable time.
grpc::Status ScanService::DecodeImage(grpc::ServerContext* context,
                                      const v1::DecodeImageRequest* request,
                                      v1::DecodeImageResponse* response) {
  grpc::Status admitted = gate_.Query(
      *context, "lims.v1.ScanService.DecodeImage", response,
      [](db::Tx&, const CallContext&, v1::DecodeImageResponse*) { return absl::OkStatus(); });
  if (!admitted.ok()) return admitted;
  absl::Status decoded = DecodeInto(request->image(), limits_, response);
  if (!decoded.ok()) response->Clear();
  return ToGrpcStatus(decoded);
}

}  // namespace lims::services
