// The audit trail for managers and inspectors (AuditService): list, verify the hash chain,
// export as CSV.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "cli.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

// Verification and export read the whole trail: far longer than an ordinary call.
constexpr auto kLongCall = std::chrono::hours(1);

// --since/--until: a date (local midnight) or a date and time as `lims collect --at` takes it.
// Seconds matter in an audit trail, unlike in collection times.
std::string EventTime(const google::protobuf::Timestamp& at) {
  const absl::Time time = absl::FromUnixSeconds(at.seconds()) + absl::Nanoseconds(at.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", time, absl::LocalTimeZone());
}

void AddListCommand(CLI::App& audit, Cli& cli) {
  struct Args {
    std::string barcode, actor, action, since, until;
    int limit = 1000;
  };
  auto args = std::make_shared<Args>();
  auto* list = audit.add_subcommand("list", "Who did what, when and why, oldest first");
  list->add_option("--barcode", args->barcode, "only the events of this tube")->type_name("CODE");
  list->add_option("--actor", args->actor, "only the events by this user")->type_name("NAME");
  list->add_option("--action", args->action, "only this action (e.g. sample.collected)")
      ->type_name("ACTION");
  list->add_option("--since", args->since, "from this date or time (e.g. 2026-03-01)")
      ->type_name("TIME");
  list->add_option("--until", args->until, "before this date or time")->type_name("TIME");
  list->add_option("--limit", args->limit, "at most this many events; 0: all")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.OnRun(list, [&cli, args] {
    v1::ListAuditEventsRequest request;
    request.set_entity_barcode(Trim(args->barcode));
    request.set_actor(Trim(args->actor));
    request.set_action(Trim(args->action));
    ParseBound(args->since, "--since", request.mutable_since());
    ParseBound(args->until, "--until", request.mutable_until());
    v1::ListAuditEventsResponse all;
    bool more = false;
    std::string token;
    do {
      request.set_page_size(kPageSize);
      request.set_page_token(token);
      const v1::ListAuditEventsResponse page =
          cli.client().Read(&Client::audit, &v1::AuditService::Stub::ListAuditEvents, request);
      for (const auto& event : page.events()) {
        if (args->limit > 0 && all.events_size() == args->limit) {
          more = true;
          break;
        }
        *all.add_events() = event;
      }
      if (page.next_page_token() == token) break;  // never loop on a server that repeats itself
      token = page.next_page_token();
    } while (!token.empty() && !more);
    if (PrintedJson(cli.options.json, all)) return 0;
    Table table({"ID", "TIME", "ACTOR", "ACTION", "ENTITY", "DETAILS", "REASON"});
    table.AlignRight(0);
    for (const auto& e : all.events()) {
      table.AddRow({e.id(), EventTime(e.at()), e.actor(), e.action(),
                    e.entity_type() + " " + e.entity_key(), e.details(), e.reason()});
    }
    if (table.empty()) {
      std::cout << "No audit events match.\n";
    } else {
      table.Print(std::cout);
    }
    if (more) {
      std::cerr << "(first " << args->limit
                << " events; narrow with --barcode/--actor/--since/--until or raise --limit)\n";
    }
    return 0;
  });
}

// The event Verify named, when the caller may list it (administrators).
void PrintBrokenEvent(Cli& cli, const std::string& id) {
  v1::ListAuditEventsRequest request;
  request.set_page_size(1);
  try {
    request.set_page_token(std::to_string(std::stoll(id) - 1));  // keyset: the event itself
    const v1::ListAuditEventsResponse page =
        cli.client().Read(&Client::audit, &v1::AuditService::Stub::ListAuditEvents, request);
    if (page.events_size() == 0 || page.events(0).id() != id) {
      std::cout << "\nEvent " << id << " is no longer in the trail.\n";
      return;
    }
    const auto& e = page.events(0);
    std::cout << "\nEvent " << id << " as stored now:\n";
    KeyValues lines = {{"Time", EventTime(e.at())},
                       {"Actor", e.actor()},
                       {"Action", e.action()},
                       {"Entity", e.entity_type() + " " + e.entity_key()},
                       {"Details", e.details()}};
    if (!e.reason().empty()) lines.push_back({"Reason", e.reason()});
    PrintKeyValues(std::cout, lines, "  ");
  } catch (const RpcError&) {
    // Not an administrator, or the server went away: the verdict above is what matters.
  } catch (const std::exception&) {
  }
}

// An anchor file: the chain head, kept outside the database's machine.
constexpr char kAnchorHeader[] = "# lims audit anchor: the audit chain's head, kept outside the database";

void ReadAnchor(const std::string& path, v1::VerifyAuditChainRequest* request) {
  std::ifstream in(path);
  if (!in) throw CliError(kExitUsage, "cannot read the anchor file " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("event ", 0) == 0) request->set_anchor_event_id(line.substr(6));
    if (line.rfind("hash ", 0) == 0) request->set_anchor_hash(line.substr(5));
  }
  if (request->anchor_event_id().empty() || request->anchor_hash().empty()) {
    throw CliError(kExitUsage, path + " is not an anchor file (lims audit anchor writes one)");
  }
}

v1::VerifyAuditChainResponse Verify(Cli& cli, const v1::VerifyAuditChainRequest& request) {
  v1::VerifyAuditChainResponse response;
  cli.client().Call([&](grpc::ClientContext* context) {
    context->set_deadline(std::chrono::system_clock::now() + kLongCall);
    return cli.client().audit().VerifyAuditChain(context, request, &response);
  });
  return response;
}

void AddAnchorCommand(CLI::App& audit, Cli& cli) {
  auto out = std::make_shared<std::string>();
  auto* anchor = audit.add_subcommand(
      "anchor", "Verify the chain, then write its head (event id and hash) to keep elsewhere");
  anchor->add_option("--out", *out, "the anchor file (default: standard output)")
      ->type_name("FILE");
  cli.OnRun(anchor, [&cli, out] {
    const v1::VerifyAuditChainResponse response = Verify(cli, v1::VerifyAuditChainRequest());
    if (!response.ok()) {
      std::cerr << "error: the audit trail is broken at event " << response.first_broken_event_id()
                << " (" << response.problem() << "): no anchor written\n";
      return kExitFailedPrecondition;
    }
    const std::string text = std::string(kAnchorHeader) + "\nevent " +
                             response.head_event_id() + "\nhash " + response.head_hash() + "\n";
    if (out->empty()) {
      std::cout << text;
      return kExitOk;
    }
    std::ofstream file(*out, std::ios::trunc);
    file << text;
    if (!file.flush()) throw CliError(kExitOther, "cannot write the anchor file " + *out);
    std::cerr << "Anchor for event " << response.head_event_id() << " written to " << *out
              << ": keep it away from the database's machine\n";
    return kExitOk;
  });
}

void AddVerifyCommand(CLI::App& audit, Cli& cli) {
  auto anchor_file = std::make_shared<std::string>();
  auto* verify = audit.add_subcommand(
      "verify", "Re-compute the audit trail's hash chain; exit 5 when an event was changed");
  verify->add_option("--anchor", *anchor_file,
                     "also check that the head kept in this file (lims audit anchor) is still "
                     "in the chain")
      ->type_name("FILE");
  cli.OnRun(verify, [&cli, anchor_file] {
    v1::VerifyAuditChainRequest request;
    if (!anchor_file->empty()) ReadAnchor(*anchor_file, &request);
    const v1::VerifyAuditChainResponse response = Verify(cli, request);
    const int code = response.ok() ? kExitOk : kExitFailedPrecondition;
    if (cli.options.json) {
      PrintJson(response);
      return code;
    }
    if (response.ok()) {
      std::cout << Style::Good("Audit trail intact") << ": " << response.events_checked()
                << " events verified";
      if (!request.anchor_event_id().empty()) {
        std::cout << ", the anchor's event " << request.anchor_event_id() << " among them with "
                  << "its hash";
      }
      std::cout << ".\n";
      return code;
    }
    std::cout << Style::Warn("AUDIT TRAIL BROKEN at event " + response.first_broken_event_id())
              << "\n"
              << response.problem() << "\n"
              << response.events_checked() << " events checked.\n";
    PrintBrokenEvent(cli, response.first_broken_event_id());
    return code;
  });
}

void AddExportCommand(CLI::App& audit, Cli& cli) {
  struct Args {
    std::string out, barcode, actor, action, since, until;
  };
  auto args = std::make_shared<Args>();
  auto* exporter = audit.add_subcommand(
      "export", "The audit trail as CSV (RFC 4180), streamed to stdout or a file");
  exporter->add_option("--out", args->out, "write to FILE (complete or not at all)")
      ->type_name("FILE");
  exporter
      ->add_option("--barcode", args->barcode, "only the events of this tube (managers: required)")
      ->type_name("CODE");
  exporter->add_option("--actor", args->actor, "only the events by this user")->type_name("NAME");
  exporter->add_option("--action", args->action, "only this action")->type_name("ACTION");
  exporter->add_option("--since", args->since, "from this date or time")->type_name("TIME");
  exporter->add_option("--until", args->until, "before this date or time")->type_name("TIME");
  cli.OnRun(exporter, [&cli, args] {
    v1::ExportAuditCsvRequest request;
    request.set_entity_barcode(Trim(args->barcode));
    request.set_actor(Trim(args->actor));
    request.set_action(Trim(args->action));
    ParseBound(args->since, "--since", request.mutable_since());
    ParseBound(args->until, "--until", request.mutable_until());
    // A file is written under a temporary name and renamed once complete.
    const std::string partial = args->out.empty() ? "" : args->out + ".part";
    std::ofstream file;
    if (!partial.empty()) {
      file.open(partial, std::ios::binary | std::ios::trunc);
      if (!file) throw CliError(kExitOther, "cannot write " + partial);
    }
    std::ostream& out = partial.empty() ? std::cout : file;
    size_t bytes = 0, lines = 0;
    bool write_failed = false;
    try {
      cli.client().Call([&](grpc::ClientContext* context) {
        context->set_deadline(std::chrono::system_clock::now() + kLongCall);
        auto reader = cli.client().audit().ExportAuditCsv(context, request);
        v1::ExportAuditCsvResponse piece;
        while (reader->Read(&piece)) {
          out.write(piece.chunk().data(), static_cast<std::streamsize>(piece.chunk().size()));
          if (!out) {
            write_failed = true;
            context->TryCancel();
            break;
          }
          bytes += piece.chunk().size();
          for (char c : piece.chunk()) lines += c == '\n';
        }
        grpc::Status status = reader->Finish();
        if (write_failed) return grpc::Status::OK;
        // Part of the CSV is out: a retry would repeat it, so report instead of retrying.
        if (!status.ok() && bytes > 0) {
          return grpc::Status(grpc::StatusCode::DATA_LOSS,
                              "the export stopped after " + std::to_string(bytes) +
                                  " bytes and is incomplete (" + status.error_message() +
                                  "); run it again");
        }
        return status;
      });
      out.flush();
      if (write_failed || !out) {
        throw CliError(kExitOther, "cannot write " + (partial.empty() ? "stdout" : partial));
      }
    } catch (...) {
      if (!partial.empty()) {
        file.close();
        std::remove(partial.c_str());
      }
      throw;
    }
    if (partial.empty()) return 0;
    file.close();
    if (std::rename(partial.c_str(), args->out.c_str()) != 0) {
      throw CliError(kExitOther, "cannot rename " + partial + " to " + args->out);
    }
    std::cerr << "Wrote " << args->out << ": " << (lines > 0 ? lines - 1 : 0) << " events, "
              << bytes << " bytes.\n";
    return 0;
  });
}

}  // namespace

void AddAuditCommands(CLI::App& app, Cli& cli) {
  auto* audit = app.add_subcommand(
      "audit", "The audit trail: list events, verify the hash chain, anchor it, export as CSV");
  audit->require_subcommand(1);
  AddListCommand(*audit, cli);
  AddVerifyCommand(*audit, cli);
  AddAnchorCommand(*audit, cli);
  AddExportCommand(*audit, cli);
}

}  // namespace lims::cli
