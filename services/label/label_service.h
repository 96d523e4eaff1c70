// lims.v1.LabelService: protobuf in, label_operations / label-printing, protobuf out.
#ifndef LIMS_SERVICES_LABEL_LABEL_SERVICE_H_
#define LIMS_SERVICES_LABEL_LABEL_SERVICE_H_

#include <string>
#include <vector>

#include "call_gate.h"
#include "lims/core/net_address.h"
#include "lims/labels/label_template.h"
#include "lims/labels/printer_transport.h"
#include "lims/v1/label.grpc.pb.h"

namespace lims::services {

class LabelService final : public v1::LabelService::Service {
 public:
  // `template_dir`: a directory of the site's own template files ("" for the shipped ones only);
  // `printer_networks`: where managers may register tcp:// printers (admins: anywhere).
  LabelService(CallGate& gate, std::string template_dir,
               std::vector<IpNetwork> printer_networks = {},
               labels::SendOptions send_options = {})
      : gate_(gate),
        templates_(std::move(template_dir)),
        printer_networks_(std::move(printer_networks)),
        send_options_(send_options) {}

  grpc::Status RegisterPrinter(grpc::ServerContext* context,
                               const v1::RegisterPrinterRequest* request,
                               v1::RegisterPrinterResponse* response) override;
  grpc::Status ListPrinters(grpc::ServerContext* context, const v1::ListPrintersRequest* request,
                            v1::ListPrintersResponse* response) override;
  grpc::Status ListLabelTemplates(grpc::ServerContext* context,
                                  const v1::ListLabelTemplatesRequest* request,
                                  v1::ListLabelTemplatesResponse* response) override;
  grpc::Status PreviewLabel(grpc::ServerContext* context, const v1::PreviewLabelRequest* request,
                            v1::PreviewLabelResponse* response) override;
  grpc::Status PrintLabels(grpc::ServerContext* context, const v1::PrintLabelsRequest* request,
                           v1::PrintLabelsResponse* response) override;
  grpc::Status ListPrintJobs(grpc::ServerContext* context,
                             const v1::ListPrintJobsRequest* request,
                             v1::ListPrintJobsResponse* response) override;

 private:
  CallGate& gate_;
  labels::TemplateLibrary templates_;
  std::vector<IpNetwork> printer_networks_;
  labels::SendOptions send_options_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_LABEL_LABEL_SERVICE_H_
