// The storage tree, placements of tubes in boxes, and the picture of a box (StorageService).
#include <cctype>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "cli.h"
#include "display.h"
#include "lims/core/box_layout.h"
#include "lims/core/csv_writer.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

constexpr char kKinds[] = "site, room, freezer, shelf, rack, tower, box";

std::string Layout(const v1::StorageUnit& unit) {
  if (unit.rows() <= 0 || unit.columns() <= 0) return "";
  return std::to_string(unit.rows()) + "\xC3\x97" + std::to_string(unit.columns());
}

v1::GetStorageUnitResponse GetUnit(Client& client, const std::string& id) {
  v1::GetStorageUnitRequest request;
  request.set_id(Trim(id));
  v1::GetStorageUnitResponse response;
  client.Call([&](grpc::ClientContext* context) {
    return client.storage().GetStorageUnit(context, request, &response);
  });
  return response;
}

v1::ListStorageUnitsResponse Children(Client& client, const std::string& parent_id) {
  v1::ListStorageUnitsRequest request;
  request.set_parent_id(parent_id);
  return ListAll<v1::ListStorageUnitsRequest, v1::ListStorageUnitsResponse>(
      client, request,
      [&](grpc::ClientContext* context, const v1::ListStorageUnitsRequest& r,
          v1::ListStorageUnitsResponse* response) {
        return client.storage().ListStorageUnits(context, r, response);
      });
}

void PrintUnits(const v1::ListStorageUnitsResponse& all) {
  Table table({"ID", "KIND", "NAME", "LAYOUT", "PATH"});
  table.AlignRight(0);
  for (const auto& unit : all.units()) {
    table.AddRow({unit.id(), KindName(unit.kind()), unit.name(), Layout(unit), unit.path()});
  }
  table.Print(std::cout);
}

// "Freezer F-01 (-80C)  (#3)", "Box B-0001  (#6, 9×9)": the words of the path, plus id and layout.
std::string TreeLabel(const v1::StorageUnit& unit) {
  std::string kind = KindName(unit.kind());
  if (!kind.empty()) kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
  std::string label = kind + " " + Style::Bold(unit.name()) + "  (#" + unit.id();
  const std::string layout = Layout(unit);
  if (!layout.empty()) label += ", " + layout;
  return label + ")";
}

// Depth-first: prints the children of `parent_id` under `prefix` and collects them in `all`.
void PrintSubtree(Client& client, const std::string& parent_id, const std::string& prefix,
                  bool print, v1::ListStorageUnitsResponse* all, int depth) {
  if (depth > 64) return;  // a cycle would be a server bug; do not recurse forever
  const auto children = Children(client, parent_id);
  for (int i = 0; i < children.units_size(); ++i) {
    const auto& unit = children.units(i);
    const bool last = i + 1 == children.units_size();
    *all->add_units() = unit;
    if (print) {
      std::cout << prefix
                << (last ? "\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80 "   // └──
                         : "\xE2\x94\x9C\xE2\x94\x80\xE2\x94\x80 ")  // ├──
                << TreeLabel(unit) << "\n";
    }
    if (unit.kind() != v1::STORAGE_KIND_BOX) {
      PrintSubtree(client, unit.id(),
                   prefix + (last ? "    " : "\xE2\x94\x82   "),  // │
                   print, all, depth + 1);
    }
  }
}

// "Placed PSL26-000123-K in box B-0001 (#6) position A1" and the path below.
void PrintPlacement(const std::string& verb, const std::string& preposition,
                    const v1::Placement& placement) {
  const auto& location = placement.location();
  std::cout << verb << " " << Style::Bold(placement.barcode()) << " " << preposition << " "
            << FormatLocation(location) << "\n";
  if (!location.path().empty()) std::cout << "  " << location.path() << "\n";
}

// "-80", "-80.5" or "none" (no alarm on that side).
std::optional<double> TemperatureArg(const std::string& text, const char* option) {
  if (Trim(text) == "none") return std::nullopt;
  double value = 0;
  if (!absl::SimpleAtod(Trim(text), &value)) {
    throw CliError(kExitUsage, std::string(option) + " takes °C (e.g. -70) or none");
  }
  return value;
}

// Freezers' settings, moving units with their tubes, where tubes were.
void AddClimateCommands(CLI::App& storage, Cli& cli) {
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

void AddStorageGroup(CLI::App& app, Cli& cli) {
  auto* storage = app.add_subcommand("storage", "The storage tree: site, room, freezer, rack, box");
  storage->require_subcommand(1);

  struct CreateArgs {
    std::string kind;
    std::vector<std::string> name;
    std::string parent;
    int rows = 0;
    int columns = 0;
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = storage->add_subcommand(
      "create",
      "Create a storage unit: lims storage create box B-0001 --parent 5 --rows 9 --columns 9");
  create->add_option("KIND", create_args->kind, kKinds)->required();
  create
      ->add_option("NAME", create_args->name,
                   "unique among its siblings (for a site root: the site code)")
      ->required();
  create->add_option("--parent", create_args->parent, "id of the unit it sits in")->type_name("ID");
  auto* rows = create->add_option("--rows", create_args->rows, "box rows (A, B, ...)")
                   ->check(CLI::PositiveNumber);  // the layout limits are the server's
  auto* columns = create->add_option("--columns", create_args->columns, "box columns (1, 2, ...)")
                      ->check(CLI::PositiveNumber);
  rows->needs(columns);
  columns->needs(rows);
  cli.OnRun(create, [&cli, create_args] {
    const v1::StorageKind kind = ParseKind(create_args->kind);
    if (kind == v1::STORAGE_KIND_UNSPECIFIED) {
      throw CliError(kExitUsage,
                     "unknown storage kind \"" + create_args->kind + "\"; kinds: " + kKinds);
    }
    v1::CreateStorageUnitRequest request;
    request.set_kind(kind);
    request.set_name(JoinWords(create_args->name));
    request.set_parent_id(Trim(create_args->parent));
    request.set_rows(create_args->rows);
    request.set_columns(create_args->columns);
    const v1::CreateStorageUnitResponse response = cli.client().Mutate(
        &Client::storage, &v1::StorageService::Stub::CreateStorageUnit, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    const auto& unit = response.unit();
    KeyValues lines = {
        {"Id", Style::Bold(unit.id())}, {"Kind", KindName(unit.kind())}, {"Name", unit.name()}};
    if (!Layout(unit).empty()) {
      lines.push_back({"Layout", Layout(unit) + " (" +
                                     std::to_string(unit.rows() * unit.columns()) + " positions)"});
    }
    lines.push_back({"Path", unit.path()});
    PrintKeyValues(std::cout, lines);
    return 0;
  });

  auto list_parent = std::make_shared<std::string>();
  auto* list = storage->add_subcommand("list", "The units inside a unit (no PARENT_ID: the roots)");
  list->add_option("PARENT_ID", *list_parent, "id of the containing unit");
  cli.OnRun(list, [&cli, list_parent] {
    const std::string parent_id = Trim(*list_parent);
    if (!parent_id.empty() && !cli.options.json) {
      // Also makes an unknown parent a clear NOT_FOUND rather than an empty list.
      std::cout << "In " << GetUnit(cli.client(), parent_id).unit().path() << "\n\n";
    }
    const auto all = Children(cli.client(), parent_id);
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.units().empty()) {
      std::cout << (parent_id.empty()
                        ? "No storage yet. Start with: lims storage create site CODE\n"
                        : "Nothing inside.\n");
      return 0;
    }
    PrintUnits(all);
    return 0;
  });

  auto find = std::make_shared<v1::ListStorageUnitsRequest>();
  auto* finder = storage->add_subcommand("find", "Units whose name contains TEXT, at any level");
  finder
      ->add_option_function<std::string>(
          "TEXT", [find](const std::string& v) { find->set_name_contains(Trim(v)); },
          "part of the name, any case")
      ->required();
  finder
      ->add_option_function<std::string>(
          "--kind",
          [find](const std::string& v) {
            find->set_kind(ParseKind(v));
            if (find->kind() == v1::STORAGE_KIND_UNSPECIFIED) {
              throw CLI::ValidationError("--kind",
                                         "'" + v + "' is not a storage kind (box, rack, ...)");
            }
          },
          "only this kind (box, rack, freezer, ...)")
      ->type_name("KIND");
  cli.OnRun(finder, [&cli, find] {
    Client& client = cli.client();
    const auto all = ListAll<v1::ListStorageUnitsRequest, v1::ListStorageUnitsResponse>(
        client, *find,
        [&](grpc::ClientContext* context, const v1::ListStorageUnitsRequest& r,
            v1::ListStorageUnitsResponse* response) {
          return client.storage().ListStorageUnits(context, r, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.units().empty()) {
      std::cout << "No unit's name contains '" << find->name_contains() << "'.\n";
      return 0;
    }
    PrintUnits(all);
    return 0;
  });

  AddClimateCommands(*storage, cli);

  auto tree_root = std::make_shared<std::string>();
  auto* tree = storage->add_subcommand("tree", "The storage tree below a unit (no ID: everything)");
  tree->add_option("ID", *tree_root, "id of the top unit");
  cli.OnRun(tree, [&cli, tree_root] {
    const std::string root_id = Trim(*tree_root);
    const bool print = !cli.options.json;
    v1::ListStorageUnitsResponse all;
    if (root_id.empty()) {
      const auto roots = Children(cli.client(), "");
      for (const auto& root : roots.units()) {
        *all.add_units() = root;
        if (print) std::cout << TreeLabel(root) << "\n";
        if (root.kind() != v1::STORAGE_KIND_BOX) {
          PrintSubtree(cli.client(), root.id(), "", print, &all, 1);
        }
      }
      if (print && roots.units().empty()) std::cout << "No storage yet.\n";
    } else {
      const auto root = GetUnit(cli.client(), root_id).unit();
      *all.add_units() = root;
      if (print) std::cout << TreeLabel(root) << "\n";
      if (root.kind() != v1::STORAGE_KIND_BOX) {
        PrintSubtree(cli.client(), root.id(), "", print, &all, 1);
      }
    }
    if (cli.options.json) PrintJson(all);
    return 0;
  });
}

void AddPlacementCommands(CLI::App& app, Cli& cli) {
  struct Args {
    std::string code;
    std::string box;
    std::string position;
    std::string reason;
    bool thawed = false;
  };

  auto place_args = std::make_shared<Args>();
  auto* place = app.add_subcommand("place", "Put a tube in an empty box position");
  place->add_option("CODE", place_args->code, "tube barcode")->required();
  place->add_option("BOX_ID", place_args->box, "box id")->required();
  place->add_option("POSITION", place_args->position, "A1 style, or a number")->required();
  cli.OnRun(place, [&cli, place_args] {
    v1::PlaceSampleRequest request;
    request.set_barcode(Trim(place_args->code));
    request.set_box_id(Trim(place_args->box));
    request.set_position(Trim(place_args->position));
    const v1::PlaceSampleResponse response =
        cli.client().Mutate(&Client::storage, &v1::StorageService::Stub::PlaceSample, request);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintPlacement("Placed", "in", response.placement());
    }
    return 0;
  });

  auto move_args = std::make_shared<Args>();
  auto* move = app.add_subcommand("move", "Move a stored tube to another position");
  move->add_option("CODE", move_args->code, "tube barcode")->required();
  move->add_option("BOX_ID", move_args->box, "destination box id")->required();
  move->add_option("POSITION", move_args->position, "destination position")->required();
  move->add_option("--reason", move_args->reason, "why (kept in the audit trail)");
  cli.OnRun(move, [&cli, move_args] {
    v1::MoveSampleRequest request;
    request.set_barcode(Trim(move_args->code));
    request.set_box_id(Trim(move_args->box));
    request.set_position(Trim(move_args->position));
    request.set_reason(move_args->reason);
    const v1::MoveSampleResponse response =
        cli.client().Mutate(&Client::storage, &v1::StorageService::Stub::MoveSample, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintPlacement("Moved", "to", response.placement());
    if (!response.previous_location().box_id().empty()) {
      std::cout << "  (was in " << FormatLocation(response.previous_location()) << ")\n";
    }
    return 0;
  });

  auto retrieve_args = std::make_shared<Args>();
  auto* retrieve = app.add_subcommand("retrieve", "Take a tube out of its box (checked out)");
  retrieve->add_option("CODE", retrieve_args->code, "tube barcode")->required();
  retrieve->add_option("--reason", retrieve_args->reason, "why (kept in the audit trail)")
      ->required();
  cli.OnRun(retrieve, [&cli, retrieve_args] {
    v1::RetrieveSampleRequest request;
    request.set_barcode(Trim(retrieve_args->code));
    request.set_reason(retrieve_args->reason);
    const v1::RetrieveSampleResponse response =
        cli.client().Mutate(&Client::storage, &v1::StorageService::Stub::RetrieveSample, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    const auto& from = response.previous_location();
    std::cout << "Retrieved " << Style::Bold(request.barcode()) << " from " << FormatLocation(from)
              << "; that position is free now.\n";
    if (!from.path().empty()) std::cout << "  " << from.path() << "\n";
    return 0;
  });

  auto return_args = std::make_shared<Args>();
  auto* give_back = app.add_subcommand("return", "Put a retrieved tube back into a box");
  give_back->add_option("CODE", return_args->code, "tube barcode")->required();
  give_back->add_option("BOX_ID", return_args->box, "box id")->required();
  give_back->add_option("POSITION", return_args->position, "position")->required();
  give_back->add_flag("--thawed", return_args->thawed,
                      "the tube thawed while out (counts one freeze-thaw cycle)");
  cli.OnRun(give_back, [&cli, return_args] {
    v1::ReturnSampleRequest request;
    request.set_barcode(Trim(return_args->code));
    request.set_box_id(Trim(return_args->box));
    request.set_position(Trim(return_args->position));
    request.set_thawed(return_args->thawed);
    const v1::ReturnSampleResponse response =
        cli.client().Mutate(&Client::storage, &v1::StorageService::Stub::ReturnSample, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintPlacement("Returned", "to", response.placement());
    std::cout << "  freeze-thaw cycles: " << response.freeze_thaw_count() << "\n";
    return 0;
  });
}

// Row and column (0-based) of a slot: from its number when given, else from its "A1" name.
bool SlotCell(const v1::Slot& slot, int rows, int columns, int* row, int* column) {
  if (slot.position_number() > 0 && columns > 0) {
    *row = (slot.position_number() - 1) / columns;
    *column = (slot.position_number() - 1) % columns;
    return true;
  }
  const auto layout = BoxLayout::Create(rows, columns);
  if (!layout.ok()) return false;
  const auto number = layout->ParsePosition(slot.position());
  if (!number.ok()) return false;
  *row = (*number - 1) / columns;
  *column = (*number - 1) % columns;
  return true;
}

void PrintBox(const v1::GetBoxContentsResponse& contents) {
  const auto& box = contents.box();
  const int rows = box.rows();
  const int columns = box.columns();
  std::cout << Style::Bold("Box " + box.name()) << "  (#" << box.id() << ", " << Layout(box)
            << ")  " << contents.slots_size() << " of " << rows * columns
            << " positions occupied\n";
  if (!box.path().empty()) std::cout << box.path() << "\n";
  std::cout << "\n";

  constexpr size_t kMaxTag = 4;
  std::map<std::pair<int, int>, std::string> tags;
  for (const auto& slot : contents.slots()) {
    int row = 0;
    int column = 0;
    if (!SlotCell(slot, rows, columns, &row, &column)) continue;
    std::string tag = ShortTag(slot.barcode(), kMaxTag);
    if (tag.empty()) tag = "\xE2\x96\xA0";  // ■
    tags[{row, column}] = tag;
  }
  PrintWellGrid(std::cout, rows, columns, tags);
  std::cout << "\n";
  if (contents.slots().empty()) {
    std::cout << "The box is empty.\n";
    return;
  }
  Table table({"POSITION", "BARCODE", "TYPE"});
  for (const auto& slot : contents.slots()) {
    table.AddRow({slot.position(), slot.barcode(), slot.sample_type()});
  }
  table.Print(std::cout);
}

void AddBoxCommands(CLI::App& app, Cli& cli) {
  auto* box = app.add_subcommand("box", "Boxes and what is in them");
  box->require_subcommand(1);
  auto box_id = std::make_shared<std::string>();
  auto* show = box->add_subcommand("show", "Draw a box as a grid of its positions");
  show->add_option("BOX_ID", *box_id, "box id")->required();
  cli.OnRun(show, [&cli, box_id] {
    v1::GetBoxContentsRequest request;
    request.set_box_id(Trim(*box_id));
    const v1::GetBoxContentsResponse response =
        cli.client().Read(&Client::storage, &v1::StorageService::Stub::GetBoxContents, request);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintBox(response);
    }
    return 0;
  });
}

}  // namespace

void AddStorageCommands(CLI::App& app, Cli& cli) {
  AddStorageGroup(app, cli);
  AddPlacementCommands(app, cli);
  AddBoxCommands(app, cli);
}

}  // namespace lims::cli
