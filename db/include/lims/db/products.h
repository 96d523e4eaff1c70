// Cell-therapy products as stored (lims/core/product.h): the therapies and their COIs, the
// materials with where each is stored, their custody events, and the issues for infusion.
#ifndef LIMS_DB_PRODUCTS_H_
#define LIMS_DB_PRODUCTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/product.h"
#include "lims/db/database.h"

namespace lims::db {

struct Therapy {
  int64_t id = 0;
  std::string coi;
  int64_t patient_id = 0;
  int64_t site_id = 0;
};

struct CustodyRecord {
  int64_t product_id = 0;
  std::string din;  // filled by Events
  CustodyStep step = CustodyStep::kRegistered;
  absl::Time at;
  std::string actor, place, reason;
};

struct ProductIssue {
  int64_t id = 0;
  int64_t product_id = 0;
  int64_t patient_id = 0;
  std::string issued_by;
  absl::Time issued_at;
  std::string confirmed_by;  // empty: not yet
};

struct ProductFilter {
  std::vector<int64_t> site_ids;  // empty and all_sites: every site
  bool all_sites = false;
  std::optional<ProductStatus> status;
  int64_t patient_id = 0;  // 0: any
  int64_t after_id = 0;    // paging, in registration order
  int limit = 100;
};

class ProductRepository {
 public:
  explicit ProductRepository(Tx& tx) : tx_(tx) {}

  // A new therapy of the patient at the site, with the next COI of that site.
  absl::StatusOr<Therapy> CreateTherapy(int64_t patient_id, int64_t site_id,
                                        const std::string& site_code, absl::Time now);
  absl::StatusOr<std::optional<Therapy>> TherapyByCoi(const std::string& coi);
  // Oldest first.
  absl::StatusOr<std::vector<Therapy>> TherapiesOfPatient(int64_t patient_id);

  // Sets id; ALREADY_EXISTS-like ABORTED on a DIN registered meanwhile (checked before).
  absl::Status Insert(Product& product, absl::Time now);
  absl::StatusOr<std::optional<Product>> FindByDin(const std::string& din);
  absl::StatusOr<Product> FindById(int64_t id);
  // The status (version-checked: ABORTED when it changed since it was read).
  absl::Status UpdateStatus(Product& product);
  absl::StatusOr<std::vector<Product>> OfTherapy(int64_t therapy_id);
  absl::StatusOr<std::vector<Product>> List(const ProductFilter& filter);

  // Where a bag is stored; slot 0: none. ABORTED when the slot was taken meanwhile.
  absl::Status Place(int64_t product_id, int64_t unit_id, int slot, absl::Time now);
  absl::Status Unplace(int64_t product_id);
  // Whether the unit's slot holds a bag.
  absl::StatusOr<bool> SlotTaken(int64_t unit_id, int slot);
  // Bags stored in the unit itself.
  absl::StatusOr<int64_t> CountIn(int64_t unit_id);

  // A retention or QC tube taken from the bag.
  absl::Status LinkSample(int64_t sample_id, int64_t product_id);
  // The barcodes of the tubes taken from the therapy's bags, in the order they were taken.
  absl::StatusOr<std::vector<std::string>> SamplesOfTherapy(int64_t therapy_id);

  absl::Status AppendEvent(const CustodyRecord& event);
  // Every event of the therapy's materials, oldest first.
  absl::StatusOr<std::vector<CustodyRecord>> Events(int64_t therapy_id);

  // Sets issue.id.
  absl::Status InsertIssue(ProductIssue& issue);
  absl::StatusOr<ProductIssue> FindIssue(int64_t id);
  absl::Status ConfirmIssue(int64_t id, const std::string& by, absl::Time at);
  // The product's latest issue, if any.
  absl::StatusOr<std::optional<ProductIssue>> LatestIssue(int64_t product_id);

 private:
  absl::StatusOr<std::vector<Product>> Select(const std::string& where,
                                              const std::vector<long long>& values);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_PRODUCTS_H_
