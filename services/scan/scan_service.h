// lims.v1.ScanService: picture bytes in, scanning/ (decoding and reading), codes out.
#ifndef LIMS_SERVICES_SCAN_SCAN_SERVICE_H_
#define LIMS_SERVICES_SCAN_SCAN_SERVICE_H_

#include "call_gate.h"
#include "decode_slots.h"
#include "lims/scanning/image.h"
#include "lims/v1/scan.grpc.pb.h"

namespace lims::services {

class ScanService final : public v1::ScanService::Service {
 public:
  // At most `concurrent_pictures` pictures are decoded at once (DecodeImage and ScanBox).
  ScanService(CallGate& gate, scanning::ImageLimits limits, int concurrent_pictures)
      : gate_(gate), limits_(limits), slots_(concurrent_pictures) {}

  grpc::Status DecodeImage(grpc::ServerContext* context, const v1::DecodeImageRequest* request,
                           v1::DecodeImageResponse* response) override;
  grpc::Status ScanBox(grpc::ServerContext* context, const v1::ScanBoxRequest* request,
                       v1::ScanBoxResponse* response) override;

 private:
  CallGate& gate_;
  scanning::ImageLimits limits_;
  DecodeSlots slots_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_SCAN_SERVICE_H_
