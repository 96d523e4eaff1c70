// `lims scan`: a bench session with a USB scanner (it types each code and Enter). Each code is
// looked up at once, or with --into put into the box's next free position. With
// --offline-queue, a lost connection does not stop the bench: scans are queued with their time
// and request_id, and `lims scan --replay FILE` sends them later; the server answers a
// request_id it has seen from its first outcome, so no placement is ever made twice.
#include <ctime>
#include <iostream>
#include <optional>
#include <set>
#include <string>

#include "cli.h"
#include "display.h"
#include "lims/core/box_layout.h"
#include "offline_queue.h"
#include "output.h"

namespace lims::cli {
namespace {

bool Unreachable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

std::string NowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The box a placement session fills, read once when the session starts.
struct TargetBox {
  std::string id, name;
  int rows = 0, columns = 0;
  std::set<int> taken;  // positions 1..rows*columns
  int next = 1;

  std::string PositionName(int n) const {
    const auto layout = BoxLayout::Create(rows, columns);
    return layout.ok() ? layout->PositionName(n) : "#" + std::to_string(n);
  }
  // The next free position from `next` on; 0 when the box is full.
  int TakeNext() {
    while (next <= rows * columns && taken.count(next)) ++next;
    if (next > rows * columns) return 0;
    taken.insert(next);
    return next;
  }
};

TargetBox ReadBox(Client& client, const std::string& id, const std::string& from) {
  v1::GetBoxContentsRequest request;
  request.set_box_id(id);
  v1::GetBoxContentsResponse response;
  client.Call([&](grpc::ClientContext* context) {
    return client.storage().GetBoxContents(context, request, &response);
  });
  TargetBox box{id, response.box().name(), response.box().rows(), response.box().columns(), {}, 1};
  for (const auto& slot : response.slots()) box.taken.insert(slot.position_number());
  if (!from.empty()) {
    box.next = 0;
    for (int n = 1; n <= box.rows * box.columns && box.next == 0; ++n) {
      if (box.PositionName(n) == Trim(from) || std::to_string(n) == Trim(from)) box.next = n;
    }
    if (box.next == 0) {
      throw CliError(kExitUsage, "--from " + from + " is not a position of box " + box.name +
                                     " (" + std::to_string(box.rows) + " x " +
                                     std::to_string(box.columns) + ")");
    }
  }
  return box;
}

// Sends one scan; on success `line` says what happened.
grpc::Status Send(Client& client, const QueuedScan& scan, std::string* line) {
  try {
    if (scan.box_id.empty()) {
      v1::ResolveBarcodeRequest request;
      request.set_barcode(scan.code);
      v1::ResolveBarcodeResponse r;
      client.Call([&](grpc::ClientContext* context) {
        return client.samples().ResolveBarcode(context, request, &r);
      });
      *line = r.sample().barcode() + "  " + r.sample().sample_type() + " " +
              FormatQuantity(r.sample().quantity()) + "  " + StatusName(r.sample().status()) +
              "  " + FormatLocation(r.location()) + "  " + r.patient_registry_id() + " " +
              r.protocol_code() + " " + r.timepoint_code();
    } else {
      v1::PlaceSampleRequest request;
      request.set_barcode(scan.code);
      request.set_box_id(scan.box_id);
      request.set_position(scan.position);
      request.set_request_id(scan.request_id);
      v1::PlaceSampleResponse r;
      client.Call(
          [&](grpc::ClientContext* context) {
            return client.storage().PlaceSample(context, request, &r);
          },
          scan.request_id);
      *line = "placed " + r.placement().barcode() + " in " + FormatLocation(r.placement().location());
    }
    return grpc::Status::OK;
  } catch (const RpcError& error) {
    return error.status();
  }
}

int RunSession(Cli& cli, const std::string& into, const std::string& from,
               const std::string& queue) {
  std::optional<TargetBox> box;
  if (!into.empty()) box = ReadBox(cli.client(), Trim(into), from);
  int done = 0, queued = 0, refused = 0;
  bool offline = false;
  std::string input;
  while (std::getline(std::cin, input)) {
    const std::string code = Trim(input);
    if (code.empty()) continue;
    QueuedScan scan{NowUtc(), code, NewRequestId(), "", ""};
    std::string where;
    if (box) {
      const int n = box->TakeNext();
      if (n == 0) {
        std::cerr << code << ": box " << box->name << " is full; scan into another box\n";
        ++refused;
        continue;
      }
      scan.box_id = box->id;
      scan.position = std::to_string(n);
      where = " for " + box->PositionName(n);
    }
    if (!offline) {
      std::string line;
      const grpc::Status status = Send(cli.client(), scan, &line);
      if (status.ok()) {
        std::cout << line << "\n" << std::flush;
        ++done;
        continue;
      }
      if (!Unreachable(status) || queue.empty()) {
        std::cerr << code << ": " << CodeName(status.error_code()) << ": "
                  << status.error_message() << "\n";
        if (box) box->taken.erase(std::stoi(scan.position));  // the position stays free
        ++refused;
        continue;
      }
      offline = true;
      std::cerr << "lims-server at " << cli.options.server << " cannot be reached: scans are "
                << "queued in " << queue << "; send them later with `lims scan --replay " << queue
                << "`\n";
    }
    AppendToQueue(queue, scan);
    std::cout << "queued " << code << where << "\n" << std::flush;
    ++queued;
  }
  std::cout << done << " done, " << queued << " queued, " << refused << " refused\n";
  return refused > 0 ? kExitOther : (queued > 0 ? kExitUnreachable : kExitOk);
}

int Replay(Cli& cli, const std::string& queue) {
  const std::vector<QueuedScan> scans = ReadQueue(queue);
  std::vector<QueuedScan> remaining;
  int sent = 0, refused = 0;
  for (const QueuedScan& scan : scans) {
    if (!remaining.empty()) {  // unreachable: keep the rest in order
      remaining.push_back(scan);
      continue;
    }
    std::string line;
    const grpc::Status status = Send(cli.client(), scan, &line);
    if (status.ok()) {
      std::cout << line << "  (scanned " << scan.scanned_at << ")\n";
      ++sent;
    } else if (Unreachable(status)) {
      remaining.push_back(scan);
    } else {
      // Sending it again would be refused again: kept aside, never silently dropped.
      std::cerr << scan.code << " (scanned " << scan.scanned_at
                << "): " << CodeName(status.error_code()) << ": " << status.error_message()
                << "; kept in " << queue << ".refused\n";
      AppendToQueue(queue + ".refused", scan);
      ++refused;
    }
  }
  RewriteQueue(queue, scans.size(), remaining);
  std::cout << sent << " sent, " << refused << " refused, " << remaining.size()
            << " still queued\n";
  if (!remaining.empty()) return kExitUnreachable;
  return refused > 0 ? kExitOther : kExitOk;
}

}  // namespace

void AddBenchScanCommand(CLI::App& app, Cli& cli) {
  struct Args {
    std::string into, from, queue, replay;
  };
  auto args = std::make_shared<Args>();
  auto* scan = app.add_subcommand(
      "scan", "Bench session: read codes from a USB scanner (standard input, one a line); look "
              "each up, or with --into put each into the box's next free position");
  scan->add_option("--into", args->into, "box id to fill, position by position")->type_name("BOX");
  scan->add_option("--from", args->from, "with --into: the first position to fill (default A1)")
      ->type_name("POSITION");
  scan->add_option("--offline-queue", args->queue,
                   "when lims-server cannot be reached, queue the scans in FILE instead")
      ->type_name("FILE");
  auto* replay = scan->add_option("--replay", args->replay,
                                  "send the scans queued in FILE (each exactly once)")
                     ->type_name("FILE");
  replay->excludes("--into")->excludes("--from")->excludes("--offline-queue");
  cli.OnRun(scan, [&cli, args] {
    if (!args->replay.empty()) return Replay(cli, args->replay);
    if (!args->from.empty() && args->into.empty()) {
      throw CliError(kExitUsage, "--from needs --into BOX");
    }
    return RunSession(cli, args->into, args->from, args->queue);
  });
}

}  // namespace lims::cli
