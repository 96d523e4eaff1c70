// Everything the user sees: aligned tables, "key: value" blocks, JSON documents, errors on
// stderr and the exit codes scripts rely on.
#ifndef LIMS_CLI_OUTPUT_H_
#define LIMS_CLI_OUTPUT_H_

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lims::cli {

// Exit codes (documented in docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitNotFound = 3,
  kExitInvalidArgument = 4,
  kExitFailedPrecondition = 5,
  kExitAlreadyExists = 6,
  kExitUnreachable = 7,
  kExitAborted = 8,
  kExitUnauthenticated = 9,
  kExitPermissionDenied = 10,
};

// What UNAUTHENTICATED (exit code 9) tells the user.
inline constexpr char kNotLoggedIn[] = "not logged in or token revoked: run `lims login`";

// A failure detected by the client itself (bad argument, unreadable file, ...).
class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

int ExitCodeFor(grpc::StatusCode code);
// "NOT_FOUND", "FAILED_PRECONDITION", ...
std::string CodeName(grpc::StatusCode code);

// Prints "error: CODE: message" (plus a hint for unreachable servers, for a missing or refused
// token and for mutating calls that can be retried with the same request id) and returns the
// exit code.
int ReportRpcError(const grpc::Status& status, const std::string& request_id,
                   const std::string& server);
int ReportCliError(const CliError& error);

// Prints `message` as one JSON document (snake_case field names as in the .proto files, default
// values included) on stdout.
void PrintJson(const google::protobuf::Message& message);
// With --json: prints `message` and returns true (the command is done); else false.
bool PrintedJson(bool json, const google::protobuf::Message& message);

// Terminal columns taken by a UTF-8 string: one per code point (we print no wide characters),
// colour sequences excluded.
size_t DisplayWidth(std::string_view text);
std::string PadRight(std::string_view text, size_t width);
std::string PadLeft(std::string_view text, size_t width);

// A table with a header line and columns aligned on two spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  Table& AlignRight(size_t column);
  void AddRow(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

// "Key:   value" lines with the values aligned.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
void PrintKeyValues(std::ostream& out, const KeyValues& lines, std::string_view indent = "");

// Emphasis for a terminal: only when stdout is a terminal and NO_COLOR is not set.
class Style {
 public:
  static bool Enabled();
  static std::string Bold(std::string_view text);
  static std::string Warn(std::string_view text);  // bold red
  static std::string Good(std::string_view text);  // green
};

}  // namespace lims::cli

#endif  // LIMS_CLI_OUTPUT_H_
