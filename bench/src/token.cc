#include "token.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace lims_bench {
namespace {

std::string Trim(const std::string& text) {
  const char* space = " \t\r\n";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

bool IsToken(const std::string& token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (c <= 0x20 || c >= 0x7f) return false;  // must travel in gRPC metadata as it is
  }
  return true;
}

}  // namespace

std::optional<std::string> FindToken(const std::string& token_file) {
  std::string token;
  std::string source;
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) {
      std::cerr << "lims-bench: cannot read the token file " << token_file << "\n";
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    token = Trim(text.str());
    source = token_file;
  } else if (const char* env = std::getenv("LIMS_TOKEN"); env != nullptr) {
    token = Trim(env);
    source = "LIMS_TOKEN";
    if (token.empty()) return token;
  } else {
    return std::string();
  }
  if (!IsToken(token)) {
    std::cerr << "lims-bench: " << source << " holds no token (one word of printable ASCII)\n";
    return std::nullopt;
  }
  return token;
}

}  // namespace lims_bench
