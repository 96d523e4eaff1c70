#include "output.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace lims::cli {

int ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return kExitOk;
    case grpc::StatusCode::NOT_FOUND: return kExitNotFound;
    case grpc::StatusCode::INVALID_ARGUMENT: return kExitInvalidArgument;
    case grpc::StatusCode::FAILED_PRECONDITION: return kExitFailedPrecondition;
    case grpc::StatusCode::ALREADY_EXISTS: return kExitAlreadyExists;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED: return kExitUnreachable;
    case grpc::StatusCode::ABORTED: return kExitAborted;
    case grpc::StatusCode::UNAUTHENTICATED: return kExitUnauthenticated;
    case grpc::StatusCode::PERMISSION_DENIED: return kExitPermissionDenied;
    default: return kExitOther;
  }
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

int ReportRpcError(const grpc::Status& status, const std::string& request_id,
                   const std::string& server) {
  const grpc::StatusCode code = status.error_code();
  std::string message = status.error_message();
  if (code == grpc::StatusCode::UNAVAILABLE && message.rfind("the database ", 0) == 0) {
    // The server answered (its database messages start so): the database is what is missing.
    message = "lims-server at " + server + " answers, but " + message;
  } else if (code == grpc::StatusCode::UNAVAILABLE) {
    message = "cannot reach lims-server at " + server + "; is it running?" +
              (message.empty() ? "" : " (" + message + ")");
  } else if (code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    message = "lims-server at " + server + " did not answer within 10 s" +
              (message.empty() ? "" : " (" + message + ")");
  } else if (code == grpc::StatusCode::UNAUTHENTICATED) {
    message = std::string(kNotLoggedIn) +
              (message.empty() ? "" : "\n  (lims-server: " + message + ")");
  }
  std::cerr << "error: " << CodeName(code) << ": " << message << "\n";
  const bool may_retry = code == grpc::StatusCode::UNAVAILABLE ||
                         code == grpc::StatusCode::DEADLINE_EXCEEDED ||
                         code == grpc::StatusCode::ABORTED;
  if (may_retry && !request_id.empty()) {
    std::cerr << "hint: the change may or may not have been applied; to retry it safely, run the "
                 "same command again with --request-id "
              << request_id << "\n";
  } else if (code == grpc::StatusCode::ABORTED) {
    std::cerr << "hint: a concurrent change got in the way; run the command again\n";
  }
  return ExitCodeFor(code);
}

int ReportCliError(const CliError& error) {
  std::cerr << "error: " << error.what() << "\n";
  return error.exit_code();
}

bool PrintedJson(bool json, const google::protobuf::Message& message) {
  if (json) PrintJson(message);
  return json;
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    throw CliError(kExitOther, "cannot print the answer as JSON: " + status.ToString());
  }
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x1B && i + 1 < text.size() && text[i + 1] == '[') {  // skip a colour sequence
      i += 2;
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++width;  // count lead bytes only
  }
  return width;
}

std::string PadRight(std::string_view text, size_t width) {
  std::string out(text);
  size_t have = DisplayWidth(text);
  if (have < width) out.append(width - have, ' ');
  return out;
}

std::string PadLeft(std::string_view text, size_t width) {
  size_t have = DisplayWidth(text);
  std::string out;
  if (have < width) out.append(width - have, ' ');
  out.append(text);
  return out;
}

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_(headers_.size(), false) {}

Table& Table::AlignRight(size_t column) {
  if (column < right_.size()) right_[column] = true;
  return *this;
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) widths[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  auto print_line = [&](const std::vector<std::string>& cells, bool header) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      const bool last = i + 1 == cells.size();
      if (i > 0) line += "  ";
      if (right_[i]) {
        line += PadLeft(cells[i], widths[i]);
      } else {
        line += last ? cells[i] : PadRight(cells[i], widths[i]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << (header ? Style::Bold(line) : line) << "\n";
  };
  print_line(headers_, true);
  for (const auto& row : rows_) print_line(row, false);
}

void PrintKeyValues(std::ostream& out, const KeyValues& lines, std::string_view indent) {
  size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, DisplayWidth(key) + 1);
  for (const auto& [key, value] : lines) {
    out << indent << PadRight(key + ":", width) << "  " << value << "\n";
  }
}

bool Style::Enabled() {
  static const bool enabled = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return enabled;
}

std::string Style::Bold(std::string_view text) {
  if (!Enabled()) return std::string(text);
  return "\033[1m" + std::string(text) + "\033[0m";
}

std::string Style::Warn(std::string_view text) {
  if (!Enabled()) return std::string(text);
  return "\033[1;31m" + std::string(text) + "\033[0m";
}

std::string Style::Good(std::string_view text) {
  if (!Enabled()) return std::string(text);
  return "\033[32m" + std::string(text) + "\033[0m";
}

}  // namespace lims::cli
