// Shipments and their items (lims/core/shipment.h). Status changes go through Update(), which
// checks the version so that two concurrent dispatches or receipts cannot both win.
#ifndef LIMS_DB_SHIPMENTS_H_
#define LIMS_DB_SHIPMENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/shipment.h"
#include "lims/db/database.h"

namespace lims::db {

class ShipmentRepository {
 public:
  explicit ShipmentRepository(Tx& tx) : tx_(tx) {}

  // Sets id. `import_digest` non-empty for an incoming shipment: ALREADY_EXISTS when that
  // manifest was imported before.
  absl::Status Insert(Shipment& shipment, const std::string& manifest_json,
                      const std::string& import_digest);
  // The manifest frozen at dispatch.
  absl::Status SetManifest(int64_t id, const std::string& manifest_json);
  absl::StatusOr<std::string> Manifest(int64_t id);
  // ABORTED when the shipment changed since it was read.
  absl::Status Update(Shipment& shipment);
  absl::StatusOr<Shipment> FindById(int64_t id);
  // Shipments of these sites (all when `site_ids` is empty and `all_sites`), by id.
  absl::StatusOr<std::vector<Shipment>> List(const std::vector<int64_t>& site_ids, bool all_sites,
                                            int64_t after_id, int limit);

  // The shipments carrying a researcher's request, by id.
  absl::StatusOr<std::vector<Shipment>> ListForRequest(int64_t sample_request_id);

  // ALREADY_EXISTS when the barcode is on the shipment already.
  absl::Status InsertItem(ShipmentItem& item);
  absl::Status UpdateItem(const ShipmentItem& item);
  // In the order they were added.
  absl::StatusOr<std::vector<ShipmentItem>> Items(int64_t shipment_id);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_SHIPMENTS_H_
