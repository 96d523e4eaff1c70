// lims-bench: the LIMS load generator. Subcommands:
//   echo-server  a bare gRPC echo service, the yardstick (DESIGN §10)
//   wait         wait until a gRPC server accepts connections
//   seed         load a data set through the LIMS API and write its barcodes to a file
//   load         closed-loop load (echo or ResolveBarcode), results as one JSON line
//   report       Markdown tables from load results
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "echo_server.h"
#include "load.h"
#include "report.h"
#include "seed.h"
#include "token.h"

int main(int argc, char** argv) {
  CLI::App app{"lims-bench: load generator for the biobank LIMS"};
  app.require_subcommand(1);

  std::string listen = "127.0.0.1:50061";
  auto* echo_cmd = app.add_subcommand("echo-server", "Serve the bare gRPC echo service");
  echo_cmd->add_option("--listen", listen, "HOST:PORT (port 0: pick a free one)")->capture_default_str();

  std::string wait_target;
  double wait_seconds = 20;
  auto* wait_cmd = app.add_subcommand("wait", "Wait until a gRPC server accepts connections");
  wait_cmd->add_option("--target", wait_target, "HOST:PORT")->required();
  wait_cmd->add_option("--seconds", wait_seconds, "Give up after this long")->capture_default_str();

  lims_bench::SeedOptions seed;
  auto* seed_cmd = app.add_subcommand("seed", "Load a data set into a fresh lims-server");
  seed_cmd->add_option("--target", seed.target, "lims-server HOST:PORT")->required();
  seed_cmd->add_option("--samples", seed.samples, "Samples to collect")->capture_default_str()->check(CLI::PositiveNumber);
  seed_cmd->add_option("--patients", seed.patients, "Patients to enroll")->capture_default_str()->check(CLI::PositiveNumber);
  seed_cmd->add_option("--place-every", seed.place_every, "Place every K-th sample in a box (0: none)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  seed_cmd->add_option("--threads", seed.threads, "Concurrent writers")->capture_default_str()->check(CLI::Range(1, 64));
  seed_cmd->add_option("--site", seed.site, "Site code (must not exist yet)")->capture_default_str();
  seed_cmd->add_option("--out", seed.out, "Barcodes file to write")->capture_default_str();
  std::string seed_token_file;
  seed_cmd->add_option("--token-file", seed_token_file,
                       "An admin's API token (default: env LIMS_TOKEN)");

  lims_bench::LoadOptions load;
  auto* load_cmd = app.add_subcommand("load", "Closed-loop load; prints one JSON line");
  load_cmd->add_option("--target", load.target, "Server HOST:PORT")->required();
  load_cmd
      ->add_option("--rpc", load.rpc,
                   "echo, resolve, resolve-json (over the HTTP door), or a read of "
                   "bench/src/read_calls.h: history, box, completeness, criteria")
      ->required()
      ->check(CLI::IsMember(
          {"echo", "resolve", "resolve-json", "history", "box", "completeness", "criteria"}));
  load_cmd->add_option("--clients", load.clients, "Client threads, one connection each")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  load_cmd->add_option("--seconds", load.seconds, "Measured time")->capture_default_str()->check(CLI::PositiveNumber);
  load_cmd->add_option("--warmup", load.warmup_seconds, "Uncounted time before measuring")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  load_cmd
      ->add_option("--barcodes", load.barcodes_file,
                   "Barcodes file (from seed), or the keys of a read, one a line")
      ->check(CLI::ExistingFile);
  load_cmd->add_option("--label", load.label, "Label copied into the result, e.g. the backend");
  std::string load_token_file;
  load_cmd->add_option("--token-file", load_token_file,
                       "API token sent with every call, echo included (default: env LIMS_TOKEN)");

  std::vector<std::string> report_files;
  auto* report_cmd = app.add_subcommand("report", "Markdown tables from load results (JSON lines)");
  report_cmd->add_option("files", report_files, "Result files")->required()->check(CLI::ExistingFile);

  CLI11_PARSE(app, argc, argv);

  if (*echo_cmd) return lims_bench::RunEchoServer(listen);
  if (*wait_cmd) return lims_bench::WaitForServer(wait_target, wait_seconds);
  if (*seed_cmd) {
    auto token = lims_bench::FindToken(seed_token_file);
    if (!token) return 2;
    seed.token = *token;
    return lims_bench::RunSeed(seed);
  }
  if (*load_cmd) {
    auto token = lims_bench::FindToken(load_token_file);
    if (!token) return 2;
    load.token = *token;
    return lims_bench::RunLoad(load);
  }
  if (*report_cmd) return lims_bench::RunReport(report_files);
  return 2;
}
