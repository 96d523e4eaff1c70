// Patient consent (RegistryService): consent record | withdraw | show.
#include <cctype>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "display.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

// A patient by internal id (all digits) or registry id (e.g. MATHEC-0042).
std::string ConsentPatientId(Client& client, const std::string& id_or_registry_id) {
  const std::string key = Trim(id_or_registry_id);
  if (AllDigits(key)) return key;
  v1::GetPatientRequest request;
  request.set_registry_id(key);
  v1::GetPatientResponse response;
  client.Call([&](grpc::ClientContext* context) {
    return client.registry().GetPatient(context, request, &response);
  });
  return response.patient().id();
}

void CheckDate(const std::string& text, const std::string& option) {
  if (!ParseIsoDate(text).ok()) {
    throw CliError(kExitUsage,
                   option + " \"" + text + "\" is not a date; write YYYY-MM-DD, e.g. 2026-03-02");
  }
}

void PrintConsent(const v1::PatientConsent& consent) {
  std::string granted;
  for (const auto& g : consent.granted()) {
    if (!granted.empty()) granted += ", ";
    granted += ConsentScopeName(g.scope());
  }
  std::string withdrawn;
  for (int scope : consent.withdrawn_scopes()) {
    if (!withdrawn.empty()) withdrawn += ", ";
    withdrawn += ConsentScopeName(static_cast<v1::ConsentScope>(scope));
  }
  KeyValues lines = {{"Patient", Style::Bold(consent.patient_registry_id())},
                     {"As of", consent.as_of()},
                     {"Granted", granted.empty() ? Style::Warn("none") : granted}};
  if (!withdrawn.empty()) lines.push_back({"Withdrawn", Style::Warn(withdrawn)});
  PrintKeyValues(std::cout, lines);
  std::cout << "\n";
  if (consent.history().empty()) {
    std::cout << "No consent recorded.\n";
    return;
  }
  Table table({"DATE", "EVENT", "SCOPE", "VERSION / REASON", "RECORDED BY", "RECORDED AT"});
  for (const auto& e : consent.history()) {
    table.AddRow({e.effective_on(), e.withdrawn() ? "withdrawn" : "granted",
                  ConsentScopeName(e.scope()), e.withdrawn() ? e.reason() : e.version(),
                  e.recorded_by(), e.recorded_at()});
  }
  table.Print(std::cout);
}

}  // namespace

void AddConsentCommands(CLI::App& app, Cli& cli) {
  auto* consent = app.add_subcommand("consent", "Patient consent: record, withdraw, show");
  consent->require_subcommand(1);

  struct RecordArgs {
    std::string patient, scopes, signed_on, version;
  };
  auto record_args = std::make_shared<RecordArgs>();
  auto* record = consent->add_subcommand("record", "Record a signed consent form");
  record->add_option("PATIENT", record_args->patient, "patient id or registry id")->required();
  record
      ->add_option("--scopes", record_args->scopes,
                   "granted scopes, e.g. storage,research,genetic (also sharing_outside_eu, "
                   "commercial)")
      ->required();
  record->add_option("--signed", record_args->signed_on, "signing date YYYY-MM-DD")->required();
  record->add_option("--version", record_args->version, "the consent form's version, e.g. v2.1")
      ->required();
  cli.OnRun(record, [&cli, record_args] {
    CheckDate(record_args->signed_on, "--signed");
    v1::RecordConsentRequest request;
    for (auto scope : ParseScopes(record_args->scopes, "--scopes")) request.add_scopes(scope);
    if (request.scopes().empty()) throw CliError(kExitUsage, "--scopes: give at least one scope");
    request.set_patient_id(ConsentPatientId(cli.client(), record_args->patient));
    request.set_signed_on(record_args->signed_on);
    request.set_version(record_args->version);
    const v1::RecordConsentResponse response =
        cli.client().Mutate(&Client::registry, &v1::RegistryService::Stub::RecordConsent, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintConsent(response.consent());
    return 0;
  });

  struct WithdrawArgs {
    std::string patient, scopes, on, reason;
  };
  auto withdraw_args = std::make_shared<WithdrawArgs>();
  auto* withdraw = consent->add_subcommand(
      "withdraw", "Withdraw consent (all granted scopes, or --scopes); history is kept");
  withdraw->add_option("PATIENT", withdraw_args->patient, "patient id or registry id")
      ->required();
  withdraw->add_option("--scopes", withdraw_args->scopes,
                       "scopes to withdraw (default: every scope granted)");
  withdraw->add_option("--on", withdraw_args->on, "withdrawal date YYYY-MM-DD")->required();
  withdraw->add_option("--reason", withdraw_args->reason, "why (required, audited)")->required();
  cli.OnRun(withdraw, [&cli, withdraw_args] {
    CheckDate(withdraw_args->on, "--on");
    if (Trim(withdraw_args->reason).empty()) {
      throw CliError(kExitUsage, "--reason: a withdrawal needs a reason");
    }
    v1::WithdrawConsentRequest request;
    for (auto scope : ParseScopes(withdraw_args->scopes, "--scopes")) request.add_scopes(scope);
    request.set_patient_id(ConsentPatientId(cli.client(), withdraw_args->patient));
    request.set_withdrawn_on(withdraw_args->on);
    request.set_reason(withdraw_args->reason);
    const v1::WithdrawConsentResponse response = cli.client().Mutate(
        &Client::registry, &v1::RegistryService::Stub::WithdrawConsent, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintConsent(response.consent());
    return 0;
  });

  struct ShowArgs {
    std::string patient, as_of;
  };
  auto show_args = std::make_shared<ShowArgs>();
  auto* show = consent->add_subcommand("show", "A patient's consent today and its full history");
  show->add_option("PATIENT", show_args->patient, "patient id or registry id")->required();
  show->add_option("--as-of", show_args->as_of, "the consent on this day YYYY-MM-DD (default today)");
  cli.OnRun(show, [&cli, show_args] {
    if (!show_args->as_of.empty()) CheckDate(show_args->as_of, "--as-of");
    v1::GetConsentRequest request;
    request.set_patient_id(ConsentPatientId(cli.client(), show_args->patient));
    request.set_as_of(show_args->as_of);
    const v1::GetConsentResponse response =
        cli.client().Read(&Client::registry, &v1::RegistryService::Stub::GetConsent, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintConsent(response.consent());
    return 0;
  });
}

}  // namespace lims::cli
