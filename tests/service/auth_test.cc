// Authentication and authorization, over real channels: every RPC in the protos is guarded,
// roles are enforced from one policy table, and a user of one site cannot reach another's tubes.
#include <google/protobuf/descriptor.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "access_policy.h"
#include "grpc_status_matchers.h"
#include "rpc_walk.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"
#include "tokens.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class AuthTest : public ServiceTest {
 protected:
  // A user made by the admin through the API; returns its token.
  std::string MakeUser(const std::string& name, v1::Role role,
                       const std::vector<std::string>& sites) {
    auto users = v1::UserService::NewStub(channel_);
    v1::CreateUserRequest req;
    req.set_username(name);
    req.set_role(role);
    for (const auto& s : sites) req.add_site_codes(s);
    v1::CreateUserResponse resp;
    grpc::Status s = users->CreateUser(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.token();
  }

  grpc::Status Resolve(const std::string& barcode, const std::string& token) {
    v1::ResolveBarcodeRequest req;
    req.set_barcode(barcode);
    v1::ResolveBarcodeResponse resp;
    return samples_->ResolveBarcode(Ctx(token).get(), req, &resp);
  }
};

TEST_P(AuthTest, PolicyTable_HasAnEntryForEveryRpcInTheProtos) {
  const auto methods = AllLimsMethods();
  ASSERT_GE(methods.size(), 32u);  // the directory walk found the services
  for (const auto* method : methods) {
    EXPECT_NE(services::AccessPolicy().count(method->full_name()),
              services::OpenMethods().count(method->full_name()))
        << method->full_name() << " has no access policy (or is also open): add it to "
        << "services/common/access_policy.cc";
  }
  // And no stale entries: every policy line names a method that exists.
  for (const auto& [name, roles] : services::AccessPolicy()) {
    EXPECT_NE(google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name), nullptr)
        << "access policy names an unknown method " << name;
  }
}

TEST_P(AuthTest, EveryRpc_WithoutOrWithForgedToken_IsUnauthenticated) {
  const auto before = Rows();
  for (const auto* method : AllLimsMethods()) {
    if (services::OpenMethods().count(method->full_name())) continue;  // Login: own tests
    const std::string path = "/" + method->service()->full_name() + "/" + method->name();
    for (const std::string& auth : {std::string(), std::string("Bearer lims_forged-token"),
                                    std::string("Basic YWRtaW46YWRtaW4="),
                                    "Bearer " + admin_token_ + "x"}) {
      grpc::Status s = CallRaw(*channel_, path, auth);  // an empty request
      EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED)
          << path << " with '" << auth << "': " << s.error_message();
    }
  }
  EXPECT_EQ(Rows(), before);
}

TEST_P(AuthTest, Technician_CannotSeeOrTouchAnotherSitesTubes) {
  Seed();
  const v1::Sample psl_tube = CollectSerum();
  {
    v1::CreateSiteRequest req;
    req.set_code("LYO");
    req.set_name("Lyon Hôpital Édouard-Herriot");
    v1::CreateSiteResponse resp;
    LIMS_ASSERT_GRPC_OK(registry_->CreateSite(Ctx().get(), req, &resp));
  }
  const std::string lyon_tech = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, {"LYO"});
  const std::string paris_tech = MakeUser("tech.psl", v1::ROLE_TECHNICIAN, {"PSL"});
  const auto before = Rows();

  LIMS_ASSERT_GRPC_OK(Resolve(psl_tube.barcode(), paris_tech));
  LIMS_EXPECT_GRPC(Resolve(psl_tube.barcode(), lyon_tech), StatusCode::PERMISSION_DENIED,
                   "tech.lyo");
  v1::PlaceSampleRequest place;
  place.set_barcode(psl_tube.barcode());
  place.set_box_id(box_id_);
  place.set_position("A1");
  v1::PlaceSampleResponse placed;
  LIMS_EXPECT_GRPC(storage_->PlaceSample(Ctx(lyon_tech).get(), place, &placed),
                   StatusCode::PERMISSION_DENIED, "");
  v1::GetBoxContentsRequest box;
  box.set_box_id(box_id_);
  v1::GetBoxContentsResponse contents;
  LIMS_EXPECT_GRPC(storage_->GetBoxContents(Ctx(lyon_tech).get(), box, &contents),
                   StatusCode::PERMISSION_DENIED, "");
  v1::ListPatientsRequest list;
  v1::ListPatientsResponse patients;
  LIMS_ASSERT_GRPC_OK(registry_->ListPatients(Ctx(lyon_tech).get(), list, &patients));
  EXPECT_EQ(patients.patients_size(), 0);
  LIMS_ASSERT_GRPC_OK(registry_->ListPatients(Ctx(paris_tech).get(), list, &patients));
  EXPECT_EQ(patients.patients_size(), 1);
  v1::ListStorageUnitsRequest roots;
  v1::ListStorageUnitsResponse units;
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx(lyon_tech).get(), roots, &units));
  EXPECT_EQ(units.units_size(), 0);
  EXPECT_EQ(Rows(), before);
}

TEST_P(AuthTest, Roles_AreEnforcedFromThePolicy) {
  Seed();
  const v1::Sample tube = CollectSerum();
  const std::string researcher = MakeUser("researcher.1", v1::ROLE_RESEARCHER, {"PSL"});
  const std::string technician = MakeUser("tech.1", v1::ROLE_TECHNICIAN, {"PSL"});
  LIMS_EXPECT_GRPC(Resolve(tube.barcode(), researcher), StatusCode::PERMISSION_DENIED,
                   "researcher");
  v1::CreateStorageUnitRequest unit;
  unit.set_parent_id(freezer_id_);
  unit.set_kind(v1::STORAGE_KIND_SHELF);
  unit.set_name("S1");
  v1::CreateStorageUnitResponse created;
  LIMS_EXPECT_GRPC(storage_->CreateStorageUnit(Ctx(technician).get(), unit, &created),
                   StatusCode::PERMISSION_DENIED, "technician");
  auto users = v1::UserService::NewStub(channel_);
  v1::CreateUserRequest make;
  make.set_username("sneaky");
  make.set_role(v1::ROLE_ADMIN);
  v1::CreateUserResponse made;
  LIMS_EXPECT_GRPC(users->CreateUser(Ctx(technician).get(), make, &made),
                   StatusCode::PERMISSION_DENIED, "");
  make.set_username("tech.nosite");
  make.set_role(v1::ROLE_TECHNICIAN);
  LIMS_EXPECT_GRPC(users->CreateUser(Ctx().get(), make, &made), StatusCode::INVALID_ARGUMENT,
                   "at least one site");
  v1::WhoAmIRequest who;
  v1::WhoAmIResponse me;
  LIMS_ASSERT_GRPC_OK(users->WhoAmI(Ctx(technician).get(), who, &me));
  EXPECT_EQ(me.user().username(), "tech.1");
  EXPECT_EQ(me.user().role(), v1::ROLE_TECHNICIAN);
}

TEST_P(AuthTest, RevokedToken_IsRefusedAtOnceAndTheAuditNamesTheUser) {
  Seed();
  const v1::Sample tube = CollectSerum();
  const std::string technician = MakeUser("tech.2", v1::ROLE_TECHNICIAN, {"PSL"});
  LIMS_ASSERT_GRPC_OK(Place(tube.barcode(), box_id_, "A1"));
  v1::RetrieveSampleRequest retrieve;
  retrieve.set_barcode(tube.barcode());
  retrieve.set_reason("assay");
  v1::RetrieveSampleResponse retrieved;
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx(technician).get(), retrieve, &retrieved));

  auto users = v1::UserService::NewStub(channel_);
  v1::RevokeTokenRequest revoke;
  revoke.set_username("tech.2");
  v1::RevokeTokenResponse revoked;
  LIMS_ASSERT_GRPC_OK(users->RevokeToken(Ctx().get(), revoke, &revoked));
  EXPECT_EQ(revoked.tokens_revoked(), 1);
  LIMS_EXPECT_GRPC(Resolve(tube.barcode(), technician), StatusCode::UNAUTHENTICATED, "");

  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  ASSERT_EQ(history.events_size(), 3);
  EXPECT_EQ(history.events(2).actor(), "tech.2");
}

TEST_P(AuthTest, TokenWithAnExpiry_WorksThroughItsLastDayOnly) {
  Seed();
  MakeUser("tech.5", v1::ROLE_TECHNICIAN, {"PSL"});
  auto users = v1::UserService::NewStub(channel_);
  v1::IssueTokenRequest issue;
  issue.set_username("tech.5");
  issue.set_expires_on("2020-01-31");
  v1::IssueTokenResponse issued;
  LIMS_EXPECT_GRPC(users->IssueToken(Ctx().get(), issue, &issued), StatusCode::INVALID_ARGUMENT,
                   "expires_on 2020-01-31 is past");
  issue.set_expires_on("2027-06-30");
  LIMS_ASSERT_GRPC_OK(users->IssueToken(Ctx().get(), issue, &issued));
  ASSERT_TRUE(issued.has_expires_at());
  EXPECT_EQ(absl::FromUnixSeconds(issued.expires_at().seconds()),
            absl::FromCivil(absl::CivilDay(2027, 7, 1), absl::UTCTimeZone()));
  v1::WhoAmIResponse me;
  LIMS_ASSERT_GRPC_OK(users->WhoAmI(Ctx(issued.token()).get(), {}, &me));
  EXPECT_EQ(me.user().username(), "tech.5");
}

// Reads the database file, so SQLite only; MariaDB stores the same rows through the same
// repository code.
class TokenStorageTest : public AuthTest {};

TEST_P(TokenStorageTest, Tokens_AreStoredOnlyAsHashes) {
  Seed();
  const std::string real = MakeUser("tech.4", v1::ROLE_TECHNICIAN, {"PSL"});
  ASSERT_FALSE(real.empty());
  std::string bytes;
  const std::string db_file = test_db_->url().substr(std::string("sqlite:").size());
  for (const std::string& file : {db_file, db_file + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    bytes += content.str();
  }
  ASSERT_GT(bytes.size(), 0u);
  EXPECT_EQ(bytes.find(real), std::string::npos) << "a plain token is in the database file";
  EXPECT_EQ(bytes.find(admin_token_), std::string::npos);
  EXPECT_NE(bytes.find(services::TokenHash(real)), std::string::npos);
}

TEST_P(TokenStorageTest, RetriedCreateUser_NeitherStoresNorReplaysTheToken) {
  Seed();
  auto users = v1::UserService::NewStub(channel_);
  v1::CreateUserRequest req;
  req.set_username("tech.retry");
  req.set_role(v1::ROLE_TECHNICIAN);
  req.add_site_codes("PSL");
  req.set_request_id("create-tech-retry-1");
  v1::CreateUserResponse first, retried;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), req, &first));
  ASSERT_FALSE(first.token().empty());
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), req, &retried));
  EXPECT_EQ(retried.user().id(), first.user().id());
  EXPECT_TRUE(retried.token().empty()) << "a replayed answer carried a token";
  const std::string db_file = test_db_->url().substr(std::string("sqlite:").size());
  std::string bytes;
  for (const std::string& file : {db_file, db_file + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    bytes += content.str();
  }
  EXPECT_EQ(bytes.find(first.token()), std::string::npos) << "the request log kept the token";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuthTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, AuthTest, ::testing::Values(db::Backend::kMariaDb));
INSTANTIATE_TEST_SUITE_P(Sqlite, TokenStorageTest, ::testing::Values(db::Backend::kSqlite));

}  // namespace
}  // namespace lims::testing
