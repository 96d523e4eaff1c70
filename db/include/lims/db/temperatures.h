// Temperature readings (raw for a retention period, per hour for ever), the excursions found in
// them, and the tubes each excursion reached.
#ifndef LIMS_DB_TEMPERATURES_H_
#define LIMS_DB_TEMPERATURES_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/reading_csv.h"
#include "lims/core/temperature.h"
#include "lims/db/database.h"

namespace lims::db {

class TemperatureLog {
 public:
  explicit TemperatureLog(Tx& tx) : tx_(tx) {}

  // Stores the readings; one already there (same probe, same instant) is skipped. Returns how
  // many were new. The hours they fall in are summed again.
  absl::StatusOr<int> Insert(const std::vector<ProbeReading>& readings);
  // The probe's raw readings in [from, to], in time order.
  absl::StatusOr<std::vector<Reading>> Between(const std::string& probe_id, absl::Time from,
                                               absl::Time to);
  // The highest (or lowest) temperature in [from, to]: from the raw readings, else from the
  // hourly figures once the raw ones are gone; nullopt when neither has any.
  absl::StatusOr<std::optional<double>> Extreme(const std::string& probe_id, absl::Time from,
                                                absl::Time to, bool highest);
  absl::StatusOr<std::optional<Reading>> Latest(const std::string& probe_id);
  // Drops raw readings older than `before` (their hours stay); returns how many.
  absl::StatusOr<int64_t> PruneBefore(absl::Time before);

 private:
  absl::Status RollUp(const std::string& probe_id, int64_t hour_micros);
  Tx& tx_;
};

struct ExcursionRecord {
  int64_t id = 0;
  int64_t unit_id = 0;
  ExcursionSpan span;
  std::string acknowledged_by;  // "" = not yet
  absl::Time acknowledged_at;
  std::string cause, impact, corrective_action;
};

struct Exposure {
  int64_t excursion_id = 0;
  int64_t sample_id = 0;
  std::string barcode;
  double minutes = 0;
  double peak_celsius = 0;
};

class ExcursionRepository {
 public:
  explicit ExcursionRepository(Tx& tx) : tx_(tx) {}

  // The excursions of these units, newest first (open ones only when asked), at most `limit`.
  absl::StatusOr<std::vector<ExcursionRecord>> ForUnits(const std::vector<int64_t>& unit_ids,
                                                        bool open_only, int limit);
  // The newest excursions of units at these sites (empty: every site).
  absl::StatusOr<std::vector<ExcursionRecord>> Recent(const std::vector<int64_t>& site_ids,
                                                      bool open_only, int limit);
  absl::StatusOr<ExcursionRecord> FindById(int64_t id);
  // The unit's excursions still open or ending at or after `at`, oldest first.
  absl::StatusOr<std::vector<ExcursionRecord>> Since(int64_t unit_id, absl::Time at);
  // Inserts (id 0) or updates the span.
  absl::Status Save(ExcursionRecord& record);
  absl::Status Delete(int64_t id);
  absl::Status Acknowledge(const ExcursionRecord& record);

  absl::Status ReplaceExposures(int64_t excursion_id, const std::vector<Exposure>& exposures);
  // Largest exposure first.
  absl::StatusOr<std::vector<Exposure>> ExposuresOf(int64_t excursion_id);
  absl::StatusOr<std::vector<Exposure>> ExposuresOfSample(int64_t sample_id);
  // Those of many tubes at once (an export's page), by tube then excursion.
  absl::StatusOr<std::vector<Exposure>> ExposuresOfSamples(const std::vector<int64_t>& sample_ids);

 private:
  absl::StatusOr<std::vector<ExcursionRecord>> Select(const std::string& where,
                                                      const std::vector<long long>& values);
  absl::StatusOr<std::vector<Exposure>> SelectExposures(const std::string& where,
                                                        const std::vector<long long>& values);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_TEMPERATURES_H_
