// Small ASCII helpers shared by the parsers in this directory (internal, not installed).
// Written for std::string_view because this abseil build's absl::string_view is a distinct type.
#ifndef LIMS_CORE_SRC_TEXT_H_
#define LIMS_CORE_SRC_TEXT_H_

#include <string>
#include <string_view>

namespace lims::text {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
inline char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Scanners (keyboard wedges) add CR/LF/tab; people paste with spaces.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

inline std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Quotes user input for messages, so an empty or blank value is still visible. Long input is
// cut (an error message travels in a gRPC header, which has a size limit of its own).
inline std::string Quoted(std::string_view s) {
  constexpr size_t kShown = 64;
  std::string out = "\"";
  out.append(s.substr(0, kShown));
  out += '"';
  if (s.size() > kShown) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace lims::text

#endif  // LIMS_CORE_SRC_TEXT_H_
