// LIKE patterns with the caller's text taken literally: '%', '_' and the escape '!' are escaped
// (use with ESCAPE '!', the same on SQLite and MariaDB).
#ifndef LIMS_DB_SRC_LIKE_PATTERN_H_
#define LIMS_DB_SRC_LIKE_PATTERN_H_

#include <string>
#include <string_view>

namespace lims::db {

inline std::string LikeLiteral(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}

// Everything below a storage path: "Site PSL / Freezer F1 / %".
inline std::string BelowPath(std::string_view path) { return LikeLiteral(path) + " / %"; }

// The placements (alias pl) in a unit at any depth, binding the unit's id (:u) and then
// BelowPath of its path (:p). The units are found first, then their placements by index: an OR
// over a join would read every placement.
inline constexpr char kPlacedUnder[] =
    "pl.box_id IN (SELECT b.id FROM storage_units b WHERE b.id = :u OR b.path LIKE :p "
    "ESCAPE '!')";

}  // namespace lims::db

#endif  // LIMS_DB_SRC_LIKE_PATTERN_H_
