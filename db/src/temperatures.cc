#include "lims/db/temperatures.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr long long kHourMicros = 3'600'000'000LL;

const char* SideCode(ExcursionSide side) { return side == ExcursionSide::kHigh ? "high" : "low"; }

absl::Time Micros(long long v) { return absl::FromUnixMicros(v); }

}  // namespace

absl::StatusOr<int> TemperatureLog::Insert(const std::vector<ProbeReading>& readings) {
  return Guarded([&]() -> absl::StatusOr<int> {
    // MariaDB: many rows a statement, one round trip per chunk rather than per reading (a year
    // of a probe read every minute is half a million rows). SQLite has no round trips, and
    // looks named parameters up one by one: one row a statement, prepared once, is fastest.
    const size_t chunk = tx_.backend() == Backend::kSqlite ? 1 : 250;
    std::vector<std::string> probe(chunk);
    std::vector<long long> at(chunk);
    std::vector<double> celsius(chunk);
    auto prepared = [&](size_t n) {
      auto st = std::make_unique<soci::statement>(tx_.session());
      std::string sql = tx_.backend() == Backend::kSqlite ? "INSERT OR IGNORE" : "INSERT IGNORE";
      absl::StrAppend(&sql, " INTO temperature_readings (probe_id, at, celsius) VALUES ");
      for (size_t k = 0; k < n; ++k) {
        absl::StrAppend(&sql, k ? ", " : "", "(:p", k, ", :a", k, ", :c", k, ")");
        st->exchange(soci::use(probe[k]));
        st->exchange(soci::use(at[k]));
        st->exchange(soci::use(celsius[k]));
      }
      Prepare(*st, sql);
      return st;
    };
    std::unique_ptr<soci::statement> full, rest;
    int inserted = 0;
    std::set<std::pair<std::string, long long>> hours;
    for (size_t first = 0; first < readings.size(); first += chunk) {
      const size_t n = std::min(chunk, readings.size() - first);
      for (size_t k = 0; k < n; ++k) {
        const ProbeReading& r = readings[first + k];
        probe[k] = r.probe_id;
        at[k] = absl::ToUnixMicros(r.at);
        celsius[k] = r.celsius;
      }
      std::unique_ptr<soci::statement>& st = n == chunk ? full : rest;
      if (!st) st = prepared(n);
      st->execute(true);
      const long long added = st->get_affected_rows();
      if (added == 0) continue;  // all known already: their hours are summed
      inserted += static_cast<int>(added);
      for (size_t k = 0; k < n; ++k) {
        hours.insert({probe[k], at[k] - ((at[k] % kHourMicros) + kHourMicros) % kHourMicros});
      }
    }
    for (const auto& [hour_probe, hour] : hours) {
      if (absl::Status s = RollUp(hour_probe, hour); !s.ok()) return s;
    }
    return inserted;
  });
}

// The hour's figures again from its raw readings (a reading added late changes them).
absl::Status TemperatureLog::RollUp(const std::string& probe_id, int64_t hour_micros) {
  std::string probe = probe_id;
  long long from = hour_micros, to = hour_micros + kHourMicros;
  tx_.session() << "DELETE FROM temperature_hours WHERE probe_id = :p AND hour_at = :h",
      soci::use(probe), soci::use(from);
  tx_.session() << "INSERT INTO temperature_hours (probe_id, hour_at, min_celsius, max_celsius, "
                   "sum_celsius, readings) SELECT probe_id, :h, MIN(celsius), MAX(celsius), "
                   "SUM(celsius), COUNT(*) FROM temperature_readings WHERE probe_id = :p "
                   "AND at >= :f AND at < :t GROUP BY probe_id",
      soci::use(from), soci::use(probe), soci::use(from), soci::use(to);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Reading>> TemperatureLog::Between(const std::string& probe_id,
                                                             absl::Time from, absl::Time to) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Reading>> {
    std::vector<Reading> out;
    std::string probe = probe_id;
    long long f = absl::ToUnixMicros(from), t = absl::ToUnixMicros(to), at = 0;
    double celsius = 0;
    soci::statement st =
        (tx_.session().prepare << "SELECT at, celsius FROM temperature_readings WHERE probe_id = "
                                  ":p AND at >= :f AND at <= :t ORDER BY at",
         soci::use(probe), soci::use(f), soci::use(t), soci::into(at), soci::into(celsius));
    st.execute();
    while (st.fetch()) out.push_back({Micros(at), celsius});
    return out;
  });
}

absl::StatusOr<std::optional<double>> TemperatureLog::Extreme(const std::string& probe_id,
                                                              absl::Time from, absl::Time to,
                                                              bool highest) {
  return Guarded([&]() -> absl::StatusOr<std::optional<double>> {
    std::string probe = probe_id;
    long long f = absl::ToUnixMicros(from), t = absl::ToUnixMicros(to);
    double value = 0;
    soci::indicator ind = soci::i_null;
    tx_.session() << absl::StrCat("SELECT ", highest ? "MAX" : "MIN",
                                  "(celsius) FROM temperature_readings WHERE probe_id = :p "
                                  "AND at >= :f AND at <= :t"),
        soci::use(probe), soci::use(f), soci::use(t), soci::into(value, ind);
    if (ind == soci::i_ok) return std::optional<double>(value);
    long long hour_from = f - ((f % kHourMicros) + kHourMicros) % kHourMicros;
    tx_.session() << absl::StrCat("SELECT ", highest ? "MAX(max_celsius)" : "MIN(min_celsius)",
                                  " FROM temperature_hours WHERE probe_id = :p AND hour_at >= :f "
                                  "AND hour_at <= :t"),
        soci::use(probe), soci::use(hour_from), soci::use(t), soci::into(value, ind);
    if (ind == soci::i_ok) return std::optional<double>(value);
    return std::optional<double>();
  });
}

absl::StatusOr<std::optional<Reading>> TemperatureLog::Latest(const std::string& probe_id) {
  return Guarded([&]() -> absl::StatusOr<std::optional<Reading>> {
    std::string probe = probe_id;
    long long at = 0;
    double celsius = 0;
    tx_.session() << "SELECT at, celsius FROM temperature_readings WHERE probe_id = :p "
                     "ORDER BY at DESC LIMIT 1",
        soci::use(probe), soci::into(at), soci::into(celsius);
    if (!tx_.session().got_data()) return std::optional<Reading>();
    return std::optional<Reading>(Reading{Micros(at), celsius});
  });
}

absl::StatusOr<int64_t> TemperatureLog::PruneBefore(absl::Time before) {
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    long long t = absl::ToUnixMicros(before);
    soci::statement st =
        (tx_.session().prepare << "DELETE FROM temperature_readings WHERE at < :t", soci::use(t));
    st.execute(true);
    return static_cast<int64_t>(st.get_affected_rows());
  });
}

absl::StatusOr<std::vector<ExcursionRecord>> ExcursionRepository::Select(
    const std::string& where, const std::vector<long long>& values) {
  return Guarded([&]() -> absl::StatusOr<std::vector<ExcursionRecord>> {
    std::vector<ExcursionRecord> out;
    ExcursionRecord row;
    long long id = 0, unit = 0, start = 0, end = 0, last = 0, peak_at = 0, ack_at = 0;
    soci::indicator end_ind = soci::i_null;
    std::string side;
    std::vector<long long> bound = values;
    soci::statement st(tx_.session());
    st.exchange(soci::into(id));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(side));
    st.exchange(soci::into(row.span.threshold));
    st.exchange(soci::into(start));
    st.exchange(soci::into(end, end_ind));
    st.exchange(soci::into(last));
    st.exchange(soci::into(row.span.peak));
    st.exchange(soci::into(peak_at));
    st.exchange(soci::into(row.span.minutes_beyond));
    st.exchange(soci::into(row.span.degree_minutes));
    st.exchange(soci::into(row.acknowledged_by));
    st.exchange(soci::into(ack_at));
    st.exchange(soci::into(row.cause));
    st.exchange(soci::into(row.impact));
    st.exchange(soci::into(row.corrective_action));
    for (long long& v : bound) st.exchange(soci::use(v));
    Prepare(st, absl::StrCat("SELECT id, unit_id, side, threshold_celsius, start_at, end_at, "
                             "last_reading_at, peak_celsius, peak_at, minutes_beyond, "
                             "degree_minutes, acknowledged_by, acknowledged_at, cause, impact, "
                             "corrective_action FROM excursions ",
                             where));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      row.unit_id = unit;
      row.span.side = side == "low" ? ExcursionSide::kLow : ExcursionSide::kHigh;
      row.span.start = Micros(start);
      row.span.end =
          end_ind == soci::i_null ? std::nullopt : std::optional<absl::Time>(Micros(end));
      row.span.last_reading = Micros(last);
      row.span.peak_at = Micros(peak_at);
      row.acknowledged_at = Micros(ack_at);
      out.push_back(row);
    }
    return out;
  });
}

absl::StatusOr<std::vector<ExcursionRecord>> ExcursionRepository::ForUnits(
    const std::vector<int64_t>& unit_ids, bool open_only, int limit) {
  if (unit_ids.empty()) return std::vector<ExcursionRecord>();
  return Select(absl::StrCat("WHERE unit_id IN (", IdList(unit_ids), ")",
                             open_only ? " AND end_at IS NULL" : "",
                             " ORDER BY start_at DESC, id DESC LIMIT ", limit),
                {});
}

absl::StatusOr<std::vector<ExcursionRecord>> ExcursionRepository::Recent(
    const std::vector<int64_t>& site_ids, bool open_only, int limit) {
  std::string where = "WHERE 1 = 1";
  if (!site_ids.empty()) {
    absl::StrAppend(&where, " AND unit_id IN (SELECT id FROM storage_units WHERE site_id IN (",
                    IdList(site_ids), "))");
  }
  if (open_only) absl::StrAppend(&where, " AND end_at IS NULL");
  absl::StrAppend(&where, " ORDER BY start_at DESC, id DESC LIMIT ", limit);
  return Select(where, {});
}

absl::StatusOr<ExcursionRecord> ExcursionRepository::FindById(int64_t id) {
  auto found = Select("WHERE id = :i", {id});
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no excursion ", id, "; lims excursions lists them (ListExcursions)"));
  }
  return found->front();
}

absl::StatusOr<std::vector<ExcursionRecord>> ExcursionRepository::Since(int64_t unit_id,
                                                                        absl::Time at) {
  return Select("WHERE unit_id = :u AND (end_at IS NULL OR end_at >= :t) ORDER BY start_at",
                {unit_id, absl::ToUnixMicros(at)});
}

absl::Status ExcursionRepository::Save(ExcursionRecord& r) {
  return Guarded([&]() -> absl::Status {
    long long unit = r.unit_id, start = absl::ToUnixMicros(r.span.start),
              end = r.span.end ? absl::ToUnixMicros(*r.span.end) : 0,
              last = absl::ToUnixMicros(r.span.last_reading),
              peak_at = absl::ToUnixMicros(r.span.peak_at), id = r.id;
    soci::indicator end_ind = r.span.end ? soci::i_ok : soci::i_null;
    const std::string side = SideCode(r.span.side);
    if (r.id == 0) {
      tx_.session() << "INSERT INTO excursions (unit_id, side, threshold_celsius, start_at, "
                       "end_at, last_reading_at, peak_celsius, peak_at, minutes_beyond, "
                       "degree_minutes) VALUES (:u, :s, :th, :st, :en, :la, :pk, :pa, :mb, :dm)",
          soci::use(unit), soci::use(side), soci::use(r.span.threshold), soci::use(start),
          soci::use(end, end_ind), soci::use(last), soci::use(r.span.peak), soci::use(peak_at),
          soci::use(r.span.minutes_beyond), soci::use(r.span.degree_minutes);
      r.id = LastInsertId(tx_, "excursions");
    } else {
      tx_.session() << "UPDATE excursions SET threshold_celsius = :th, end_at = :en, "
                       "last_reading_at = :la, peak_celsius = :pk, peak_at = :pa, "
                       "minutes_beyond = :mb, degree_minutes = :dm WHERE id = :i",
          soci::use(r.span.threshold), soci::use(end, end_ind), soci::use(last),
          soci::use(r.span.peak), soci::use(peak_at), soci::use(r.span.minutes_beyond),
          soci::use(r.span.degree_minutes), soci::use(id);
    }
    return absl::OkStatus();
  });
}

absl::Status ExcursionRepository::Delete(int64_t id) {
  return Guarded([&]() -> absl::Status {
    long long key = id;
    tx_.session() << "DELETE FROM sample_exposures WHERE excursion_id = :i", soci::use(key);
    tx_.session() << "DELETE FROM excursions WHERE id = :i", soci::use(key);
    return absl::OkStatus();
  });
}

absl::Status ExcursionRepository::Acknowledge(const ExcursionRecord& r) {
  return Guarded([&]() -> absl::Status {
    long long id = r.id, at = absl::ToUnixMicros(r.acknowledged_at);
    tx_.session() << "UPDATE excursions SET acknowledged_by = :b, acknowledged_at = :a, "
                     "cause = :c, impact = :im, corrective_action = :ca WHERE id = :i",
        soci::use(r.acknowledged_by), soci::use(at), soci::use(r.cause), soci::use(r.impact),
        soci::use(r.corrective_action), soci::use(id);
    return absl::OkStatus();
  });
}

absl::Status ExcursionRepository::ReplaceExposures(int64_t excursion_id,
                                                   const std::vector<Exposure>& exposures) {
  return Guarded([&]() -> absl::Status {
    long long excursion = excursion_id, sample = 0;
    double minutes = 0, peak = 0;
    tx_.session() << "DELETE FROM sample_exposures WHERE excursion_id = :e", soci::use(excursion);
    soci::statement st =
        (tx_.session().prepare << "INSERT INTO sample_exposures (excursion_id, sample_id, "
                                  "minutes_exposed, peak_celsius) VALUES (:e, :s, :m, :p)",
         soci::use(excursion), soci::use(sample), soci::use(minutes), soci::use(peak));
    for (const Exposure& e : exposures) {
      sample = e.sample_id;
      minutes = e.minutes;
      peak = e.peak_celsius;
      st.execute(true);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Exposure>> ExcursionRepository::SelectExposures(
    const std::string& where, const std::vector<long long>& values) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Exposure>> {
    std::vector<Exposure> out;
    Exposure row;
    long long excursion = 0, sample = 0;
    std::vector<long long> bound = values;  // soci binds by reference
    soci::statement st(tx_.session());
    st.exchange(soci::into(excursion));
    st.exchange(soci::into(sample));
    st.exchange(soci::into(row.barcode));
    st.exchange(soci::into(row.minutes));
    st.exchange(soci::into(row.peak_celsius));
    for (long long& v : bound) st.exchange(soci::use(v));
    Prepare(st, absl::StrCat("SELECT x.excursion_id, x.sample_id, s.barcode, x.minutes_exposed, "
                             "x.peak_celsius FROM sample_exposures x JOIN samples s ON s.id = "
                             "x.sample_id ",
                             where));
    st.execute();
    while (st.fetch()) {
      row.excursion_id = excursion;
      row.sample_id = sample;
      out.push_back(row);
    }
    return out;
  });
}

absl::StatusOr<std::vector<Exposure>> ExcursionRepository::ExposuresOf(int64_t excursion_id) {
  return SelectExposures("WHERE x.excursion_id = :e ORDER BY x.minutes_exposed DESC, s.barcode",
                         {excursion_id});
}

absl::StatusOr<std::vector<Exposure>> ExcursionRepository::ExposuresOfSamples(
    const std::vector<int64_t>& sample_ids) {
  if (sample_ids.empty()) return std::vector<Exposure>();
  // The ids are written in: numbers of ours.
  return SelectExposures(absl::StrCat("WHERE x.sample_id IN (", IdList(sample_ids),
                                      ") ORDER BY x.sample_id, x.excursion_id"),
                         {});
}

absl::StatusOr<std::vector<Exposure>> ExcursionRepository::ExposuresOfSample(int64_t sample_id) {
  return SelectExposures("WHERE x.sample_id = :s ORDER BY x.excursion_id", {sample_id});
}

}  // namespace lims::db
