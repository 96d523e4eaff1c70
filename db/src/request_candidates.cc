// RequestRepository::FindCandidates: the stored, unreserved tubes a researcher's criteria take
// in, read from ix_samples_request_criteria. A broad query answers hundreds of thousands of
// rows, so each row is read as numbers through the database's own statement API
// (native_statement.h): SOCI would turn every value into text and back.
#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "dialect.h"
#include "id_list.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/db/requests.h"
#include "native_statement.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

// The units quantities are stored in (Quantity::FromCanonical), numbered by SQL.
constexpr const char* kUnits[] = {"nL", "ng", "cells", "count"};

// The query's text and its parameters (the sample type names), in the order of their `?`s.
struct CandidateQuery {
  std::string sql;
  std::vector<std::string> parameters;
};

CandidateQuery BuildQuery(const CandidateFilter& f, Backend backend) {
  CandidateQuery q;
  auto parameter = [&](const std::string& value) {
    q.parameters.push_back(value);
    return std::string("?");
  };
  // The wanted types are numbered by SQL; any type comes as text, numbered when read.
  std::string type_column = "s.sample_type";
  if (!f.sample_types.empty()) {
    type_column = "CASE s.sample_type";
    for (size_t i = 0; i < f.sample_types.size(); ++i) {
      absl::StrAppend(&type_column, " WHEN ", parameter(f.sample_types[i]), " THEN ", i);
    }
    type_column += " END";
  }
  // Without a minimum, constants in their place (SQLite computes a constant once, not per row).
  std::string amount_column = "0", unit_column = "-1";
  if (f.with_quantity) {
    amount_column = "s.quantity_amount";
    unit_column = "CASE s.quantity_unit";
    for (size_t i = 0; i < std::size(kUnits); ++i) {
      absl::StrAppend(&unit_column, " WHEN '", kUnits[i], "' THEN ", i);
    }
    unit_column += " ELSE -1 END";
  }
  // The stored state by lims-core's own name (a constant, not user input); ids are numbers.
  std::string where =
      absl::StrCat(" WHERE s.timepoint_id IN (", IdList(f.timepoint_ids), ") AND s.status = '",
                   std::string(StatusName(SampleStatus::kStored)), "' AND r.sample_id IS NULL");
  if (!f.sample_types.empty()) {
    where += " AND s.sample_type IN (";
    for (size_t i = 0; i < f.sample_types.size(); ++i) {
      absl::StrAppend(&where, i ? ", " : "", parameter(f.sample_types[i]));
    }
    where += ")";
  }
  if (!f.site_ids.empty()) where += absl::StrCat(" AND s.site_id IN (", IdList(f.site_ids), ")");
  // Every column but the reservation and the box is in ix_samples_request_criteria, which the
  // query is pinned to (MariaDB would take ix_samples_status for "STORED" and read every row);
  // a preview asks only for what it counts.
  q.sql =
      absl::StrCat("SELECT s.enrollment_id, s.timepoint_id, ", amount_column, ", ", unit_column,
                   ", ", type_column, f.to_reserve ? ", s.id, s.freeze_thaw_count, pl.box_id" : "",
                   " FROM samples s", ThroughIndex(backend, "ix_samples_request_criteria"), " ",
                   f.to_reserve ? "LEFT JOIN placements pl ON pl.sample_id = s.id " : "",
                   "LEFT JOIN sample_reservations r ON r.sample_id = s.id", where,
                   // An approval reads the newest rows and locks them until it commits: a
                   // second approval waits, then sees the first's reservations, so the two
                   // can never each take a tube the retention rule would allow only once.
                   // (SQLite writers are serialised anyway.)
                   f.to_reserve ? LockingReadSuffix(backend) : "");
  return q;
}

// One row's values, as either reader fetches them (box 0: not in a box).
struct RawCandidate {
  long long enrollment = 0, timepoint = 0, amount = 0, sample = 0, box = 0;
  int unit = -1, type_number = 0, thaws = 0;
  std::string type_text;
};

void AddRow(const CandidateFilter& f, const RawCandidate& raw, Candidates& out) {
  CandidateRow& row = out.rows.emplace_back();
  row.enrollment_id = raw.enrollment;
  row.timepoint_id = raw.timepoint;
  if (raw.unit >= 0) {
    auto q = Quantity::FromCanonical(raw.amount, kUnits[raw.unit]);
    if (q.ok()) row.quantity = *q;
  }
  if (!f.sample_types.empty()) {
    row.sample_type = raw.type_number;
  } else if (out.rows.size() > 1 &&
             out.sample_types[out.rows.end()[-2].sample_type] == raw.type_text) {
    row.sample_type = out.rows.end()[-2].sample_type;  // the index gives a type's rows together
  } else {
    auto known = std::find(out.sample_types.begin(), out.sample_types.end(), raw.type_text);
    if (known == out.sample_types.end()) known = out.sample_types.insert(known, raw.type_text);
    row.sample_type = static_cast<int>(known - out.sample_types.begin());
  }
  if (f.to_reserve) {
    row.sample_id = raw.sample;
    row.freeze_thaw_count = raw.thaws;
    row.box_id = raw.box;
  }
}

// The rows of a statement prepared for this query (the IN lists vary), through the database's
// own statement API; read to the last at once, so MariaDB's are streamed.
void ReadRows(soci::session& session, Backend backend, const CandidateFilter& f, Candidates& out) {
  const CandidateQuery q = BuildQuery(f, backend);
  const std::unique_ptr<NativeStatement> statement =
      PrepareNative(session, backend, q.sql, ResultRows::kStreamed);
  NativeStatement& st = *statement;  // read column by column below
  st.Execute(q.parameters);
  RawCandidate raw;
  while (st.Fetch()) {
    st.Get(0, raw.enrollment);
    st.Get(1, raw.timepoint);
    st.Get(2, raw.amount);
    st.Get(3, raw.unit);
    if (f.sample_types.empty()) {
      st.Get(4, raw.type_text);
    } else {
      st.Get(4, raw.type_number);
    }
    if (f.to_reserve) {
      st.Get(5, raw.sample);
      st.Get(6, raw.thaws);
      st.Get(7, raw.box);
    }
    AddRow(f, raw, out);
  }
}

}  // namespace

absl::StatusOr<Candidates> RequestRepository::FindCandidates(const CandidateFilter& f) {
  return Guarded([&]() -> absl::StatusOr<Candidates> {
    Candidates out;
    if (f.timepoint_ids.empty()) return out;
    if (!f.sample_types.empty()) out.sample_types = f.sample_types;
    ReadRows(tx_.session(), tx_.backend(), f, out);
    return out;
  });
}

}  // namespace lims::db
