// lims storage update|move|capacity|free|history: a freezer's settings, moving racks and boxes
// with their tubes, capacity and empty positions, where tubes were (StorageService).
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "cli.h"
#include "display.h"
#include "lims/core/csv_writer.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

// "-80", "-80.5" or "none" (no alarm on that side).
std::optional<double> TemperatureArg(const std::string& text, const char* option) {
  if (Trim(text) == "none") return std::nullopt;
  double value = 0;
  if (!absl::SimpleAtod(Trim(text), &value)) {
    throw CliError(kExitUsage, std::string(option) + " takes °C (e.g. -70) or none");
  }
  return value;
}

}  // namespace

void AddStorageCareCommands(CLI::App& storage, Cli& cli) {
  struct UpdateArgs {
    std::string id, set_point, low, high, probe, state, reason;
  };
  auto u = std::make_shared<UpdateArgs>();
  auto* update = storage.add_subcommand(
      "update", "A freezer's or room's set point, alarms, probe and state (others kept)");
  update->add_option("ID", u->id, "unit id")->required();
  update->add_option("--set-point", u->set_point, "°C, or none")->type_name("C");
  update->add_option("--low", u->low, "alarm below this °C, or none")->type_name("C");
  update->add_option("--high", u->high, "alarm above this °C, or none")->type_name("C");
  update->add_option("--probe", u->probe, "the monitoring system's sensor name, or none");
  update->add_option("--state", u->state, "in_service, defrosting, out_of_service or backup");
  update->add_option("--reason", u->reason, "why (kept in the audit trail)");
  cli.OnRun(update, [&cli, u] {
    const v1::StorageUnit current = GetUnit(cli.client(), u->id).unit();
    v1::UpdateStorageUnitRequest request;
    request.set_unit_id(current.id());
    auto keep_or_set = [](const std::string& arg, const char* option, bool has, double value,
                          auto set, auto clear) {
      const std::optional<double> next = arg.empty()
                                             ? (has ? std::optional<double>(value) : std::nullopt)
                                             : TemperatureArg(arg, option);
      next ? set(*next) : clear();
    };
    keep_or_set(
        u->set_point, "--set-point", current.has_set_point_celsius(), current.set_point_celsius(),
        [&](double v) { request.set_set_point_celsius(v); },
        [&] { request.clear_set_point_celsius(); });
    keep_or_set(
        u->low, "--low", current.has_alarm_low_celsius(), current.alarm_low_celsius(),
        [&](double v) { request.set_alarm_low_celsius(v); },
        [&] { request.clear_alarm_low_celsius(); });
    keep_or_set(
        u->high, "--high", current.has_alarm_high_celsius(), current.alarm_high_celsius(),
        [&](double v) { request.set_alarm_high_celsius(v); },
        [&] { request.clear_alarm_high_celsius(); });
    request.set_probe_id(u->probe.empty() ? current.probe_id()
                                          : (Trim(u->probe) == "none" ? "" : Trim(u->probe)));
    if (!u->state.empty()) {
      v1::UnitState state;
      if (!v1::UnitState_Parse("UNIT_STATE_" + absl::AsciiStrToUpper(Trim(u->state)), &state) ||
          state == v1::UNIT_STATE_UNSPECIFIED) {
        throw CliError(kExitUsage,
                       "--state takes in_service, defrosting, out_of_service or backup");
      }
      request.set_state(state);
    }
    request.set_reason(u->reason);
    const auto response = cli.client().Mutate(
        &Client::storage, &v1::StorageService::Stub::UpdateStorageUnit, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Updated " << response.unit().path() << "\n";
    return 0;
  });

  auto move = std::make_shared<v1::MoveStorageUnitRequest>();
  auto* mover = storage.add_subcommand(
      "move", "A rack or box with its tubes (in their positions) to another parent");
  mover
      ->add_option_function<std::string>(
          "ID", [move](const std::string& v) { move->set_unit_id(Trim(v)); }, "unit id")
      ->required();
  mover
      ->add_option_function<std::string>(
          "NEW_PARENT_ID", [move](const std::string& v) { move->set_new_parent_id(Trim(v)); },
          "where it goes")
      ->required();
  mover
      ->add_option_function<std::string>(
          "--reason", [move](const std::string& v) { move->set_reason(v); },
          "why (an evacuation, a reorganisation)")
      ->required();
  cli.OnRun(mover, [&cli, move] {
    const auto response =
        cli.client().Mutate(&Client::storage, &v1::StorageService::Stub::MoveStorageUnit, *move);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Moved to " << response.unit().path() << " with " << response.tubes_moved()
              << " tubes.\n";
    return 0;
  });

  auto capacity_id = std::make_shared<std::string>();
  auto csv = std::make_shared<bool>(false);
  auto* capacity = storage.add_subcommand(
      "capacity", "Positions in all, occupied and free for a unit and everything below it");
  capacity->add_option("ID", *capacity_id, "unit id (a site's root: the whole site)")->required();
  capacity->add_flag("--csv", *csv, "as CSV (unit_id,path,kind,positions,occupied,free)");
  cli.OnRun(capacity, [&cli, capacity_id, csv] {
    v1::GetCapacityRequest request;
    request.set_unit_id(Trim(*capacity_id));
    const auto response =
        cli.client().Read(&Client::storage, &v1::StorageService::Stub::GetCapacity, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    if (*csv) {
      std::cout << "unit_id,path,kind,positions,occupied,free\r\n";
      for (const auto& r : response.rows()) {
        std::cout << r.unit_id() << "," << CsvField(r.path()) << "," << KindName(r.kind()) << ","
                  << r.positions() << "," << r.occupied() << "," << r.positions() - r.occupied()
                  << "\r\n";
      }
      return 0;
    }
    Table table({"UNIT", "POSITIONS", "OCCUPIED", "FREE", "USED"});
    for (int i = 1; i < 5; ++i) table.AlignRight(i);
    for (const auto& r : response.rows()) {
      const double percent = r.positions() ? 100.0 * r.occupied() / r.positions() : 0;
      table.AddRow(
          {std::string(2 * r.depth(), ' ') + KindName(r.kind()) + " " +
               r.path().substr(r.path().rfind('/') == std::string::npos ? 0
                                                                        : r.path().rfind('/') + 2),
           std::to_string(r.positions()), std::to_string(r.occupied()),
           std::to_string(r.positions() - r.occupied()), absl::StrFormat("%.0f%%", percent)});
    }
    table.Print(std::cout);
    return 0;
  });

  auto find = std::make_shared<v1::FindFreePositionsRequest>();
  auto* free = storage.add_subcommand("free", "Empty positions at a site, together if possible");
  free->add_option_function<std::string>(
          "--site", [find](const std::string& v) { find->set_site_code(Trim(v)); }, "site code")
      ->required();
  free->add_option_function<std::string>(
          "--layout",
          [find](const std::string& v) {
            int rows = 0, columns = 0;
            if (std::sscanf(v.c_str(), "%dx%d", &rows, &columns) != 2) {
              throw CLI::ValidationError("--layout", "give ROWSxCOLUMNS, e.g. 9x9");
            }
            find->set_rows(rows);
            find->set_columns(columns);
          },
          "box layout, e.g. 9x9")
      ->required();
  free->add_option_function<int>(
          "--count", [find](const int& v) { find->set_count(v); }, "how many positions")
      ->required();
  cli.OnRun(free, [&cli, find] {
    const auto response =
        cli.client().Read(&Client::storage, &v1::StorageService::Stub::FindFreePositions, *find);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << response.positions_size() << " free positions"
              << (response.together() ? ", all in one box" : "") << "\n";
    Table table({"POSITION", "BOX", "BOX ID"});
    for (const auto& p : response.positions()) table.AddRow({p.position(), p.path(), p.box_id()});
    table.Print(std::cout);
    return 0;
  });

  struct HistoryArgs {
    std::string barcode, unit, since, until;
  };
  auto h = std::make_shared<HistoryArgs>();
  auto* history = storage.add_subcommand(
      "history", "Where a tube was and when; or every tube in a unit during a window");
  history->add_option("BARCODE", h->barcode, "the tube");
  history->add_option("--unit", h->unit, "instead: the tubes in this unit (at any depth)");
  history->add_option("--since", h->since, "from this date or time")->type_name("TIME");
  history->add_option("--until", h->until, "before this date or time")->type_name("TIME");
  cli.OnRun(history, [&cli, h] {
    v1::GetLocationHistoryRequest request;
    request.set_barcode(Trim(h->barcode));
    request.set_unit_id(Trim(h->unit));
    ParseBound(h->since, "--since", request.mutable_since());
    ParseBound(h->until, "--until", request.mutable_until());
    const auto response =
        cli.client().Read(&Client::storage, &v1::StorageService::Stub::GetLocationHistory, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    Table table({"TUBE", "FROM", "TO", "POSITION", "BOX"});
    for (const auto& e : response.entries()) {
      table.AddRow({e.barcode(), FormatTimestamp(e.from()),
                    e.has_to() ? FormatTimestamp(e.to()) : "now", e.position(), e.path()});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace lims::cli
