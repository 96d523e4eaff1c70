// A fresh database of each backend with a site, patient, protocol, enrollment and box to hang
// samples on: the fixture of the repository contract tests, which run on SQLite and MariaDB.
#ifndef LIMS_TESTS_DB_REPOSITORY_FIXTURE_H_
#define LIMS_TESTS_DB_REPOSITORY_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "lims/db/storage_units.h"
#include "test_databases.h"

namespace lims::db {

class RepositoryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto fresh = lims::testing::TestDatabase::Create(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    test_db_ = std::move(*fresh);
    auto db = Database::Open(test_db_->url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  // A site, patient, protocol (M0, M3) and enrollment to hang samples on.
  struct World {
    Site site;
    Patient patient;
    Protocol protocol;
    Enrollment enrollment;
    StorageUnit box;
  };
  World MakeWorld() {
    World w;
    absl::Status s = db_->Write([&](Tx& tx) -> absl::Status {
      w.site = {0, "PSL", "Paris"};
      if (auto st = SiteRepository(tx).Insert(w.site, now_); !st.ok()) return st;
      w.patient.registry_id = "MATHEC-0001";
      w.patient.site_id = w.site.id;
      if (auto st = PatientRepository(tx).Insert(w.patient, now_); !st.ok()) return st;
      w.protocol.code = "CART-SLE";
      w.protocol.name = "CAR-T lupus";
      w.protocol.timepoints = {{0, "M0", "baseline", 0, 0, 3, {{"SER", 2}}},
                               {0, "M3", "month 3", 90, 7, 7, {}}};
      if (auto st = ProtocolRepository(tx).Insert(w.protocol, now_); !st.ok()) return st;
      w.enrollment.patient_id = w.patient.id;
      w.enrollment.protocol_id = w.protocol.id;
      w.enrollment.anchor_date = absl::CivilDay(2026, 3, 1);
      if (auto st = EnrollmentRepository(tx).Insert(w.enrollment, now_); !st.ok()) return st;
      StorageUnitRepository units(tx);
      StorageUnit root{0, 0, StorageKind::kSite, "PSL", 0, 0, "Site PSL", w.site.id, "PSL", {}};
      if (auto st = units.Insert(root, now_); !st.ok()) return st;
      w.box = {0,     root.id, StorageKind::kBox, "B-1", 9, 9, "Site PSL / Box B-1", w.site.id,
               "PSL", {}};
      return units.Insert(w.box, now_);
    });
    EXPECT_TRUE(s.ok()) << s;
    return w;
  }

  Sample NewSample(const World& w, const std::string& barcode) {
    Sample s;
    s.barcode = barcode;
    s.enrollment_id = w.enrollment.id;
    s.timepoint_id = w.protocol.timepoints[0].id;
    s.site_id = w.site.id;
    s.sample_type = "SER";
    s.quantity = *Quantity::FromValue(4, "mL");
    s.collected_at = absl::FromUnixSeconds(1772000000);
    return s;
  }

  Sample Insert(const World& w, const std::string& barcode) {
    Sample s = NewSample(w, barcode);
    absl::Status st = db_->Write([&](Tx& tx) { return SampleRepository(tx).Insert(s, now_); });
    EXPECT_TRUE(st.ok()) << st;
    return s;
  }

  absl::Time now_ = absl::FromUnixSeconds(1774000000);
  std::unique_ptr<lims::testing::TestDatabase> test_db_;
  std::unique_ptr<Database> db_;
};

}  // namespace lims::db

#endif  // LIMS_TESTS_DB_REPOSITORY_FIXTURE_H_
