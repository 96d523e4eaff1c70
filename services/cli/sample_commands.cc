// Collection, derivation, look-up and history of samples (SampleService).
#include <unistd.h>

#include <cctype>
#include <iostream>
#include <string>

#include "cli.h"
#include "display.h"
#include "output.h"
#include "quantity_arg.h"
#include "time_args.h"

namespace lims::cli {
namespace {

// QUANTITY may come as one argument ("4mL") or two ("4 mL" typed without quotes).
v1::Quantity QuantityFromWords(const std::vector<std::string>& words) {
  return ParseQuantityArg(JoinWords(words));
}

std::string UpperCase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

v1::GetSampleResponse GetSample(Client& client, const std::string& barcode) {
  v1::GetSampleRequest request;
  request.set_barcode(Trim(barcode));
  v1::GetSampleResponse response;
  client.Call([&](grpc::ClientContext* context) {
    return client.samples().GetSample(context, request, &response);
  });
  return response;
}

void PrintResolved(const v1::ResolveBarcodeResponse& resolved) {
  const auto& sample = resolved.sample();
  const std::string headline = sample.barcode() + "   " + sample.sample_type() + " " +
                               FormatQuantity(sample.quantity()) + "   " +
                               StatusName(sample.status());
  const std::string rule(DisplayWidth(headline), '=');
  std::cout << rule << "\n" << Style::Bold(headline) << "\n" << rule << "\n";
  const std::string window = WindowText(sample);
  KeyValues lines = {
      {"Patient", resolved.patient_registry_id()},
      {"Protocol", resolved.protocol_code()},
      {"Timepoint", resolved.timepoint_code()},
      {"Consent", resolved.consent_scopes().empty() || resolved.consent_withdrawn()
                      ? Style::Warn(ConsentText(resolved.consent_scopes(),
                                                resolved.consent_withdrawn()))
                      : ConsentText(resolved.consent_scopes(), resolved.consent_withdrawn())},
      {"Window", sample.out_of_window() ? Style::Warn(window) : window},
      {"Freeze-thaw", std::to_string(sample.freeze_thaw_count())},
  };
  if (!sample.sprec().empty()) lines.push_back({"SPREC", sample.sprec()});
  if (!sample.parent_barcode().empty()) lines.push_back({"Parent", sample.parent_barcode()});
  const std::string collected = FormatTimestamp(sample.collected_at());
  if (!collected.empty()) lines.insert(lines.begin() + 3, {"Collected", collected});
  if (resolved.has_location() && !resolved.location().box_id().empty()) {
    const auto& location = resolved.location();
    lines.push_back({"Box", BoxName(location) + "  (#" + location.box_id() + ")"});
    lines.push_back({"Position", Style::Bold(location.position())});
    lines.push_back({"Path", location.path()});
  } else {
    lines.push_back({"Location", "not in a box"});
  }
  PrintKeyValues(std::cout, lines);
}

void AddCollectCommand(CLI::App& app, Cli& cli) {
  struct Args {
    std::string enrollment;
    std::string timepoint;
    std::string sample_type;
    std::vector<std::string> quantity;
    std::string at;
    std::string barcode;
    std::string sprec;
    std::string container;
  };
  auto args = std::make_shared<Args>();
  auto* collect = app.add_subcommand(
      "collect", "Register a primary sample collected from a patient at a protocol timepoint");
  collect->add_option("ENROLLMENT_ID", args->enrollment, "the patient's enrollment")->required();
  collect->add_option("TIMEPOINT", args->timepoint, "timepoint code, e.g. M3")->required();
  collect->add_option("SAMPLE_TYPE", args->sample_type, "SPREC type code, e.g. BLD, SER")
      ->required();
  collect->add_option("QUANTITY", args->quantity, "e.g. 4mL, 500uL, 2e6cells")
      ->required()
      ->expected(1, 2);
  collect
      ->add_option("--at", args->at,
                   "collection time, e.g. 2026-03-01T09:30 (local) or RFC 3339; default now")
      ->type_name("TIME");
  collect->add_option("--barcode", args->barcode, "pre-printed tube code (default: mint an id)");
  collect->add_option("--sprec", args->sprec, "the tube's SPREC code, e.g. SER-SST-X-X-X-X-X");
  collect->add_option("--container", args->container,
                      "SPREC primary container instead of a whole code, e.g. SST, PED, SCI");
  cli.OnRun(collect, [&cli, args] {
    v1::CollectSampleRequest request;
    request.set_enrollment_id(Trim(args->enrollment));
    request.set_timepoint_code(UpperCase(Trim(args->timepoint)));
    request.set_sample_type(UpperCase(Trim(args->sample_type)));
    *request.mutable_quantity() = QuantityFromWords(args->quantity);
    if (args->at.empty()) {
      *request.mutable_collected_at() = NowTimestamp();
    } else {
      *request.mutable_collected_at() = ParseTimeArg(args->at, "--at");
    }
    request.set_barcode(Trim(args->barcode));
    request.set_sprec(Trim(args->sprec));
    request.set_primary_container(UpperCase(Trim(args->container)));
    const v1::CollectSampleResponse response =
        cli.client().Mutate(&Client::samples, &v1::SampleService::Stub::CollectSample, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Collected " << Style::Bold(response.sample().barcode()) << "\n\n";
    PrintKeyValues(std::cout, SampleLines(response.sample()));
    return 0;
  });
}

// `lims sample receive|process|consume|dispose CODE [--reason TEXT]`.
void AddLifecycleCommands(CLI::App& sample, Cli& cli) {
  struct Step {
    const char* name;
    const char* help;
    v1::LifecycleEvent event;
  };
  const Step steps[] = {
      {"receive", "The tube arrived at the biobank", v1::LIFECYCLE_EVENT_RECEIVE},
      {"process", "Processing of the tube started", v1::LIFECYCLE_EVENT_START_PROCESSING},
      {"consume", "The tube was used up (take it out of its box first)",
       v1::LIFECYCLE_EVENT_CONSUME},
      {"dispose", "The tube was destroyed or discarded (its position is freed)",
       v1::LIFECYCLE_EVENT_DISPOSE},
  };
  for (const Step& step : steps) {
    struct Args {
      std::string code;
      std::string reason;
      std::string at;
      std::string held_at;
    };
    auto args = std::make_shared<Args>();
    auto* command = sample.add_subcommand(step.name, step.help);
    command->add_option("CODE", args->code, "barcode")->required();
    command->add_option("--reason", args->reason, "why (required to consume or dispose)");
    command->add_option("--at", args->at, "when it happened, if not now (e.g. 2026-03-01T11:05)")
        ->type_name("TIME");
    if (step.event == v1::LIFECYCLE_EVENT_START_PROCESSING) {
      command
          ->add_option("--held-at", args->held_at,
                       "where the tube waited since collection: room (18-28 °C) or fridge "
                       "(2-10 °C); sets the SPREC pre-centrifugation element")
          ->check(CLI::IsMember({"room", "fridge"}));
    }
    const v1::LifecycleEvent event = step.event;
    cli.OnRun(command, [&cli, args, event] {
      v1::RecordLifecycleEventRequest request;
      request.set_barcode(Trim(args->code));
      request.set_event(event);
      request.set_reason(args->reason);
      if (!args->at.empty()) {
        *request.mutable_occurred_at() = ParseTimeArg(args->at, "--at");
      }
      if (args->held_at == "room") {
        request.set_pre_centrifugation_temperature(v1::HOLDING_TEMPERATURE_ROOM);
      } else if (args->held_at == "fridge") {
        request.set_pre_centrifugation_temperature(v1::HOLDING_TEMPERATURE_REFRIGERATED);
      }
      const v1::RecordLifecycleEventResponse response = cli.client().Mutate(
          &Client::samples, &v1::SampleService::Stub::RecordLifecycleEvent, request);
      if (PrintedJson(cli.options.json, response)) return 0;
      std::cout << Style::Bold(response.sample().barcode()) << " is now "
                << StatusName(response.sample().status());
      if (response.has_previous_location()) {
        std::cout << "; freed " << FormatLocation(response.previous_location());
      }
      if (!args->held_at.empty()) std::cout << "; SPREC " << response.sample().sprec();
      std::cout << "\n";
      return 0;
    });
  }
}

// Every tube of one enrollment (of one timepoint or all), page after page.
void AddListCommand(CLI::App& sample, Cli& cli) {
  auto request = std::make_shared<v1::ListSamplesRequest>();
  auto* list = sample.add_subcommand("list", "The tubes of a patient's enrollment, with places");
  list->add_option_function<std::string>(
          "--patient",
          [request](const std::string& v) { request->set_patient_registry_id(Trim(v)); },
          "the patient's registry id")
      ->required()
      ->type_name("ID");
  list->add_option_function<std::string>(
          "--protocol", [request](const std::string& v) { request->set_protocol_code(Trim(v)); },
          "the protocol they are enrolled in")
      ->required()
      ->type_name("CODE");
  list->add_option_function<std::string>(
          "--timepoint", [request](const std::string& v) { request->set_timepoint_code(Trim(v)); },
          "only this timepoint (default: all)")
      ->type_name("CODE");
  cli.OnRun(list, [&cli, request] {
    Client& client = cli.client();
    const auto all = ListAll<v1::ListSamplesRequest, v1::ListSamplesResponse>(
        client, *request,
        [&](grpc::ClientContext* context, const v1::ListSamplesRequest& r,
            v1::ListSamplesResponse* response) {
          return client.samples().ListSamples(context, r, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"BARCODE", "TIMEPOINT", "TYPE", "QUANTITY", "STATUS", "PARENT", "WHERE"});
    for (const auto& tube : all.samples()) {
      const v1::Sample& s = tube.sample();
      table.AddRow({s.barcode(), s.timepoint_code(), s.sample_type(), FormatQuantity(s.quantity()),
                    StatusName(s.status()), s.parent_barcode(),
                    tube.has_location() ? FormatLocation(tube.location()) : "-"});
    }
    table.Print(std::cout);
    return 0;
  });
}

void AddSampleGroup(CLI::App& app, Cli& cli) {
  auto* sample = app.add_subcommand(
      "sample", "Derive aliquots, show a sample, record receipt, processing, use or disposal");
  sample->require_subcommand(1);

  struct DeriveArgs {
    std::string parent;
    std::string sample_type;
    int count = 0;
    std::vector<std::string> quantity;
    std::vector<std::string> barcodes;
  };
  auto derive_args = std::make_shared<DeriveArgs>();
  auto* derive = sample->add_subcommand(
      "derive", "Make COUNT derived tubes (aliquots, plasma, PBMC...) from a parent tube");
  derive->add_option("PARENT_BARCODE", derive_args->parent, "the tube they come from")->required();
  derive->add_option("SAMPLE_TYPE", derive_args->sample_type, "SPREC type code, e.g. SER")
      ->required();
  derive->add_option("COUNT", derive_args->count, "how many tubes")
      ->required()
      ->check(CLI::PositiveNumber);
  derive->add_option("QUANTITY_EACH", derive_args->quantity, "e.g. 500uL")
      ->required()
      ->expected(1, 2);
  derive
      ->add_option("--barcodes", derive_args->barcodes,
                   "pre-printed codes of the new tubes, comma-separated, exactly COUNT")
      ->delimiter(',')
      ->type_name("A,B,C");
  cli.OnRun(derive, [&cli, derive_args] {
    v1::DeriveSamplesRequest request;
    request.set_parent_barcode(Trim(derive_args->parent));
    request.set_sample_type(UpperCase(Trim(derive_args->sample_type)));
    request.set_count(derive_args->count);
    *request.mutable_quantity_each() = QuantityFromWords(derive_args->quantity);
    for (const auto& barcode : derive_args->barcodes) {
      if (!Trim(barcode).empty()) request.add_barcodes(Trim(barcode));
    }
    if (request.barcodes_size() != 0 && request.barcodes_size() != derive_args->count) {
      throw CliError(kExitUsage, "--barcodes lists " + std::to_string(request.barcodes_size()) +
                                     " code" + (request.barcodes_size() == 1 ? "" : "s") + " for " +
                                     std::to_string(derive_args->count) +
                                     " tubes; give exactly one per tube");
    }
    const v1::DeriveSamplesResponse response =
        cli.client().Mutate(&Client::samples, &v1::SampleService::Stub::DeriveSamples, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << response.samples_size() << " tube" << (response.samples_size() == 1 ? "" : "s")
              << " derived from " << Style::Bold(request.parent_barcode()) << ":\n\n";
    Table table({"BARCODE", "TYPE", "QUANTITY", "STATUS"});
    for (const auto& s : response.samples()) {
      table.AddRow(
          {s.barcode(), s.sample_type(), FormatQuantity(s.quantity()), StatusName(s.status())});
    }
    table.Print(std::cout);
    if (response.has_parent()) {
      std::cout << "\nParent " << response.parent().barcode()
                << " now: " << FormatQuantity(response.parent().quantity()) << ", "
                << StatusName(response.parent().status()) << "\n";
    }
    return 0;
  });

  struct SprecArgs {
    std::string code;
    std::string sprec;
    std::string reason;
  };
  auto sprec_args = std::make_shared<SprecArgs>();
  auto* sprec = sample->add_subcommand("sprec", "Correct a tube's SPREC pre-analytical code");
  sprec->add_option("CODE", sprec_args->code, "barcode")->required();
  sprec->add_option("SPREC", sprec_args->sprec, "the whole code, e.g. SER-SST-A-D-N-A-B")
      ->required();
  sprec->add_option("--reason", sprec_args->reason, "why it changes")->required();
  cli.OnRun(sprec, [&cli, sprec_args] {
    v1::SetSampleSprecRequest request;
    request.set_barcode(Trim(sprec_args->code));
    request.set_sprec(Trim(sprec_args->sprec));
    request.set_reason(sprec_args->reason);
    const v1::SetSampleSprecResponse response =
        cli.client().Mutate(&Client::samples, &v1::SampleService::Stub::SetSampleSprec, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << Style::Bold(response.sample().barcode()) << " SPREC "
              << response.sample().sprec() << "\n";
    return 0;
  });

  auto show_code = std::make_shared<std::string>();
  auto* show = sample->add_subcommand("show", "Everything about one sample");
  show->add_option("CODE", *show_code, "barcode")->required();
  cli.OnRun(show, [&cli, show_code] {
    auto response = GetSample(cli.client(), *show_code);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintKeyValues(std::cout, SampleLines(response.sample()));
    }
    return 0;
  });

  AddListCommand(*sample, cli);
  AddLifecycleCommands(*sample, cli);
}

void AddResolveCommand(CLI::App& app, Cli& cli) {
  auto code = std::make_shared<std::string>();
  auto* resolve = app.add_subcommand(
      "resolve", "Bench look-up of a scanned tube: what, whose, when, where (no CODE: scan mode)");
  resolve->add_option("CODE", *code,
                      "barcode as scanned; without it, reads one scan per line until Ctrl-D");
  cli.OnRun(resolve, [&cli, code] {
    auto resolve_one = [&](const std::string& barcode) {
      v1::ResolveBarcodeRequest request;
      request.set_barcode(barcode);
      const v1::ResolveBarcodeResponse response =
          cli.client().Read(&Client::samples, &v1::SampleService::Stub::ResolveBarcode, request);
      if (cli.options.json) {
        PrintJson(response);
      } else {
        PrintResolved(response);
      }
    };
    if (!code->empty()) {
      resolve_one(Trim(*code));
      return 0;
    }
    // Scan mode: one tube per line (a USB scanner types the code and Enter).
    if (isatty(STDIN_FILENO) && !cli.options.json) {
      std::cerr << "Scan a tube (Ctrl-D to stop).\n";
    }
    int result = 0;
    std::string line;
    while (std::getline(std::cin, line)) {
      const std::string barcode = Trim(line);
      if (barcode.empty()) continue;
      try {
        resolve_one(barcode);
      } catch (const RpcError& error) {
        // Every further scan would fail the same way: stop, and let Cli::Run report it.
        const int code = ExitCodeFor(error.status().error_code());
        if (code == kExitUnreachable || code == kExitUnauthenticated) throw;
        result = ReportRpcError(error.status(), "", cli.options.server);
      }
      if (!cli.options.json) std::cout << std::endl;
    }
    return result;
  });
}

void AddHistoryCommand(CLI::App& app, Cli& cli) {
  auto code = std::make_shared<std::string>();
  auto* history = app.add_subcommand("history", "Who did what to a tube, when and why");
  history->add_option("CODE", *code, "barcode")->required();
  cli.OnRun(history, [&cli, code] {
    v1::GetSampleHistoryRequest request;
    request.set_barcode(Trim(*code));
    const v1::GetSampleHistoryResponse response =
        cli.client().Read(&Client::samples, &v1::SampleService::Stub::GetSampleHistory, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "History of " << Style::Bold(request.barcode()) << "\n\n";
    Table table({"TIME", "ACTOR", "ACTION", "DETAILS", "REASON"});
    for (const auto& event : response.events()) {
      table.AddRow({FormatTimestamp(event.at()), event.actor(), event.action(), event.details(),
                    event.reason()});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace

void AddSampleCommands(CLI::App& app, Cli& cli) {
  AddCollectCommand(app, cli);
  AddSampleGroup(app, cli);
  AddResolveCommand(app, cli);
  AddHistoryCommand(app, cli);
}

}  // namespace lims::cli
