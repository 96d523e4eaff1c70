// Service tests talk to a real lims server over a real gRPC channel on loopback, backed by a
// fresh SQLite or MariaDB database per test.
#ifndef LIMS_TESTS_SERVICE_SERVICE_FIXTURE_H_
#define LIMS_TESTS_SERVICE_SERVICE_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "lims/db/database.h"
#include "lims/v1/registry.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "lims/v1/storage.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"
#include "lims_server.h"
#include "signing.h"
#include "test_databases.h"

namespace lims::testing {

class ServiceTest : public ::testing::TestWithParam<db::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Lets a test's fixture change the server's options before it starts.
  virtual void Configure(services::LimsServer::Options&) {}

  // A context with a deadline and a bearer token (default: the admin's).
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "");

  // Rows per table: a refused call must leave these unchanged.
  std::map<std::string, int64_t> Rows();

  // The world most tests need: site PSL, patient MATHEC-0042, protocol CART-SLE (BASELINE, D0,
  // M3), an enrollment anchored 2026-01-15, and Site → Room → Freezer → Rack → 9×9 box.
  void Seed();
  // Creates a storage unit (as the admin); a box is 9×9.
  v1::StorageUnit CreateUnit(const std::string& parent_id, v1::StorageKind kind,
                             const std::string& name);
  // Another patient at PSL enrolled in Seed()'s protocol (as the admin); returns the patient's
  // id and the enrollment's id.
  std::pair<std::string, std::string> EnrollAnotherPatient(const std::string& registry_id);
  // Creates another 9×9 box in Seed()'s freezer (as the admin) and returns its id.
  std::string CreateBoxInFreezer(const std::string& name);
  // Creates a site (as the admin).
  void CreateSite(const std::string& code, const std::string& name);
  // The Seed patient's consent to storage and research, signed 2026-01-10 (form `version`).
  void ConsentToResearch(const std::string& version = "v2");
  // The Seed patient withdraws consent to research from 2026-12-01.
  void WithdrawResearchConsent();
  // Creates a user of `role` at `site` (as the admin) and returns its token.
  std::string MakeUser(const std::string& name, v1::Role role, const std::string& site);
  // A 4 mL serum tube collected at M3 (inside its window).
  v1::Sample CollectSerum(const std::string& preprinted = "");
  v1::Sample Derive(const std::string& parent, int count, double ml_each);
  grpc::Status Place(const std::string& barcode, const std::string& box_id,
                     const std::string& position);

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<services::LimsServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::SampleService::Stub> samples_;
  std::unique_ptr<v1::StorageService::Stub> storage_;

  // The installation's manifest signing key.
  services::SigningKey signing_key_ = services::SigningKey::Generate();
  std::string admin_token_;
  std::string admin_password_;  // the first admin's, as written beside the token
  std::string patient_id_;
  std::string enrollment_id_;
  std::string freezer_id_;
  std::string box_id_;
};

}  // namespace lims::testing

#endif  // LIMS_TESTS_SERVICE_SERVICE_FIXTURE_H_
