// lims readings import FILE, lims excursions, lims excursion show|ack: freezer temperatures and
// the excursions found in them.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "cli.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

constexpr auto kBulkDeadline = std::chrono::minutes(10);

std::string Celsius(double value) { return absl::StrFormat("%.1f °C", value); }

void PrintExcursions(const v1::ListExcursionsResponse& list) {
  if (list.excursions().empty()) {
    std::cout << "No excursion.\n";
    return;
  }
  Table table({"ID", "UNIT", "SIDE", "START", "END", "PEAK", "MINUTES", "ACK"});
  table.AlignRight(0);
  for (const auto& e : list.excursions()) {
    table.AddRow({e.id(), e.unit_path(), e.side(), FormatTimestamp(e.start()),
                  e.has_end() ? FormatTimestamp(e.end()) : "open", Celsius(e.peak_celsius()),
                  absl::StrFormat("%.0f", e.minutes_beyond()),
                  e.acknowledged() ? e.acknowledgement().by() : "-"});
  }
  table.Print(std::cout);
}

void AddReadingsGroup(CLI::App& app, Cli& cli) {
  auto* readings = app.add_subcommand("readings", "Freezer temperatures from monitoring systems");
  readings->require_subcommand(1);
  struct Args {
    std::string file, zone;
    bool dry_run = false;
  };
  auto args = std::make_shared<Args>();
  auto* import = readings->add_subcommand(
      "import",
      "A monitoring system's CSV export (time, probe, °C); any bad line: nothing changes");
  import->add_option("FILE", args->file, "the CSV export")->required();
  import->add_option(
      "--tz", args->zone,
      "time zone of times written without an offset (e.g. Europe/Paris; default UTC)");
  import->add_flag("--dry-run", args->dry_run, "check and count, change nothing");
  cli.OnRun(import, [&cli, args] {
    v1::ImportReadingsCsvRequest request;
    request.set_csv(ReadWholeFile(args->file));
    request.set_time_zone(Trim(args->zone));
    request.set_dry_run(args->dry_run);
    request.set_request_id(cli.client().RequestId());
    v1::ImportReadingsCsvResponse response;
    cli.client().Call(
        [&](grpc::ClientContext* context) {
          context->set_deadline(std::chrono::system_clock::now() + kBulkDeadline);
          return cli.client().monitoring().ImportReadingsCsv(context, request, &response);
        },
        request.request_id());
    const int code = response.errors().empty() ? 0 : static_cast<int>(kExitInvalidArgument);
    if (PrintedJson(cli.options.json, response)) return code;
    if (code != 0) {
      std::cout << args->file << ": " << response.errors_size()
                << " bad lines; nothing was changed. Correct the file and import it again.\n";
      for (const auto& error : response.errors()) {
        std::cout << "line " << error.line() << ": " << error.message() << "\n";
      }
      return code;
    }
    std::cout << response.rows_accepted() << " readings read"
              << (args->dry_run
                      ? " (dry run: nothing stored)"
                      : absl::StrFormat(", %d new; %d excursions open", response.readings_new(),
                                        response.excursions_open()))
              << "\n";
    return 0;
  });
}

void AddExcursionCommands(CLI::App& app, Cli& cli) {
  auto list_request = std::make_shared<v1::ListExcursionsRequest>();
  auto* list = app.add_subcommand("excursions", "Temperature excursions, newest first");
  list->add_option_function<std::string>(
      "--unit", [list_request](const std::string& v) { list_request->set_unit_id(Trim(v)); },
      "of this unit (a rack or box: of the units holding it)");
  list->add_flag_function(
      "--open", [list_request](int64_t) { list_request->set_open_only(true); },
      "only those still going on");
  cli.OnRun(list, [&cli, list_request] {
    list_request->set_page_size(500);
    const auto response = cli.client().Read(
        &Client::monitoring, &v1::MonitoringService::Stub::ListExcursions, *list_request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintExcursions(response);
    return 0;
  });

  auto* excursion = app.add_subcommand("excursion", "One excursion: its tubes, its investigation");
  excursion->require_subcommand(1);
  auto show_id = std::make_shared<std::string>();
  auto* show = excursion->add_subcommand("show", "The excursion and every tube it reached");
  show->add_option("ID", *show_id, "excursion id")->required();
  cli.OnRun(show, [&cli, show_id] {
    v1::GetExcursionRequest request;
    request.set_excursion_id(Trim(*show_id));
    const auto response =
        cli.client().Read(&Client::monitoring, &v1::MonitoringService::Stub::GetExcursion, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    const v1::Excursion& e = response.excursion();
    PrintKeyValues(std::cout,
                   {{"Unit", e.unit_path()},
                    {"Beyond", absl::StrFormat("%s %s", e.side() == "high" ? "above" : "below",
                                               Celsius(e.threshold_celsius()))},
                    {"From", FormatTimestamp(e.start())},
                    {"To", e.has_end() ? FormatTimestamp(e.end()) : "still open"},
                    {"Peak", Celsius(e.peak_celsius())},
                    {"Minutes beyond", absl::StrFormat("%.0f", e.minutes_beyond())},
                    {"Degree-minutes", absl::StrFormat("%.0f", e.degree_minutes())},
                    {"Acknowledged", e.acknowledged() ? e.acknowledgement().by() + ": " +
                                                            e.acknowledgement().cause()
                                                      : "no"}});
    std::cout << "\n" << response.exposed_size() << " tubes exposed\n";
    Table table({"TUBE", "MINUTES EXPOSED", "PEAK °C"});
    for (const auto& tube : response.exposed()) {
      table.AddRow({tube.barcode(), absl::StrFormat("%.0f", tube.minutes_exposed()),
                    absl::StrFormat("%.1f", tube.peak_celsius())});
    }
    table.Print(std::cout);
    return 0;
  });

  auto ack = std::make_shared<v1::AcknowledgeExcursionRequest>();
  auto* acknowledge = excursion->add_subcommand("ack", "Record the investigation (managers)");
  acknowledge
      ->add_option_function<std::string>(
          "ID", [ack](const std::string& v) { ack->set_excursion_id(Trim(v)); }, "excursion id")
      ->required();
  acknowledge
      ->add_option_function<std::string>(
          "--cause", [ack](const std::string& v) { ack->set_cause(v); }, "what happened")
      ->required();
  acknowledge
      ->add_option_function<std::string>(
          "--impact", [ack](const std::string& v) { ack->set_impact(v); }, "what it did to samples")
      ->required();
  acknowledge
      ->add_option_function<std::string>(
          "--action", [ack](const std::string& v) { ack->set_corrective_action(v); },
          "the corrective action")
      ->required();
  cli.OnRun(acknowledge, [&cli, ack] {
    const auto response = cli.client().Mutate(
        &Client::monitoring, &v1::MonitoringService::Stub::AcknowledgeExcursion, *ack);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Excursion " << response.excursion().id() << " acknowledged.\n";
    return 0;
  });
}

template <typename Plan>
int PrintPlan(const Cli& cli, const Plan& plan, const std::string& title) {
  if (PrintedJson(cli.options.json, plan)) return 0;
  std::cout << title << " " << plan.plan_id() << ": " << plan.moves_size()
            << " units to move, most critical first, withdrawn consent last\n\n";
  Table table({"#", "LABEL", "UNIT", "FROM", "TO", "TUBES", "CRITICAL", "WITHDRAWN", "DONE"});
  int n = 0;
  for (const auto& m : plan.moves()) {
    table.AddRow({std::to_string(++n), m.label_code(), m.unit_name(), m.from_path(),
                  m.to_path() + " (#" + m.to_parent_id() + ")", std::to_string(m.tubes()),
                  std::to_string(m.critical_tubes()), std::to_string(m.withdrawn_tubes()),
                  m.done() ? "yes" : ""});
  }
  table.Print(std::cout);
  std::cout << "\nCarry out each line as its unit goes into place: lims evacuation move "
            << plan.plan_id() << " LABEL (the scanned label)\n";
  return 0;
}

void AddEvacuationCommands(CLI::App& app, Cli& cli) {
  auto* evacuation =
      app.add_subcommand("evacuation", "Moving a freezer's racks into a backup freezer");
  evacuation->require_subcommand(1);
  auto request = std::make_shared<v1::PlanEvacuationRequest>();
  auto* plan =
      evacuation->add_subcommand("plan", "Plan the moves of FROM's racks and boxes into TO");
  plan->add_option_function<std::string>(
          "FROM", [request](const std::string& v) { request->set_from_unit_id(Trim(v)); },
          "the freezer to empty")
      ->required();
  plan->add_option_function<std::string>(
          "TO", [request](const std::string& v) { request->set_to_unit_id(Trim(v)); },
          "the backup freezer")
      ->required();
  cli.OnRun(plan, [&cli, request] {
    const auto response = cli.client().Mutate(
        &Client::monitoring, &v1::MonitoringService::Stub::PlanEvacuation, *request);
    return PrintPlan(cli, response, "Evacuation plan");
  });
  auto back = std::make_shared<v1::PlanEvacuationRequest>();
  auto* put_back =
      evacuation->add_subcommand("put-back", "Plan the way back of a plan's moves done");
  put_back
      ->add_option_function<std::string>(
          "PLAN", [back](const std::string& v) { back->set_put_back_plan_id(Trim(v)); }, "plan id")
      ->required();
  cli.OnRun(put_back, [&cli, back] {
    const auto response = cli.client().Mutate(&Client::monitoring,
                                              &v1::MonitoringService::Stub::PlanEvacuation, *back);
    return PrintPlan(cli, response, "Put-back plan");
  });
  struct ShowArgs {
    v1::GetEvacuationPlanRequest request;
    std::string pdf;
  };
  auto get = std::make_shared<ShowArgs>();
  auto* show = evacuation->add_subcommand("show", "A plan and how far it got");
  show->add_option_function<std::string>(
          "PLAN", [get](const std::string& v) { get->request.set_plan_id(Trim(v)); }, "plan id")
      ->required();
  show->add_option("--pdf", get->pdf, "write the printable pick list to FILE");
  cli.OnRun(show, [&cli, get] {
    get->request.set_pick_list_pdf(!get->pdf.empty());  // drawn by the server
    auto response = cli.client().Read(
        &Client::monitoring, &v1::MonitoringService::Stub::GetEvacuationPlan, get->request);
    if (!get->pdf.empty()) {
      WriteWholeFile(get->pdf, response.pick_list_pdf());
      response.clear_pick_list_pdf();
      std::cerr << "Pick list written to " << get->pdf << "\n";
    }
    return PrintPlan(cli, response, "Evacuation plan");
  });
  struct MoveArgs {
    std::string plan;
    std::vector<std::string> labels;
  };
  auto scanned = std::make_shared<MoveArgs>();
  auto* move = evacuation->add_subcommand(
      "move", "Carry out a plan's moves: each LABEL scanned as its rack or box goes into place");
  move->add_option("PLAN", scanned->plan, "plan id")->required();
  move->add_option("LABEL", scanned->labels,
                   "the labels scanned (BOX-<id>); none: one per line from standard input");
  cli.OnRun(move, [&cli, scanned] {
    std::vector<std::string> labels = scanned->labels;
    if (labels.empty()) {
      for (std::string line; std::getline(std::cin, line);) {
        if (!Trim(line).empty()) labels.push_back(Trim(line));
      }
    }
    if (labels.empty()) throw CliError(kExitUsage, "scan at least one label (BOX-<id>)");
    if (labels.size() > 1 && !cli.options.request_id.empty()) {
      throw CliError(kExitUsage, "--request-id names one call: give one LABEL with it");
    }
    // Each scan is its own call: a refused label stops here, the moves before it stay done.
    for (const std::string& label : labels) {
      v1::RecordEvacuationMoveRequest request;
      request.set_plan_id(Trim(scanned->plan));
      request.set_scanned_code(label);
      const auto response = cli.client().Mutate(
          &Client::monitoring, &v1::MonitoringService::Stub::RecordEvacuationMove, request);
      if (PrintedJson(cli.options.json, response)) continue;
      std::cout << response.move().label_code() << " " << response.move().unit_name() << " -> "
                << response.move().from_path() << " (" << response.moves_done() << " of "
                << response.moves_total() << " done)\n";
    }
    return 0;
  });
}

}  // namespace

void AddMonitoringCommands(CLI::App& app, Cli& cli) {
  AddReadingsGroup(app, cli);
  AddExcursionCommands(app, cli);
  AddEvacuationCommands(app, cli);
}

}  // namespace lims::cli
