#include "lims/core/tube_csv.h"

#include <cctype>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lims {
namespace {

struct ColumnNames {
  TubeColumn column;
  const char* name;  // ours
  bool required;
  std::vector<const char*> aliases;  // normalised: lower case letters and digits only
};

const std::vector<ColumnNames>& Columns() {
  static const auto* columns = new std::vector<ColumnNames>{
      {TubeColumn::kBarcode,
       "barcode",
       true,
       {"barcode", "specimenlabel", "label", "specimenbarcode"}},
      {TubeColumn::kParentBarcode,
       "parent_barcode",
       false,
       {"parentbarcode", "parentspecimenlabel", "parentlabel", "parentspecimenbarcode"}},
      {TubeColumn::kRegistryId,
       "registry_id",
       true,
       {"registryid", "ppid", "participantprotocolid", "participantid"}},
      {TubeColumn::kSiteCode, "site_code", true, {"sitecode", "site", "collectionsite"}},
      {TubeColumn::kProtocolCode,
       "protocol_code",
       true,
       {"protocolcode", "collectionprotocol", "cpshorttitle", "protocol"}},
      {TubeColumn::kAnchorDate, "anchor_date", false, {"anchordate", "registrationdate"}},
      {TubeColumn::kTimepointCode,
       "timepoint_code",
       true,
       {"timepointcode", "eventlabel", "visiteventlabel", "timepoint", "event"}},
      {TubeColumn::kSampleType, "sample_type", true, {"sampletype", "type", "specimentype"}},
      {TubeColumn::kQuantity,
       "quantity",
       true,
       {"quantity", "initialquantity", "availablequantity"}},
      {TubeColumn::kCollectedAt,
       "collected_at",
       true,
       {"collectedat", "collectiondate", "collectiondatetime", "collectiontime", "createdon"}},
      {TubeColumn::kBox, "box", false, {"box", "container", "containername", "storagebox"}},
      {TubeColumn::kPosition,
       "position",
       false,
       {"position", "containerposition", "storageposition", "well"}},
  };
  return *columns;
}

std::string Normalised(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

const char* TubeColumnName(TubeColumn column) { return Columns()[static_cast<int>(column)].name; }

absl::StatusOr<std::array<int, kTubeColumnCount>> MapTubeColumns(
    const std::vector<std::string>& header) {
  std::array<int, kTubeColumnCount> at;
  at.fill(-1);
  for (size_t i = 0; i < header.size(); ++i) {
    // A byte order mark is the reader's; what is left of a name is compared.
    const std::string name = Normalised(header[i]);
    for (const ColumnNames& c : Columns()) {
      bool match = false;
      for (const char* alias : c.aliases) match = match || name == alias;
      if (!match) continue;
      int& slot = at[static_cast<int>(c.column)];
      if (slot >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("the header names ", c.name, " twice (columns ", slot + 1, " and ", i + 1,
                         ": '", header[slot], "' and '", header[i], "'); keep one"));
      }
      slot = static_cast<int>(i);
    }
  }
  std::vector<std::string> missing;
  for (const ColumnNames& c : Columns()) {
    if (c.required && at[static_cast<int>(c.column)] < 0) missing.push_back(c.name);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the header lacks ", absl::StrJoin(missing, ", "),
        "; the first line must name the columns, e.g. barcode,parent_barcode,registry_id,"
        "site_code,protocol_code,anchor_date,timepoint_code,sample_type,quantity,collected_at,"
        "box,position (OpenSpecimen's export names are accepted too)"));
  }
  if ((at[static_cast<int>(TubeColumn::kBox)] < 0) !=
      (at[static_cast<int>(TubeColumn::kPosition)] < 0)) {
    return absl::InvalidArgumentError(
        "the header has a box column without a position column, or the reverse: give both");
  }
  return at;
}

}  // namespace lims
