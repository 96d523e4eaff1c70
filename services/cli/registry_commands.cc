// Sites, patients, protocols and enrollments (RegistryService).
#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.h"
#include "display.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

// A patient by internal id (all digits) or by registry id (e.g. MATHEC-0042). An all-digit key
// that is no patient id is tried as a registry id too (some registries number patients).
v1::GetPatientResponse GetPatient(Client& client, const std::string& id_or_registry_id) {
  const std::string key = Trim(id_or_registry_id);
  auto get = [&](bool by_id) {
    v1::GetPatientRequest request;
    if (by_id) {
      request.set_id(key);
    } else {
      request.set_registry_id(key);
    }
    v1::GetPatientResponse response;
    client.Call([&](grpc::ClientContext* context) {
      return client.registry().GetPatient(context, request, &response);
    });
    return response;
  };
  if (!AllDigits(key)) return get(false);
  try {
    return get(true);
  } catch (const RpcError& by_id) {
    if (by_id.status().error_code() != grpc::StatusCode::NOT_FOUND) throw;
    try {
      return get(false);
    } catch (const RpcError&) {
      throw by_id;
    }
  }
}

std::string PatientIdOf(Client& client, const std::string& id_or_registry_id) {
  const std::string key = Trim(id_or_registry_id);
  if (AllDigits(key)) return key;
  return GetPatient(client, key).patient().id();
}

// Where a JSON syntax error is, as "line L, column C" (nlohmann reports a byte offset).
std::string JsonSyntaxError(const std::string& text) {
  try {
    [[maybe_unused]] const auto parsed = nlohmann::json::parse(text);
    return "";
  } catch (const nlohmann::json::parse_error& error) {
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i + 1 < error.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "JSON syntax error at line " + std::to_string(line) + ", column " +
           std::to_string(column);
  }
}

void PrintProtocol(const v1::Protocol& protocol) {
  std::cout << Style::Bold("Protocol " + protocol.code()) << "  " << protocol.name() << "\n"
            << protocol.timepoints_size()
            << " timepoints; offsets in days from the enrollment's anchor date\n\n";
  bool named = false;
  for (const auto& timepoint : protocol.timepoints()) named = named || !timepoint.name().empty();
  std::vector<std::string> headers = {"TIMEPOINT", "OFFSET", "WINDOW", "EXPECTED KIT"};
  if (named) headers.insert(headers.begin() + 1, "NAME");
  Table table(headers);
  table.AlignRight(named ? 2 : 1);
  for (const auto& timepoint : protocol.timepoints()) {
    std::vector<std::string> row = {
        timepoint.code(), FormatOffset(timepoint.offset_days()),
        FormatWindow(timepoint.window_before_days(), timepoint.window_after_days()),
        FormatKit(timepoint)};
    if (named) row.insert(row.begin() + 1, timepoint.name());
    table.AddRow(row);
  }
  table.Print(std::cout);
}

// The due dates of every timepoint for an anchor date.
void PrintSchedule(const v1::Protocol& protocol, absl::CivilDay anchor) {
  Table table({"TIMEPOINT", "DUE", "WINDOW"});
  for (const auto& timepoint : protocol.timepoints()) {
    const absl::CivilDay due = anchor + timepoint.offset_days();
    const absl::CivilDay opens = due - timepoint.window_before_days();
    const absl::CivilDay closes = due + timepoint.window_after_days();
    table.AddRow({timepoint.code(), FormatIsoDate(due),
                  opens == closes ? "that day only"
                                  : FormatIsoDate(opens) + " to " + FormatIsoDate(closes)});
  }
  table.Print(std::cout);
}

void PrintEnrollments(const google::protobuf::RepeatedPtrField<v1::Enrollment>& enrollments) {
  Table table({"ENROLLMENT", "PATIENT", "PROTOCOL", "ANCHOR DATE"});
  table.AlignRight(0);
  for (const auto& enrollment : enrollments) {
    table.AddRow({enrollment.id(),
                  enrollment.patient_registry_id().empty() ? "#" + enrollment.patient_id()
                                                           : enrollment.patient_registry_id(),
                  enrollment.protocol_code(), enrollment.anchor_date()});
  }
  table.Print(std::cout);
}

void AddSiteCommands(CLI::App& app, Cli& cli) {
  auto* site = app.add_subcommand("site", "Biobank sites (centres)");
  site->require_subcommand(1);

  struct CreateArgs {
    std::string code;
    std::vector<std::string> name;
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = site->add_subcommand(
      "create", "Create a site: lims site create PSL Paris Saint-Louis biobank");
  create->add_option("CODE", create_args->code, "short upper-case code, e.g. PSL")->required();
  create->add_option("NAME", create_args->name, "full name (quotes optional)")->required();
  cli.OnRun(create, [&cli, create_args] {
    v1::CreateSiteRequest request;
    request.set_code(create_args->code);
    request.set_name(JoinWords(create_args->name));
    const v1::CreateSiteResponse response =
        cli.client().Mutate(&Client::registry, &v1::RegistryService::Stub::CreateSite, request);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      std::cout << "Site " << Style::Bold(response.site().code())
                << " created: " << response.site().name() << "\n";
    }
    return 0;
  });

  auto* list = site->add_subcommand("list", "List the sites");
  cli.OnRun(list, [&cli] {
    auto all = ListAll<v1::ListSitesRequest, v1::ListSitesResponse>(
        cli.client(), v1::ListSitesRequest(),
        [&](grpc::ClientContext* context, const v1::ListSitesRequest& request,
            v1::ListSitesResponse* response) {
          return cli.client().registry().ListSites(context, request, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.sites().empty()) {
      std::cout << "No sites yet. Create one with: lims site create CODE NAME\n";
      return 0;
    }
    Table table({"CODE", "NAME"});
    for (const auto& s : all.sites()) table.AddRow({s.code(), s.name()});
    table.Print(std::cout);
    return 0;
  });
}

void AddPatientCommands(CLI::App& app, Cli& cli) {
  auto* patient = app.add_subcommand("patient", "Pseudonymous patients (registry ids, no names)");
  patient->require_subcommand(1);

  struct CreateArgs {
    std::string registry_id;
    std::string site;
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = patient->add_subcommand("create", "Register a patient by registry id");
  create->add_option("REGISTRY_ID", create_args->registry_id, "e.g. MATHEC-0042")->required();
  create->add_option("--site", create_args->site, "site code, e.g. PSL")->required();
  cli.OnRun(create, [&cli, create_args] {
    v1::CreatePatientRequest request;
    request.set_registry_id(Trim(create_args->registry_id));
    request.set_site_code(create_args->site);
    const v1::CreatePatientResponse response =
        cli.client().Mutate(&Client::registry, &v1::RegistryService::Stub::CreatePatient, request);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintKeyValues(std::cout, {{"Patient", Style::Bold(response.patient().registry_id())},
                                 {"Id", response.patient().id()},
                                 {"Site", response.patient().site_code()}});
    }
    return 0;
  });

  auto list_site = std::make_shared<std::string>();
  auto* list = patient->add_subcommand("list", "List patients");
  list->add_option("--site", *list_site, "only this site");
  cli.OnRun(list, [&cli, list_site] {
    v1::ListPatientsRequest request;
    request.set_site_code(*list_site);
    auto all = ListAll<v1::ListPatientsRequest, v1::ListPatientsResponse>(
        cli.client(), request,
        [&](grpc::ClientContext* context, const v1::ListPatientsRequest& r,
            v1::ListPatientsResponse* response) {
          return cli.client().registry().ListPatients(context, r, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.patients().empty()) {
      std::cout << "No patients" << (list_site->empty() ? "" : " at site " + *list_site) << ".\n";
      return 0;
    }
    Table table({"ID", "REGISTRY ID", "SITE"});
    table.AlignRight(0);
    for (const auto& p : all.patients()) table.AddRow({p.id(), p.registry_id(), p.site_code()});
    table.Print(std::cout);
    return 0;
  });

  auto show_key = std::make_shared<std::string>();
  auto* show = patient->add_subcommand("show", "A patient and their enrollments");
  show->add_option("ID_OR_REGISTRY_ID", *show_key, "internal id or registry id")->required();
  cli.OnRun(show, [&cli, show_key] {
    auto response = GetPatient(cli.client(), *show_key);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintKeyValues(std::cout, {{"Patient", Style::Bold(response.patient().registry_id())},
                               {"Id", response.patient().id()},
                               {"Site", response.patient().site_code()}});
    std::cout << "\n";
    if (response.enrollments().empty()) {
      std::cout << "Not enrolled in any protocol.\n";
    } else {
      PrintEnrollments(response.enrollments());
    }
    return 0;
  });
}

// Re-importing a protocol that exists: new timepoints are appended; a timepoint whose definition
// differs from the stored one is refused (its samples would change meaning) — the server refuses
// it too, this only explains which one and what to do.
int ImportIntoExisting(Cli& cli, const v1::CreateProtocolRequest& file, const std::string& source) {
  v1::GetProtocolRequest get;
  get.set_code(file.code());
  const v1::GetProtocolResponse stored =
      cli.client().Read(&Client::registry, &v1::RegistryService::Stub::GetProtocol, get);
  v1::AddProtocolTimepointsRequest add;
  add.set_protocol_code(file.code());
  for (const v1::Timepoint& wanted : file.timepoints()) {
    const v1::Timepoint* existing = nullptr;
    for (const v1::Timepoint& t : stored.protocol().timepoints()) {
      if (t.code() == wanted.code()) existing = &t;
    }
    if (existing == nullptr) {
      *add.add_timepoints() = wanted;
    } else if (existing->SerializeAsString() != wanted.SerializeAsString()) {
      throw CliError(kExitFailedPrecondition,
                     "timepoint " + wanted.code() + " in " + source + " differs from the one " +
                         file.code() + " already has; existing timepoints never change " +
                         "(their samples would change meaning): give the changed schedule a " +
                         "new protocol code, e.g. " + file.code() + "-V2");
    }
  }
  if (add.timepoints_size() == 0) {
    if (!cli.options.json) std::cout << "Protocol " << file.code() << " is already up to date.\n";
    if (cli.options.json) PrintJson(stored);
    return 0;
  }
  const v1::AddProtocolTimepointsResponse added = cli.client().Mutate(
      &Client::registry, &v1::RegistryService::Stub::AddProtocolTimepoints, add);
  if (cli.options.json) {
    PrintJson(added);
  } else {
    std::cout << add.timepoints_size() << " new timepoint(s) added to " << file.code()
              << " from " << source << ":\n\n";
    PrintProtocol(added.protocol());
  }
  return 0;
}

void AddProtocolCommands(CLI::App& app, Cli& cli) {
  auto* protocol = app.add_subcommand("protocol", "Protocols and their timepoint schedules");
  protocol->require_subcommand(1);

  auto import_file = std::make_shared<std::string>();
  auto* import = protocol->add_subcommand(
      "import",
      "Create a protocol from a JSON file (a CreateProtocolRequest, see deploy/protocols/)");
  import->add_option("FILE", *import_file, "JSON file, or - for standard input")->required();
  cli.OnRun(import, [&cli, import_file] {
    const std::string text = ReadWholeFile(*import_file);
    const std::string source = *import_file == "-" ? "standard input" : *import_file;
    if (const std::string syntax = JsonSyntaxError(text); !syntax.empty()) {
      throw CliError(kExitInvalidArgument, source + ": " + syntax);
    }
    v1::CreateProtocolRequest request;
    google::protobuf::util::JsonParseOptions parse_options;
    parse_options.ignore_unknown_fields = false;  // a misspelt field must not vanish silently
    auto status = google::protobuf::util::JsonStringToMessage(text, &request, parse_options);
    if (!status.ok()) {
      throw CliError(kExitInvalidArgument,
                     source +
                         " is not a valid protocol definition (JSON of a "
                         "CreateProtocolRequest): " +
                         std::string(status.message().substr(0, status.message().find('\n'))));
    }
    if (!cli.options.request_id.empty() || request.request_id().empty()) {
      request.set_request_id(cli.client().RequestId());
    }
    v1::CreateProtocolResponse response;
    try {
      cli.client().Call(
          [&](grpc::ClientContext* context) {
            return cli.client().registry().CreateProtocol(context, request, &response);
          },
          request.request_id());
    } catch (const RpcError& error) {
      if (error.status().error_code() != grpc::StatusCode::ALREADY_EXISTS) throw;
      return ImportIntoExisting(cli, request, source);
    }
    if (cli.options.json) {
      PrintJson(response);
    } else {
      std::cout << "Imported from " << source << ":\n\n";
      PrintProtocol(response.protocol());
    }
    return 0;
  });

  auto* list = protocol->add_subcommand("list", "List protocols");
  cli.OnRun(list, [&cli] {
    auto all = ListAll<v1::ListProtocolsRequest, v1::ListProtocolsResponse>(
        cli.client(), v1::ListProtocolsRequest(),
        [&](grpc::ClientContext* context, const v1::ListProtocolsRequest& request,
            v1::ListProtocolsResponse* response) {
          return cli.client().registry().ListProtocols(context, request, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.protocols().empty()) {
      std::cout << "No protocols yet. Import one with: lims protocol import FILE.json\n";
      return 0;
    }
    Table table({"CODE", "TIMEPOINTS", "NAME"});
    table.AlignRight(1);
    for (const auto& p : all.protocols()) {
      table.AddRow({p.code(), std::to_string(p.timepoints_size()), p.name()});
    }
    table.Print(std::cout);
    return 0;
  });

  auto show_code = std::make_shared<std::string>();
  auto* show = protocol->add_subcommand("show", "A protocol's timepoints, windows and kits");
  show->add_option("CODE", *show_code, "protocol code, e.g. CART-SLE")->required();
  cli.OnRun(show, [&cli, show_code] {
    v1::GetProtocolRequest request;
    request.set_code(*show_code);
    const v1::GetProtocolResponse response =
        cli.client().Read(&Client::registry, &v1::RegistryService::Stub::GetProtocol, request);
    if (cli.options.json) {
      PrintJson(response);
    } else {
      PrintProtocol(response.protocol());
    }
    return 0;
  });
}

void AddEnrollmentCommands(CLI::App& app, Cli& cli) {
  struct EnrollArgs {
    std::string patient;
    std::string protocol;
    std::string anchor;
  };
  auto enroll_args = std::make_shared<EnrollArgs>();
  auto* enroll = app.add_subcommand("enroll", "Enroll a patient in a protocol");
  enroll->add_option("PATIENT", enroll_args->patient, "patient id or registry id")->required();
  enroll->add_option("PROTOCOL_CODE", enroll_args->protocol, "e.g. CART-SLE")->required();
  enroll
      ->add_option("--anchor", enroll_args->anchor,
                   "anchor date YYYY-MM-DD (e.g. the infusion day, D0)")
      ->required();
  cli.OnRun(enroll, [&cli, enroll_args] {
    const auto anchor = ParseIsoDate(enroll_args->anchor);
    if (!anchor.ok()) {
      throw CliError(kExitUsage, "--anchor \"" + enroll_args->anchor +
                                     "\" is not a date; write YYYY-MM-DD, e.g. 2026-03-02");
    }
    v1::EnrollPatientRequest request;
    request.set_patient_id(PatientIdOf(cli.client(), enroll_args->patient));
    request.set_protocol_code(enroll_args->protocol);
    request.set_anchor_date(enroll_args->anchor);
    const v1::EnrollPatientResponse response =
        cli.client().Mutate(&Client::registry, &v1::RegistryService::Stub::EnrollPatient, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    const auto& enrollment = response.enrollment();
    PrintKeyValues(std::cout, {{"Enrollment", Style::Bold(enrollment.id())},
                               {"Patient", enrollment.patient_registry_id().empty()
                                               ? "#" + enrollment.patient_id()
                                               : enrollment.patient_registry_id()},
                               {"Protocol", enrollment.protocol_code()},
                               {"Anchor date", enrollment.anchor_date()}});
    // The schedule is a courtesy: the enrollment is done even if this look-up fails.
    try {
      v1::GetProtocolRequest get;
      get.set_code(enrollment.protocol_code());
      const v1::GetProtocolResponse protocol =
          cli.client().Read(&Client::registry, &v1::RegistryService::Stub::GetProtocol, get);
      const auto anchor_day = ParseIsoDate(enrollment.anchor_date());
      if (anchor_day.ok() && !protocol.protocol().timepoints().empty()) {
        std::cout << "\n";
        PrintSchedule(protocol.protocol(), *anchor_day);
      }
    } catch (const RpcError&) {
    }
    return 0;
  });

  auto* enrollment = app.add_subcommand("enrollment", "Enrollments of patients in protocols");
  enrollment->require_subcommand(1);
  struct ListArgs {
    std::string patient;
    std::string protocol;
  };
  auto list_args = std::make_shared<ListArgs>();
  auto* list = enrollment->add_subcommand("list", "List enrollments");
  list->add_option("--patient", list_args->patient, "only this patient (id or registry id)");
  list->add_option("--protocol", list_args->protocol, "only this protocol code");
  cli.OnRun(list, [&cli, list_args] {
    v1::ListEnrollmentsRequest request;
    if (!list_args->patient.empty()) {
      request.set_patient_id(PatientIdOf(cli.client(), list_args->patient));
    }
    request.set_protocol_code(list_args->protocol);
    auto all = ListAll<v1::ListEnrollmentsRequest, v1::ListEnrollmentsResponse>(
        cli.client(), request,
        [&](grpc::ClientContext* context, const v1::ListEnrollmentsRequest& r,
            v1::ListEnrollmentsResponse* response) {
          return cli.client().registry().ListEnrollments(context, r, response);
        });
    if (PrintedJson(cli.options.json, all)) return 0;
    if (all.enrollments().empty()) {
      std::cout << "No enrollments.\n";
      return 0;
    }
    PrintEnrollments(all.enrollments());
    return 0;
  });
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Cli& cli) {
  AddSiteCommands(app, cli);
  AddPatientCommands(app, cli);
  AddProtocolCommands(app, cli);
  AddEnrollmentCommands(app, cli);
}

}  // namespace lims::cli
