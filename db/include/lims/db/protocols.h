#ifndef LIMS_DB_PROTOCOLS_H_
#define LIMS_DB_PROTOCOLS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class ProtocolRepository {
 public:
  explicit ProtocolRepository(Tx& tx) : tx_(tx) {}

  // Inserts the protocol with its timepoints (in order) and their expected kits; sets all ids.
  absl::Status Insert(Protocol& protocol, absl::Time now);
  // Appends timepoints after the existing ones (sets their ids).
  absl::Status AddTimepoints(const Protocol& protocol, std::vector<Timepoint>& timepoints);
  // With timepoints and expected kits. NOT_FOUND names the code.
  absl::StatusOr<Protocol> FindByCode(const std::string& code);
  absl::StatusOr<Protocol> FindById(int64_t id);
  // Protocols with id > after_id, in id order, with their timepoints.
  absl::StatusOr<std::vector<Protocol>> List(int64_t after_id, int limit);

 private:
  absl::Status LoadTimepoints(Protocol& protocol);
  void InsertTimepoint(int64_t protocol_id, int ordinal, Timepoint& tp);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_PROTOCOLS_H_
