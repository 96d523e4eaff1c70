// How LIMS values read on screen: quantities, statuses, kinds, windows, locations, box rows.
#ifndef LIMS_CLI_DISPLAY_H_
#define LIMS_CLI_DISPLAY_H_

#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>
#include <string_view>

#include "lims/v1/common.pb.h"
#include "lims/v1/registry.pb.h"
#include "lims/v1/sample.pb.h"
#include "lims/v1/storage.pb.h"
#include "output.h"

namespace lims::cli {

// "4 mL", "500 µL", "2e6 cells" (volumes of 1 mL and more in mL, masses of 1 mg and more in mg).
std::string FormatQuantity(const v1::Quantity& quantity);
// "STORED", "CHECKED_OUT", ...
std::string StatusName(v1::SampleStatus status);
// "site", "room", "freezer", "shelf", "rack", "tower", "box".
std::string KindName(v1::StorageKind kind);
// The inverse of KindName (case-insensitive); STORAGE_KIND_UNSPECIFIED when unknown.
v1::StorageKind ParseKind(std::string_view text);
// "in window" or "OUT OF WINDOW (3 days late)".
std::string WindowText(const v1::Sample& sample);
// "-28 d", "0 d", "+90 d".
std::string FormatOffset(int days);
// "-14/+14 d", "±0 d".
std::string FormatWindow(int before, int after);
// "SER ×1, PL1 ×4" or "1 primary sample (any type)".
std::string FormatKit(const v1::Timepoint& timepoint);
// The box's name from the end of a location's path ("... / Box B-0042" → "B-0042"), else its id.
std::string BoxName(const v1::Location& location);
// "box B-0042 (#12) position A1", or "not in a box".
std::string FormatLocation(const v1::Location& location);
// What a well of `box show` displays for a tube: the distinctive end of its barcode, at most
// `width` characters ("PSL26-000123-K" → "123", "0123456789" → "6789" for width 4).
std::string ShortTag(std::string_view barcode, size_t width);

// A box or rack drawn as a grid: column numbers above, row labels beside, each well's tag
// (row, column from 0) in bold, "·" in the others.
void PrintWellGrid(std::ostream& out, int rows, int columns,
                   const std::map<std::pair<int, int>, std::string>& tags);

// The key/value lines describing a sample (shared by collect, sample show and resolve).
KeyValues SampleLines(const v1::Sample& sample);

// "storage", "research", "genetic", "sharing_outside_eu", "commercial".
std::string ConsentScopeName(v1::ConsentScope scope);
// "storage,research genetic" → scopes ('-' accepted for '_'); CliError naming `option` for an
// unknown one.
std::vector<v1::ConsentScope> ParseScopes(const std::string& text, const std::string& option);
// What resolve shows: "storage, research" / "none recorded" / "... (some withdrawn)".
std::string ConsentText(const google::protobuf::RepeatedField<int>& scopes, bool withdrawn);

}  // namespace lims::cli

#endif  // LIMS_CLI_DISPLAY_H_
