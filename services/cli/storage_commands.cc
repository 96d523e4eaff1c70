// The storage tree, placements of tubes in boxes, and the picture of a box (StorageService).
#include <cctype>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli.h"
#include "display.h"
#include "lims/core/box_layout.h"
#include "output.h"

namespace lims::cli {
namespace {

constexpr char kKinds[] = "site, room, freezer, shelf, rack, tower, box, canister, cassette, bin";

std::string Layout(const v1::StorageUnit& unit) {
  if (unit.rows() <= 0 || unit.columns() <= 0) return "";
  return std::to_string(unit.rows()) + "\xC3\x97" + std::to_string(unit.columns());
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

void AddStorageGroup(CLI::App& app, Cli& cli) {
  auto* storage = app.add_subcommand("storage", "The storage tree: site, room, freezer, rack, box");
  storage->require_subcommand(1);

  struct CreateArgs {
    std::string kind;
    std::vector<std::string> name;
    std::string parent;
    int rows = 0;
    int columns = 0;
    int slots = 0;
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
  create
      ->add_option("--slots", create_args->slots,
                   "a canister's, cassette's or bin's numbered slots (default: none)")
      ->check(CLI::PositiveNumber)
      ->excludes(rows)
      ->excludes(columns);
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
    request.set_columns(create_args->slots ? create_args->slots : create_args->columns);
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

  AddStorageCareCommands(*storage, cli);

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

v1::GetStorageUnitResponse GetUnit(Client& client, const std::string& id) {
  v1::GetStorageUnitRequest request;
  request.set_id(Trim(id));
  v1::GetStorageUnitResponse response;
  client.Call([&](grpc::ClientContext* context) {
    return client.storage().GetStorageUnit(context, request, &response);
  });
  return response;
}

void AddStorageCommands(CLI::App& app, Cli& cli) {
  AddStorageGroup(app, cli);
  AddPlacementCommands(app, cli);
  AddBoxCommands(app, cli);
}

}  // namespace lims::cli
