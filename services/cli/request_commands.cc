// Researchers' sample requests (RequestService): preview and submit (researchers), approve or
// reject (managers), the pick list and picking by scanning (bench), shipping the picked tubes
// (managers).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "display.h"
#include "output.h"
#include "quantity_arg.h"
#include "shipment_display.h"

namespace lims::cli {
namespace {

struct CriteriaArgs {
  std::vector<std::string> protocols, timepoints, types, sites;
  std::string min_quantity, consent;
  int max_per_timepoint = 0;
  bool allow_last_tube = false;
};

void AddCriteriaOptions(CLI::App* command, CriteriaArgs& a) {
  command->add_option("--protocol", a.protocols, "protocol code (repeatable)")->required();
  command->add_option("--timepoint", a.timepoints, "timepoint code (repeatable; default all)");
  command->add_option("--type", a.types, "sample type, e.g. SER (repeatable; default all)");
  command->add_option("--site", a.sites, "site code (repeatable; default every site)");
  command->add_option("--min", a.min_quantity, "least a tube must hold, e.g. 200uL");
  command->add_option("--max-per-timepoint", a.max_per_timepoint,
                      "at most N tubes per patient and timepoint (0: no limit)");
  command->add_option("--consent", a.consent,
                      "scopes the patients must have consented to besides research, e.g. genetic");
  command->add_flag("--allow-last-tube", a.allow_last_tube,
                    "may take the last tube of a patient-timepoint-type (kept by default)");
}

v1::Criteria ToCriteria(const CriteriaArgs& a) {
  v1::Criteria c;
  for (const auto& v : a.protocols) c.add_protocol_codes(Trim(v));
  for (const auto& v : a.timepoints) c.add_timepoint_codes(Trim(v));
  for (const auto& v : a.types) c.add_sample_types(Trim(v));
  for (const auto& v : a.sites) c.add_site_codes(Trim(v));
  if (!a.min_quantity.empty()) *c.mutable_min_quantity() = ParseQuantityArg(a.min_quantity);
  c.set_max_per_patient_timepoint(a.max_per_timepoint);
  for (auto scope : ParseScopes(a.consent, "--consent")) c.add_required_consent_scopes(scope);
  c.set_allow_last_tube(a.allow_last_tube);
  return c;
}

std::string StatusText(v1::SampleRequestStatus s) {
  return v1::SampleRequestStatus_Name(s).substr(std::string("SAMPLE_REQUEST_STATUS_").size());
}

void PrintRequest(const v1::SampleRequest& r) {
  std::cout << Style::Bold(r.code() + "  " + r.title()) << "  (#" << r.id() << ", ethics "
            << r.ethics_reference() << ")  " << StatusText(r.status()) << "\n";
  std::cout << "submitted by " << r.submitted_by();
  if (!r.decided_by().empty()) std::cout << "; decided by " << r.decided_by() << ": " << r.decision_reason();
  std::cout << "\n" << r.reserved_count() << " tubes reserved, " << r.picked_count() << " picked\n";
  if (!r.shipment_ids().empty()) {
    std::cout << "on shipment "
              << JoinWords({r.shipment_ids().begin(), r.shipment_ids().end()}) << " (lims ship show)\n";
  }
}

std::string IdOf(const std::string& text) { return Trim(text); }

void AddRequestPreviewCommand(CLI::App* request, Cli& cli) {
  auto preview_args = std::make_shared<CriteriaArgs>();
  auto* preview = request->add_subcommand("preview", "How many patients and tubes match now");
  AddCriteriaOptions(preview, *preview_args);
  cli.OnRun(preview, [&cli, preview_args] {
    v1::PreviewRequestRequest r;
    *r.mutable_criteria() = ToCriteria(*preview_args);
    const v1::PreviewRequestResponse resp =
        cli.client().Read(&Client::requests, &v1::RequestService::Stub::PreviewRequest, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    std::cout << resp.matching_samples() << " tubes of " << resp.matching_patients() << " patients\n";
    Table table({"TIMEPOINT", "TUBES"});
    for (const auto& t : resp.by_timepoint()) table.AddRow({t.timepoint_code(), std::to_string(t.samples())});
    table.Print(std::cout);
    return 0;
  });
}

void AddRequestSubmitCommand(CLI::App* request, Cli& cli) {
  struct SubmitArgs {
    CriteriaArgs criteria;
    std::string title, ethics;
  };
  auto submit_args = std::make_shared<SubmitArgs>();
  auto* submit = request->add_subcommand("submit", "Ask for a sample set");
  submit->add_option("--title", submit_args->title, "what the samples are for")->required();
  submit->add_option("--ethics", submit_args->ethics, "ethics committee reference")->required();
  AddCriteriaOptions(submit, submit_args->criteria);
  cli.OnRun(submit, [&cli, submit_args] {
    v1::SubmitRequestRequest r;
    r.set_title(submit_args->title);
    r.set_ethics_reference(submit_args->ethics);
    *r.mutable_criteria() = ToCriteria(submit_args->criteria);
    const v1::SubmitRequestResponse resp =
        cli.client().Mutate(&Client::requests, &v1::RequestService::Stub::SubmitRequest, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintRequest(resp.sample_request());
    return 0;
  });
}

void AddRequestDecideCommand(CLI::App* request, Cli& cli) {
  struct DecideArgs {
    std::string id, reason;
  };
  for (const bool approve : {true, false}) {
    auto args = std::make_shared<DecideArgs>();
    auto* decide = request->add_subcommand(approve ? "approve" : "reject",
                                           approve ? "Managers: approve, reserving the tubes"
                                                   : "Managers: reject");
    decide->add_option("REQUEST", args->id, "request id")->required();
    decide->add_option("--reason", args->reason, "why")->required();
    cli.OnRun(decide, [&cli, args, approve] {
      v1::SampleRequest result;
      const std::string request_id = cli.client().RequestId();
      if (approve) {
        v1::ApproveRequestRequest r;
        r.set_sample_request_id(IdOf(args->id));
        r.set_reason(args->reason);
        r.set_request_id(request_id);
        v1::ApproveRequestResponse resp;
        cli.client().Call([&](grpc::ClientContext* ctx) { return cli.client().requests().ApproveRequest(ctx, r, &resp); },
                          request_id);
        result = resp.sample_request();
      } else {
        v1::RejectRequestRequest r;
        r.set_sample_request_id(IdOf(args->id));
        r.set_reason(args->reason);
        r.set_request_id(request_id);
        v1::RejectRequestResponse resp;
        cli.client().Call([&](grpc::ClientContext* ctx) { return cli.client().requests().RejectRequest(ctx, r, &resp); },
                          request_id);
        result = resp.sample_request();
      }
      if (PrintedJson(cli.options.json, result)) return 0;
      PrintRequest(result);
      return 0;
    });
  }
}

void AddRequestShowCommand(CLI::App* request, Cli& cli) {
  auto show_id = std::make_shared<std::string>();
  auto* show = request->add_subcommand("show", "A request and its tubes under their request codes");
  show->add_option("REQUEST", *show_id, "request id")->required();
  cli.OnRun(show, [&cli, show_id] {
    v1::GetSampleRequestRequest r;
    r.set_sample_request_id(IdOf(*show_id));
    const v1::GetSampleRequestResponse resp =
        cli.client().Read(&Client::requests, &v1::RequestService::Stub::GetSampleRequest, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintRequest(resp.sample_request());
    Table table({"TUBE", "PATIENT", "PROTOCOL", "TIMEPOINT", "TYPE", "QUANTITY", "PICKED"});
    for (const auto& s : resp.samples()) {
      table.AddRow({s.request_code(), s.patient_code(), s.protocol_code(), s.timepoint_code(),
                    s.sample_type(), FormatQuantity(s.quantity()), s.picked() ? "yes" : ""});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddRequestListCommand(CLI::App* request, Cli& cli) {
  auto* list = request->add_subcommand("list", "Requests (researchers: their own)");
  cli.OnRun(list, [&cli] {
    auto all = ListAll<v1::ListSampleRequestsRequest, v1::ListSampleRequestsResponse>(
        cli.client(), {}, [&](grpc::ClientContext* ctx, const v1::ListSampleRequestsRequest& r,
                              v1::ListSampleRequestsResponse* out) {
          return cli.client().requests().ListSampleRequests(ctx, r, out);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"ID", "CODE", "TITLE", "STATUS", "TUBES", "PICKED", "BY"});
    for (const auto& r : all.sample_requests()) {
      table.AddRow({r.id(), r.code(), r.title(), StatusText(r.status()),
                    std::to_string(r.reserved_count()), std::to_string(r.picked_count()),
                    r.submitted_by()});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddRequestPicklistCommand(CLI::App* request, Cli& cli) {
  auto pick_list_id = std::make_shared<std::string>();
  auto* picklist = request->add_subcommand("picklist", "The reserved tubes, box by box, in position order");
  picklist->add_option("REQUEST", *pick_list_id, "request id")->required();
  cli.OnRun(picklist, [&cli, pick_list_id] {
    v1::GetPickListRequest r;
    r.set_sample_request_id(IdOf(*pick_list_id));
    const v1::GetPickListResponse resp =
        cli.client().Read(&Client::requests, &v1::RequestService::Stub::GetPickList, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    std::cout << resp.items_size() << " tubes from " << resp.boxes() << " boxes\n";
    Table table({"#", "TUBE", "BOX", "POSITION", "CODE", "PICKED"});
    int n = 0;
    for (const auto& i : resp.items()) {
      table.AddRow({std::to_string(++n), i.barcode(), i.location().path(), i.location().position(),
                    i.request_code(), i.picked() ? "yes" : ""});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddRequestPickCommand(CLI::App* request, Cli& cli) {
  struct PickArgs {
    std::string id;
    std::vector<std::string> codes;
  };
  auto pick_args = std::make_shared<PickArgs>();
  auto* pick = request->add_subcommand("pick", "Scan the tubes as you take them (no CODE: one scan a line)");
  pick->add_option("REQUEST", pick_args->id, "request id")->required();
  pick->add_option("CODE", pick_args->codes, "tube barcodes as scanned");
  cli.OnRun(pick, [&cli, pick_args] {
    std::vector<std::string> codes = pick_args->codes;
    if (codes.empty()) {
      std::string line;
      while (std::getline(std::cin, line)) {
        if (!Trim(line).empty()) codes.push_back(Trim(line));
      }
    }
    int result = 0;
    for (const std::string& code : codes) {
      v1::PickTubeRequest r;
      r.set_sample_request_id(IdOf(pick_args->id));
      r.set_barcode(code);
      r.set_request_id(cli.client().RequestId());
      v1::PickTubeResponse resp;
      try {
        cli.client().Call([&](grpc::ClientContext* ctx) { return cli.client().requests().PickTube(ctx, r, &resp); },
                          r.request_id());
      } catch (const RpcError& error) {
        const int code_exit = ExitCodeFor(error.status().error_code());
        if (code_exit == kExitUnreachable || code_exit == kExitUnauthenticated) throw;
        result = ReportRpcError(error.status(), "", cli.options.server);
        continue;
      }
      std::cout << "picked " << resp.item().barcode() << " (" << resp.item().request_code() << "); "
                << resp.remaining() << " to go\n";
    }
    return result;
  });
}

void AddRequestShipCommand(CLI::App* request, Cli& cli) {
  struct ShipArgs {
    std::string id;
    ShipmentArgs shipment;
  };
  auto ship_args = std::make_shared<ShipArgs>();
  auto* ship = request->add_subcommand(
      "ship", "Every picked tube onto draft shipments (one per site), dispatched with lims ship");
  ship->add_option("REQUEST", ship_args->id, "request id")->required();
  AddShipmentOptions(ship, ship_args->shipment);
  cli.OnRun(ship, [&cli, ship_args] {
    v1::ShipRequestRequest r;
    r.set_sample_request_id(IdOf(ship_args->id));
    FillShipment(ship_args->shipment, &r);
    const v1::ShipRequestResponse resp =
        cli.client().Mutate(&Client::requests, &v1::RequestService::Stub::ShipRequest, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintRequest(resp.sample_request());
    for (const auto& s : resp.shipments()) PrintShipment(s);
    std::cout << "dispatch with lims ship dispatch ID; its manifest (lims ship export) names the "
                 "tubes by request code only\n";
    return 0;
  });
}

}  // namespace

void AddRequestCommands(CLI::App& app, Cli& cli) {
  auto* request = app.add_subcommand("request",
                                     "Researchers' sample requests: preview, submit, "
                                     "approve or reject, pick list, pick");
  request->require_subcommand(1);
  AddRequestPreviewCommand(request, cli);
  AddRequestSubmitCommand(request, cli);
  AddRequestDecideCommand(request, cli);
  AddRequestShowCommand(request, cli);
  AddRequestListCommand(request, cli);
  AddRequestPicklistCommand(request, cli);
  AddRequestPickCommand(request, cli);
  AddRequestShipCommand(request, cli);
}

}  // namespace lims::cli
