// lims product register|ship|receive|store|thaw|return|discard|issue|confirm|infuse|retain|
// chain|list:
// cell-therapy bags followed by their ISBT 128 DIN from the apheresis to the infusion.
#include <iostream>
#include <memory>

#include "cli.h"
#include "display.h"
#include "output.h"
#include "quantity_arg.h"
#include "time_args.h"

namespace lims::cli {
namespace {

std::string Words(const std::string& enum_name, const std::string& prefix) {
  std::string out = enum_name.substr(prefix.size());
  for (char& c : out) c = c == '_' ? ' ' : static_cast<char>(std::tolower(c));
  return out;
}

std::string StatusWords(v1::ProductStatus s) {
  return Words(v1::ProductStatus_Name(s), "PRODUCT_STATUS_");
}

void PrintProduct(const Cli& cli, const v1::Product& p) {
  if (PrintedJson(cli.options.json, p)) return;
  PrintKeyValues(
      std::cout,
      {{"DIN", Style::Bold(p.din_printed())},
       {"COI", p.coi()},
       {"Kind", Words(v1::ProductKind_Name(p.kind()), "PRODUCT_KIND_")},
       {"Status", StatusWords(p.status())},
       {"Patient", p.patient_registry_id()},
       {"Product code", p.product_code()},
       {"Made from", p.source_din()},
       {"Stored in", p.unit_path().empty()
                         ? ""
                         : p.unit_path() + (p.slot() ? ", slot " + std::to_string(p.slot()) : "")},
       {"Expires", p.expires_on()}});
}

// One custody step by hand: lims product <name> DIN [options].
struct StepArgs {
  v1::RecordCustodyEventRequest request;
};

CLI::App* StepCommand(CLI::App& product, Cli& cli, const char* name, const char* help,
                      v1::CustodyEvent event, std::shared_ptr<StepArgs> args) {
  auto* command = product.add_subcommand(name, help);
  command
      ->add_option_function<std::string>(
          "DIN", [args](const std::string& v) { args->request.set_din(v); },
          "the bag's DIN, scanned or typed with its check character")
      ->required();
  cli.OnRun(command, [&cli, args, event] {
    args->request.set_event(event);
    const auto response = cli.client().Mutate(
        &Client::products, &v1::ProductService::Stub::RecordCustodyEvent, args->request);
    PrintProduct(cli, response.product());
    return 0;
  });
  return command;
}

void AddRegister(CLI::App& product, Cli& cli) {
  struct Args {
    v1::RegisterProductRequest request;
    std::string kind, volume;
  };
  auto args = std::make_shared<Args>();
  auto* reg = product.add_subcommand(
      "register",
      "Register a material: lims product register apheresis \"G1234 98 654321 H\" "
      "--patient 1 --enrollment 1 (a product: --from its source's DIN)");
  reg->add_option("KIND", args->kind, "apheresis, hsc, msc, car-t or other")->required();
  reg->add_option_function<std::string>(
         "DIN", [args](const std::string& v) { args->request.set_din(v); },
         "its DIN, as printed with the check character or as scanned")
      ->required();
  reg->add_option_function<std::string>(
         "--patient", [args](const std::string& v) { args->request.set_patient_id(Trim(v)); },
         "patient id")
      ->required();
  reg->add_option_function<std::string>(
         "--enrollment", [args](const std::string& v) { args->request.set_enrollment_id(Trim(v)); },
         "enrollment id")
      ->required();
  reg->add_option_function<std::string>(
      "--timepoint", [args](const std::string& v) { args->request.set_timepoint_code(v); },
      "timepoint code (e.g. D0)");
  reg->add_option_function<std::string>(
      "--code", [args](const std::string& v) { args->request.set_product_code(v); },
      "ISBT 128 product code (E0713V00)");
  reg->add_option("--volume", args->volume, "volume, e.g. 70mL");
  reg->add_option_function<double>(
      "--cells", [args](double v) { args->request.set_cell_count(v); }, "cell count");
  reg->add_option_function<double>(
      "--viability", [args](double v) { args->request.set_viability_percent(v); },
      "viability, per cent");
  reg->add_option_function<std::string>(
      "--batch", [args](const std::string& v) { args->request.set_batch(v); },
      "the manufacturer's batch");
  reg->add_option_function<std::string>(
      "--expires", [args](const std::string& v) { args->request.set_expires_on(Trim(v)); },
      "expiry date, YYYY-MM-DD");
  reg->add_option_function<std::string>(
      "--from", [args](const std::string& v) { args->request.set_source_din(v); },
      "the DIN of the material it was made from (its COI is carried over)");
  cli.OnRun(reg, [&cli, args] {
    std::string kind = args->kind;
    for (char& c : kind) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
    v1::ProductKind parsed;
    if (!v1::ProductKind_Parse("PRODUCT_KIND_" + kind, &parsed) ||
        parsed == v1::PRODUCT_KIND_UNSPECIFIED) {
      throw CliError(kExitUsage, "unknown kind \"" + args->kind +
                                     "\"; kinds: apheresis, hsc, msc, car-t, other");
    }
    args->request.set_kind(parsed);
    if (!args->volume.empty()) *args->request.mutable_volume() = ParseQuantityArg(args->volume);
    const auto response = cli.client().Mutate(
        &Client::products, &v1::ProductService::Stub::RegisterProduct, args->request);
    PrintProduct(cli, response.product());
    return 0;
  });
}

void AddSteps(CLI::App& product, Cli& cli) {
  auto ship = std::make_shared<StepArgs>();
  StepCommand(product, cli, "ship", "Ship a material to the manufacturer",
              v1::CUSTODY_EVENT_SHIPPED_TO_MANUFACTURER, ship)
      ->add_option_function<std::string>(
          "--to", [ship](const std::string& v) { ship->request.set_destination(v); },
          "the manufacturer")
      ->required();
  auto receive = std::make_shared<StepArgs>();
  auto* r = StepCommand(product, cli, "receive",
                        "Receive a bag, checked against the COI and patient its papers name",
                        v1::CUSTODY_EVENT_RECEIVED, receive);
  r->add_option_function<std::string>(
      "--coi", [receive](const std::string& v) { receive->request.set_expected_coi(v); },
      "the COI on the shipment's papers");
  r->add_option_function<std::string>(
      "--patient",
      [receive](const std::string& v) { receive->request.set_expected_patient_registry_id(v); },
      "the patient's registry id on the papers");
  auto store = std::make_shared<StepArgs>();
  auto* s = StepCommand(product, cli, "store", "Store a bag in a canister, cassette or bin",
                        v1::CUSTODY_EVENT_STORED, store);
  s->add_option_function<std::string>(
       "UNIT", [store](const std::string& v) { store->request.set_unit_id(Trim(v)); },
       "the container's id")
      ->required();
  s->add_option_function<int>(
      "--slot", [store](int v) { store->request.set_slot(v); }, "its numbered slot");
  StepCommand(product, cli, "thaw", "Thaw a stored bag", v1::CUSTODY_EVENT_THAWED,
              std::make_shared<StepArgs>());
  for (auto [name, help, event] :
       {std::tuple{"return", "An issued bag back to the lab, unused", v1::CUSTODY_EVENT_RETURNED},
        std::tuple{"discard", "Discard a bag", v1::CUSTODY_EVENT_DISCARDED}}) {
    auto args = std::make_shared<StepArgs>();
    StepCommand(product, cli, name, help, event, args)
        ->add_option_function<std::string>(
            "--reason", [args](const std::string& v) { args->request.set_reason(v); }, "why")
        ->required();
  }
}

void AddIssue(CLI::App& product, Cli& cli) {
  auto issue = std::make_shared<v1::IssueProductRequest>();
  auto* i = product.add_subcommand(
      "issue", "Issue a thawed bag for infusion: its DIN and the patient's registry id scanned");
  i->add_option_function<std::string>(
       "DIN", [issue](const std::string& v) { issue->set_din(v); }, "the bag's DIN")
      ->required();
  i->add_option_function<std::string>(
       "PATIENT", [issue](const std::string& v) { issue->set_patient_registry_id(v); },
       "the registry id on the prescription")
      ->required();
  cli.OnRun(i, [&cli, issue] {
    const auto response =
        cli.client().Mutate(&Client::products, &v1::ProductService::Stub::IssueProduct, *issue);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Issue " << response.issue_id() << ": " << response.product().din_printed()
              << " for " << response.product().patient_registry_id()
              << ". A second person confirms it: lims product confirm " << response.issue_id()
              << "\n";
    return 0;
  });
  auto confirm = std::make_shared<v1::ConfirmIssueRequest>();
  auto* c = product.add_subcommand("confirm", "The second person's check of an issue");
  c->add_option_function<std::string>(
       "ISSUE", [confirm](const std::string& v) { confirm->set_issue_id(Trim(v)); }, "issue id")
      ->required();
  cli.OnRun(c, [&cli, confirm] {
    const auto response =
        cli.client().Mutate(&Client::products, &v1::ProductService::Stub::ConfirmIssue, *confirm);
    PrintProduct(cli, response.product());
    return 0;
  });
  auto infuse = std::make_shared<v1::RecordInfusionRequest>();
  auto* f = product.add_subcommand("infuse", "Record the infusion of an issued bag");
  f->add_option_function<std::string>(
       "DIN", [infuse](const std::string& v) { infuse->set_din(v); }, "the bag's DIN")
      ->required();
  cli.OnRun(f, [&cli, infuse] {
    const auto response =
        cli.client().Mutate(&Client::products, &v1::ProductService::Stub::RecordInfusion, *infuse);
    PrintProduct(cli, response.product());
    return 0;
  });
}

void AddRetain(CLI::App& product, Cli& cli) {
  struct Args {
    v1::DeriveProductSamplesRequest request;
    std::string each;
  };
  auto args = std::make_shared<Args>();
  auto* retain = product.add_subcommand(
      "retain", "Retention or QC tubes taken from a bag (they carry its COI)");
  retain
      ->add_option_function<std::string>(
          "DIN", [args](const std::string& v) { args->request.set_din(v); }, "the bag's DIN")
      ->required();
  retain
      ->add_option_function<std::string>(
          "--type", [args](const std::string& v) { args->request.set_sample_type(v); },
          "SPREC sample type, e.g. CEL")
      ->required();
  retain
      ->add_option_function<int>(
          "--count", [args](int v) { args->request.set_count(v); }, "how many tubes (1..20)")
      ->required();
  retain->add_option("--each", args->each, "quantity in each tube, e.g. 0.5mL")->required();
  cli.OnRun(retain, [&cli, args] {
    *args->request.mutable_quantity_each() = ParseQuantityArg(args->each);
    const auto response = cli.client().Mutate(
        &Client::products, &v1::ProductService::Stub::DeriveProductSamples, args->request);
    if (PrintedJson(cli.options.json, response)) return 0;
    for (const auto& s : response.samples()) {
      std::cout << s.barcode() << "  " << s.sample_type() << "  " << s.coi() << "\n";
    }
    return 0;
  });
}

void AddChainAndList(CLI::App& product, Cli& cli) {
  auto chain = std::make_shared<v1::GetChainOfIdentityRequest>();
  auto* c = product.add_subcommand("chain", "The chain of identity: every material and event");
  auto* coi = c->add_option_function<std::string>(
      "--coi", [chain](const std::string& v) { chain->set_coi(v); }, "a COI");
  auto* din = c->add_option_function<std::string>(
      "--din", [chain](const std::string& v) { chain->set_din(v); }, "any DIN of the therapy");
  auto* patient = c->add_option_function<std::string>(
      "--patient", [chain](const std::string& v) { chain->set_patient_registry_id(v); },
      "the patient's registry id (their latest therapy)");
  coi->excludes(din)->excludes(patient);
  din->excludes(patient);
  cli.OnRun(c, [&cli, chain] {
    const auto response =
        cli.client().Read(&Client::products, &v1::ProductService::Stub::GetChainOfIdentity, *chain);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << response.coi() << ", patient " << response.patient_registry_id() << "\n\n";
    Table materials({"DIN", "KIND", "STATUS", "MADE FROM", "STORED IN"});
    for (const auto& m : response.materials()) {
      materials.AddRow({m.din(), Words(v1::ProductKind_Name(m.kind()), "PRODUCT_KIND_"),
                        StatusWords(m.status()), m.source_din(),
                        m.unit_path() + (m.slot() ? ", slot " + std::to_string(m.slot()) : "")});
    }
    materials.Print(std::cout);
    std::cout << "\n";
    Table events({"WHEN", "WHO", "EVENT", "DIN", "WHERE", "WHY"});
    for (const auto& e : response.events()) {
      events.AddRow({FormatTimestamp(e.at()), e.actor(),
                     Words(v1::CustodyEvent_Name(e.event()), "CUSTODY_EVENT_"), e.din(), e.where(),
                     e.why()});
    }
    events.Print(std::cout);
    for (const auto& other : response.other_cois()) {
      std::cout << "Earlier therapy: " << other << "\n";
    }
    return 0;
  });
  struct ListArgs {
    v1::ListProductsRequest request;
    std::string status;
  };
  auto list = std::make_shared<ListArgs>();
  auto* l = product.add_subcommand("list", "Products of your sites (--status stored: LN2 stock)");
  l->add_option("--status", list->status, "e.g. stored, thawed, issued");
  l->add_option_function<std::string>(
      "--patient", [list](const std::string& v) { list->request.set_patient_registry_id(v); },
      "one patient's");
  cli.OnRun(l, [&cli, list] {
    if (!list->status.empty()) {
      std::string name = "PRODUCT_STATUS_" + list->status;
      for (char& c : name) c = c == ' ' || c == '-' ? '_' : static_cast<char>(std::toupper(c));
      v1::ProductStatus status;
      if (!v1::ProductStatus_Parse(name, &status)) {
        throw CliError(kExitUsage, "unknown status \"" + list->status + "\"");
      }
      list->request.set_status(status);
    }
    const auto all = ListAll<v1::ListProductsRequest, v1::ListProductsResponse>(
        cli.client(), list->request,
        [&cli](grpc::ClientContext* context, const v1::ListProductsRequest& request,
               v1::ListProductsResponse* response) {
          return cli.client().products().ListProducts(context, request, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"DIN", "COI", "PATIENT", "STATUS", "STORED IN"});
    for (const auto& p : all.products()) {
      table.AddRow({p.din_printed(), p.coi(), p.patient_registry_id(), StatusWords(p.status()),
                    p.unit_path() + (p.slot() ? ", slot " + std::to_string(p.slot()) : "")});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace

void AddProductCommands(CLI::App& app, Cli& cli) {
  auto* product =
      app.add_subcommand("product", "Cell-therapy bags, from the apheresis to the infusion");
  product->require_subcommand(1);
  AddRegister(*product, cli);
  AddSteps(*product, cli);
  AddIssue(*product, cli);
  AddRetain(*product, cli);
  AddChainAndList(*product, cli);
}

}  // namespace lims::cli
