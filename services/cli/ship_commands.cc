// Shipments (ShipmentService): pack, dispatch and export at the origin; import, receive tube by
// tube, resolve discrepancies and close at the destination.
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "absl/strings/str_join.h"
#include "cli.h"
#include "display.h"
#include "output.h"
#include "shipment_display.h"

namespace lims::cli {
namespace {

std::string ConditionText(v1::ItemCondition c) {
  if (c == v1::ITEM_CONDITION_UNSPECIFIED) return "";
  return v1::ItemCondition_Name(c).substr(std::string("ITEM_CONDITION_").size());
}

void PrintItems(const char* title, const google::protobuf::RepeatedPtrField<v1::ShipmentItem>& items) {
  if (items.empty()) return;
  std::cout << title << " (" << items.size() << "):\n";
  Table table({"TUBE", "TYPE", "PACKED IN", "STATE", "CONDITION", "RESOLUTION"});
  for (const auto& i : items) {
    table.AddRow({i.barcode(), i.sample_type(),
                  i.packed_box().empty() ? "" : i.packed_box() + " " + i.packed_position(),
                  i.state(), ConditionText(i.condition()), i.resolution()});
  }
  table.Print(std::cout);
}

// One scan a line: "CODE" or "CODE thawed" / "CODE damaged".
v1::ReceivedItem ParseScan(const std::string& line) {
  v1::ReceivedItem item;
  const std::string text = Trim(line);
  const size_t space = text.find_first_of(" \t");
  item.set_barcode(text.substr(0, space));
  const std::string condition = space == std::string::npos ? "" : Trim(text.substr(space));
  if (condition.empty() || condition == "ok") {
    item.set_condition(v1::ITEM_CONDITION_OK);
  } else if (condition == "thawed") {
    item.set_condition(v1::ITEM_CONDITION_THAWED);
  } else if (condition == "damaged") {
    item.set_condition(v1::ITEM_CONDITION_DAMAGED);
  } else {
    throw CliError(kExitUsage, "'" + text + "': after the code, ok, thawed or damaged");
  }
  return item;
}

void AddShipCreateCommand(CLI::App* ship, Cli& cli) {
  struct CreateArgs {
    std::string from;
    ShipmentArgs shipment;
  };
  auto c = std::make_shared<CreateArgs>();
  auto* create = ship->add_subcommand("create", "A draft shipment from one of your sites");
  create->add_option("--from", c->from, "origin site code")->required();
  AddShipmentOptions(create, c->shipment);
  cli.OnRun(create, [&cli, c] {
    v1::CreateShipmentRequest r;
    r.set_from_site_code(Trim(c->from));
    FillShipment(c->shipment, &r);
    const v1::CreateShipmentResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::CreateShipment, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    return 0;
  });
}

void AddShipAddCommand(CLI::App* ship, Cli& cli) {
  struct AddArgs {
    std::string id;
    std::vector<std::string> codes, boxes;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = ship->add_subcommand("add", "Put tubes (or whole boxes) on a draft");
  add->add_option("SHIPMENT", a->id, "shipment id")->required();
  add->add_option("CODE", a->codes, "tube barcodes");
  add->add_option("--box", a->boxes, "every tube of this box (id), as packed")->type_name("BOX");
  cli.OnRun(add, [&cli, a] {
    v1::AddShipmentItemsRequest r;
    r.set_shipment_id(Trim(a->id));
    for (const auto& code : a->codes) r.add_barcodes(Trim(code));
    for (const auto& box : a->boxes) r.add_box_ids(Trim(box));
    const v1::AddShipmentItemsResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::AddShipmentItems, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    std::cout << "Added " << resp.added_size() << " tubes; shipment " << resp.shipment().id()
              << " now holds " << resp.shipment().item_count() << "\n";
    return 0;
  });
}

void AddShipDispatchCommand(CLI::App* ship, Cli& cli) {
  auto id = std::make_shared<std::string>();
  auto* dispatch = ship->add_subcommand("dispatch", "Freeze the manifest: every tube SHIPPED");
  dispatch->add_option("SHIPMENT", *id, "shipment id")->required();
  cli.OnRun(dispatch, [&cli, id] {
    v1::DispatchShipmentRequest r;
    r.set_shipment_id(Trim(*id));
    const v1::DispatchShipmentResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::DispatchShipment, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    return 0;
  });
}

void AddShipExportCommand(CLI::App* ship, Cli& cli) {
  struct ExportArgs {
    std::string id, json, csv, pdf;
  };
  auto e = std::make_shared<ExportArgs>();
  auto* exp = ship->add_subcommand("export", "The manifest: JSON for the receiving LIMS, CSV and a "
                                             "PDF packing list for people");
  exp->add_option("SHIPMENT", e->id, "shipment id")->required();
  exp->add_option("--json", e->json, "write the manifest (send it to the receiver) to FILE")->required();
  exp->add_option("--csv", e->csv, "write one line per tube to FILE");
  exp->add_option("--pdf", e->pdf, "write the packing list to put in the box to FILE");
  cli.OnRun(exp, [&cli, e] {
    v1::ExportManifestRequest r;
    r.set_shipment_id(Trim(e->id));
    r.set_packing_list_pdf(!e->pdf.empty());  // drawn by the server
    const v1::ExportManifestResponse resp =
        cli.client().Read(&Client::shipments, &v1::ShipmentService::Stub::ExportManifest, r);
    WriteWholeFile(e->json, resp.manifest_json());
    if (!e->csv.empty()) WriteWholeFile(e->csv, resp.manifest_csv());
    if (!e->pdf.empty()) WriteWholeFile(e->pdf, resp.packing_list_pdf());
    std::cout << "Wrote " << e->json << (e->csv.empty() ? "" : ", " + e->csv)
              << (e->pdf.empty() ? "" : ", " + e->pdf) << "\n";
    return 0;
  });
}

void AddShipImportCommand(CLI::App* ship, Cli& cli) {
  struct ImportArgs {
    std::string file, site;
  };
  auto im = std::make_shared<ImportArgs>();
  auto* imp = ship->add_subcommand("import", "On the receiving LIMS: the manifest's tubes expected");
  imp->add_option("FILE", im->file, "the manifest JSON")->required()->check(CLI::ExistingFile);
  imp->add_option("--site", im->site, "the receiving site (default: yours, if you work at one)");
  cli.OnRun(imp, [&cli, im] {
    v1::ImportManifestRequest r;
    r.set_manifest_json(ReadWholeFile(im->file));
    r.set_receiving_site_code(Trim(im->site));
    const v1::ImportManifestResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::ImportManifest, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    std::cout << "Signed by key " << resp.signer_fingerprint() << " ("
              << (resp.signer_site_codes().empty()
                      ? "this installation's own"
                      : "trusted for " + absl::StrJoin(resp.signer_site_codes(), ", "))
              << ")\nNew here: " << resp.sites_created() << " sites, " << resp.patients_created()
              << " patients, " << resp.protocols_created() << " protocols, "
              << resp.enrollments_created() << " enrollments\n";
    return 0;
  });
}

void AddShipReceiveCommand(CLI::App* ship, Cli& cli) {
  struct ReceiveArgs {
    std::string id;
    std::vector<std::string> codes;
  };
  auto rv = std::make_shared<ReceiveArgs>();
  auto* receive = ship->add_subcommand(
      "receive", "Tubes scanned out of the box (no CODE: one scan a line, 'CODE thawed' or "
                 "'CODE damaged' for a tube in bad shape)");
  receive->add_option("SHIPMENT", rv->id, "incoming shipment id")->required();
  receive->add_option("CODE", rv->codes, "tube barcodes, each optionally followed by :thawed or :damaged");
  cli.OnRun(receive, [&cli, rv] {
    v1::ReceiveShipmentRequest r;
    r.set_shipment_id(Trim(rv->id));
    if (rv->codes.empty()) {
      std::string line;
      while (std::getline(std::cin, line)) {
        if (!Trim(line).empty()) *r.add_items() = ParseScan(line);
      }
    } else {
      for (std::string code : rv->codes) {
        const size_t colon = code.rfind(':');
        if (colon != std::string::npos) code = code.substr(0, colon) + " " + code.substr(colon + 1);
        *r.add_items() = ParseScan(code);
      }
    }
    const v1::ReceiveShipmentResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::ReceiveShipment, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    PrintItems("Received now", resp.received());
    for (const auto& b : resp.already_received()) std::cout << b << ": received before, unchanged\n";
    PrintItems("Still missing", resp.missing());
    PrintItems("Unexpected (not on the manifest)", resp.unexpected());
    return 0;
  });
}

void AddShipResolveCommand(CLI::App* ship, Cli& cli) {
  struct ResolveArgs {
    std::string id, code, reason;
  };
  auto rs = std::make_shared<ResolveArgs>();
  auto* resolve = ship->add_subcommand("resolve", "A reason for a missing, unexpected, thawed or damaged tube");
  resolve->add_option("SHIPMENT", rs->id, "shipment id")->required();
  resolve->add_option("CODE", rs->code, "the tube")->required();
  resolve->add_option("--reason", rs->reason, "what was found out or decided")->required();
  cli.OnRun(resolve, [&cli, rs] {
    v1::ResolveDiscrepancyRequest r;
    r.set_shipment_id(Trim(rs->id));
    r.set_barcode(Trim(rs->code));
    r.set_reason(rs->reason);
    const v1::ResolveDiscrepancyResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::ResolveDiscrepancy, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    std::cout << resp.item().barcode() << ": resolved (" << resp.item().resolution() << ")\n";
    return 0;
  });
}

void AddShipCloseCommand(CLI::App* ship, Cli& cli) {
  auto close_id = std::make_shared<std::string>();
  auto* close = ship->add_subcommand("close", "Close a shipment once every discrepancy has a resolution");
  close->add_option("SHIPMENT", *close_id, "shipment id")->required();
  cli.OnRun(close, [&cli, close_id] {
    v1::CloseShipmentRequest r;
    r.set_shipment_id(Trim(*close_id));
    const v1::CloseShipmentResponse resp =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::CloseShipment, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    return 0;
  });
}

void AddShipShowCommand(CLI::App* ship, Cli& cli) {
  auto show_id = std::make_shared<std::string>();
  auto* show = ship->add_subcommand("show", "A shipment and its tubes");
  show->add_option("SHIPMENT", *show_id, "shipment id")->required();
  cli.OnRun(show, [&cli, show_id] {
    v1::GetShipmentRequest r;
    r.set_shipment_id(Trim(*show_id));
    const v1::GetShipmentResponse resp =
        cli.client().Read(&Client::shipments, &v1::ShipmentService::Stub::GetShipment, r);
    if (PrintedJson(cli.options.json, resp)) return 0;
    PrintShipment(resp.shipment());
    PrintItems("Tubes", resp.items());
    return 0;
  });
}

void AddShipListCommand(CLI::App* ship, Cli& cli) {
  auto* list = ship->add_subcommand("list", "Shipments of your sites");
  cli.OnRun(list, [&cli] {
    auto all = ListAll<v1::ListShipmentsRequest, v1::ListShipmentsResponse>(
        cli.client(), {}, [&](grpc::ClientContext* ctx, const v1::ListShipmentsRequest& r,
                              v1::ListShipmentsResponse* out) {
          return cli.client().shipments().ListShipments(ctx, r, out);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"ID", "DIRECTION", "FROM", "TO", "STATUS", "TUBES"});
    for (const auto& s : all.shipments()) {
      table.AddRow({s.id(), s.direction() == v1::SHIPMENT_DIRECTION_INCOMING ? "in" : "out",
                    s.from_site_code(), s.destination(), ShipmentStatusText(s.status()),
                    std::to_string(s.item_count())});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace

void AddShipCommands(CLI::App& app, Cli& cli) {
  auto* ship = app.add_subcommand("ship",
                                  "Shipments between centres: pack, dispatch, export; "
                                  "import, receive, resolve, close");
  ship->require_subcommand(1);
  AddShipCreateCommand(ship, cli);
  AddShipAddCommand(ship, cli);
  AddShipDispatchCommand(ship, cli);
  AddShipExportCommand(ship, cli);
  AddShipImportCommand(ship, cli);
  AddShipReceiveCommand(ship, cli);
  AddShipResolveCommand(ship, cli);
  AddShipCloseCommand(ship, cli);
  AddShipShowCommand(ship, cli);
  AddShipListCommand(ship, cli);
}

}  // namespace lims::cli
