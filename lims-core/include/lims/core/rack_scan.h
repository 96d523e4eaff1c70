// What a rack scanner (Ziath, FluidX, Micronic and the like) reports for a rack: one code per
// well, read from its CSV export, and how that compares with what the LIMS records in the box.
#ifndef LIMS_CORE_RACK_SCAN_H_
#define LIMS_CORE_RACK_SCAN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/box_layout.h"

namespace lims {

enum class WellReading {
  kCode,        // a tube whose code was read
  kEmpty,       // no tube
  kUnreadable,  // a tube whose code could not be read, or did not pass its check
};

struct ScannedWell {
  int position = 0;  // 1..capacity
  WellReading reading = WellReading::kEmpty;
  std::string code;  // canonical (CanonicalBarcode), kCode only
};

struct RackScan {
  std::string rack_barcode;    // "" when the file names none
  std::string position_style;  // "A1", "A01" or "1..N", as the file writes positions
  std::vector<ScannedWell> wells;  // every position of the layout, in order; unlisted = empty
};

// Parses a rack scanner's CSV export: a header naming a position column (position, pos, well,
// location) and a tube column (tube, barcode, code), optionally a rack column, or no header and
// RACK,POSITION,CODE / POSITION,CODE. Separators ',' ';' or tab; positions A1, A01 or 1..N
// (one style per file). "NO READ", "NOREAD", "ERROR" and codes that fail their check are
// unreadable; "", "EMPTY", "NO TUBE" are empty. InvalidArgument, with every line at fault: a
// position outside the layout or written twice, mixed position styles, one code in two wells.
absl::StatusOr<RackScan> ParseRackCsv(std::string_view csv, const BoxLayout& layout);

// A rack read from a picture: one reading per well in position order, with the decoded text
// for kCode. Codes are canonicalised as from a file (one that fails its check is unreadable),
// and a code seen in two wells makes both unreadable: one of them is misread, or two tubes
// carry one label, and either way neither well can be trusted.
RackScan RackScanFromWells(const BoxLayout& layout,
                           const std::vector<std::pair<WellReading, std::string>>& wells);

// Where the LIMS records a tube that was scanned.
struct RecordedPlace {
  int64_t box_id = 0;  // 0: not in a box
  int position = 0;
  std::string where;  // e.g. "Site PSL / ... / Box B-0042 C4", or "not in a box"
};

struct BoxReconciliation {
  struct Entry {
    std::string barcode;
    int position = 0;  // the scanned well (matched, misplaced, unexpected) or the recorded one
    std::string recorded_where;  // misplaced: where the LIMS has it
  };
  std::vector<Entry> matched;     // scanned where the LIMS has it
  std::vector<Entry> missing;     // the LIMS has it here; not seen in the scan
  std::vector<Entry> misplaced;   // known tube scanned here, recorded elsewhere
  std::vector<Entry> unexpected;  // a code the LIMS does not know
  std::vector<Entry> unverified;  // the LIMS has it here; its well could not be read
};

// Compares a scan of box `box_id` with the tubes recorded in it (`recorded`: position ->
// barcode) and where each scanned code is recorded (`known`: barcode -> place; absent = unknown).
BoxReconciliation ReconcileBox(int64_t box_id, const RackScan& scan,
                               const std::map<int, std::string>& recorded,
                               const std::map<std::string, RecordedPlace>& known);

}  // namespace lims

#endif  // LIMS_CORE_RACK_SCAN_H_
