// Manifest signing keys (ShipmentService): this installation's own key to give to the centres
// it ships to, and the other installations' keys trusted here (add and revoke: admins).
#include <iostream>
#include <memory>
#include <string>

#include "cli.h"
#include "output.h"
#include "time_args.h"

namespace lims::cli {
namespace {

void PrintKey(const v1::TrustedKey& k) {
  PrintKeyValues(std::cout, {{"Site", k.site_code()},
                             {"Key", k.public_key()},
                             {"Fingerprint", k.fingerprint()},
                             {"Added", FormatTimestamp(k.added_at()) + " by " + k.added_by()},
                             {"Reason", k.reason()}});
  if (k.revoked()) {
    PrintKeyValues(std::cout, {{"Revoked", FormatTimestamp(k.revoked_at()) + " by " +
                                               k.revoked_by() + ": " + k.revoke_reason()}});
  }
}

void AddShowCommand(CLI::App& trust, Cli& cli) {
  auto* show = trust.add_subcommand(
      "show", "This installation's signing key: give it to the centres you ship to, and read "
              "them the fingerprint");
  cli.OnRun(show, [&cli] {
    v1::GetSigningKeyRequest request;
    const v1::GetSigningKeyResponse response =
        cli.client().Read(&Client::shipments, &v1::ShipmentService::Stub::GetSigningKey, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    PrintKeyValues(std::cout, {{"Key", response.public_key()},
                               {"Fingerprint", response.fingerprint()}});
    return 0;
  });
}

void AddAddCommand(CLI::App& trust, Cli& cli) {
  struct Args {
    std::string site, key, reason;
  };
  auto args = std::make_shared<Args>();
  auto* add = trust.add_subcommand(
      "add", "Trust another installation's key for manifests from one of its sites (admins)");
  add->add_option("SITE", args->site, "the sending site's code")->required();
  add->add_option("KEY", args->key, "its key, as its `lims trust show` prints it")->required();
  add->add_option("--reason", args->reason,
                  "how you checked it, e.g. \"fingerprint read over the phone with J. Martin\"")
      ->required();
  cli.OnRun(add, [&cli, args] {
    v1::AddTrustedKeyRequest request;
    request.set_site_code(Trim(args->site));
    request.set_public_key(Trim(args->key));
    request.set_reason(Trim(args->reason));
    const v1::AddTrustedKeyResponse response =
        cli.client().Mutate(&Client::shipments, &v1::ShipmentService::Stub::AddTrustedKey, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    std::cout << "Manifests from " << Style::Bold(response.key().site_code())
              << " signed by key " << response.key().fingerprint() << " are trusted here\n";
    return 0;
  });
}

void AddRevokeCommand(CLI::App& trust, Cli& cli) {
  struct Args {
    std::string fingerprint, reason;
  };
  auto args = std::make_shared<Args>();
  auto* revoke = trust.add_subcommand(
      "revoke", "Refuse manifests signed by a key from now on, for every site (admins)");
  revoke->add_option("FINGERPRINT", args->fingerprint, "as lims trust list shows it")->required();
  revoke->add_option("--reason", args->reason, "why, e.g. \"their server was replaced\"")
      ->required();
  cli.OnRun(revoke, [&cli, args] {
    v1::RevokeTrustedKeyRequest request;
    request.set_fingerprint(Trim(args->fingerprint));
    request.set_reason(Trim(args->reason));
    const v1::RevokeTrustedKeyResponse response = cli.client().Mutate(
        &Client::shipments, &v1::ShipmentService::Stub::RevokeTrustedKey, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    for (const auto& k : response.keys()) {
      std::cout << "Key " << k.fingerprint() << " is no longer trusted for " << k.site_code()
                << "\n";
    }
    return 0;
  });
}

void AddListCommand(CLI::App& trust, Cli& cli) {
  auto* list = trust.add_subcommand("list", "The keys trusted here, revoked ones included");
  cli.OnRun(list, [&cli] {
    v1::ListTrustedKeysRequest request;
    const v1::ListTrustedKeysResponse response =
        cli.client().Read(&Client::shipments, &v1::ShipmentService::Stub::ListTrustedKeys, request);
    if (PrintedJson(cli.options.json, response)) return 0;
    Table table({"SITE", "FINGERPRINT", "ADDED", "BY", "STATE"});
    for (const auto& k : response.keys()) {
      table.AddRow({k.site_code(), k.fingerprint(), FormatTimestamp(k.added_at()), k.added_by(),
                    k.revoked() ? "revoked " + FormatTimestamp(k.revoked_at()) : "trusted"});
    }
    table.Print(std::cout);
    return 0;
  });
}

}  // namespace

void AddTrustCommands(CLI::App& app, Cli& cli) {
  auto* trust = app.add_subcommand(
      "trust", "Manifest signing keys: yours (show), other installations' (add, revoke, list)");
  trust->require_subcommand(1);
  AddShowCommand(*trust, cli);
  AddAddCommand(*trust, cli);
  AddRevokeCommand(*trust, cli);
  AddListCommand(*trust, cli);
}

}  // namespace lims::cli
