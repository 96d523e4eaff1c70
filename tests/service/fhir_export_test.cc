// ExportFhir over real gRPC on SQLite and MariaDB: every sample once across pages, parents by
// fullUrl, site scoping. (The schema validation is in tests/e2e/fhir_validate.mjs.)
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <map>
#include <set>
#include <string>

#include "grpc_status_matchers.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using grpc::StatusCode;

class FhirExportTest : public ServiceTest {
 protected:
  Struct Export(const std::string& protocol, const std::string& site, int* count = nullptr) {
    v1::ExportFhirRequest req;
    req.set_protocol_code(protocol);
    req.set_site_code(site);
    v1::ExportFhirResponse resp;
    grpc::Status s = registry_->ExportFhir(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    Struct bundle;
    auto parsed = google::protobuf::util::JsonStringToMessage(resp.bundle_json(), &bundle);
    EXPECT_TRUE(parsed.ok()) << parsed.ToString();
    if (count) *count = resp.specimen_count();
    return bundle;
  }

  static const Value& Field(const Struct& s, const std::string& name) {
    static const Value kNull;
    auto it = s.fields().find(name);
    return it == s.fields().end() ? kNull : it->second;
  }
};

TEST_P(FhirExportTest, ManySamples_EachOnceAcrossPagesWithParentsByFullUrl) {
  Seed();
  // 6 tubes and 96 aliquots of each: 582 specimens, more than one page of reads. (Derived 48 at
  // a time: the audit details of 96 at once overflow MariaDB's VARCHAR(1000) column.)
  std::set<std::string> parents;
  for (int i = 0; i < 6; ++i) {
    const v1::Sample serum = CollectSerum();
    parents.insert(serum.barcode());
    Derive(serum.barcode(), 48, 0.04);
    Derive(serum.barcode(), 48, 0.04);
  }
  int count = 0;
  const Struct bundle = Export("CART-SLE", "PSL", &count);
  EXPECT_EQ(Field(bundle, "resourceType").string_value(), "Bundle");
  EXPECT_EQ(Field(bundle, "type").string_value(), "collection");
  const auto& entries = Field(bundle, "entry").list_value().values();
  ASSERT_EQ(entries.size(), 582u);
  EXPECT_EQ(count, 582);

  std::map<std::string, std::string> full_url_of;  // barcode → fullUrl
  for (const Value& entry : entries) {
    const Struct& resource = Field(entry.struct_value(), "resource").struct_value();
    const std::string barcode =
        Field(Field(resource, "identifier").list_value().values(0).struct_value(), "value")
            .string_value();
    EXPECT_TRUE(full_url_of.emplace(barcode, Field(entry.struct_value(), "fullUrl").string_value())
                    .second)
        << barcode << " exported twice";
  }
  for (const Value& entry : entries) {
    const Struct& resource = Field(entry.struct_value(), "resource").struct_value();
    const Struct& subject = Field(Field(resource, "subject").struct_value(), "identifier").struct_value();
    EXPECT_EQ(Field(subject, "value").string_value(), "MATHEC-0042");
    const Value& parent = Field(resource, "parent");
    const std::string barcode =
        Field(Field(resource, "identifier").list_value().values(0).struct_value(), "value")
            .string_value();
    if (parents.count(barcode)) {
      EXPECT_EQ(parent.kind_case(), Value::KIND_NOT_SET) << barcode;
      continue;
    }
    ASSERT_EQ(parent.list_value().values_size(), 1) << barcode;
    const Struct& ref = parent.list_value().values(0).struct_value();
    const std::string parent_barcode = Field(ref, "display").string_value();
    EXPECT_TRUE(parents.count(parent_barcode)) << parent_barcode;
    EXPECT_EQ(Field(ref, "reference").string_value(), full_url_of[parent_barcode]);
  }
}

TEST_P(FhirExportTest, Scoping_OtherSitesLeftOutAndRefused) {
  Seed();
  CollectSerum();
  v1::CreateSiteRequest site;
  site.set_code("LYO");
  site.set_name("Lyon");
  v1::CreateSiteResponse made_site;
  LIMS_ASSERT_GRPC_OK(registry_->CreateSite(Ctx().get(), site, &made_site));
  auto users = v1::UserService::NewStub(channel_);
  v1::CreateUserRequest make;
  make.set_username("coord.lyo");
  make.set_role(v1::ROLE_COORDINATOR);
  make.add_site_codes("LYO");
  v1::CreateUserResponse made;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), make, &made));

  v1::ExportFhirRequest req;
  v1::ExportFhirResponse resp;
  LIMS_ASSERT_GRPC_OK(registry_->ExportFhir(Ctx(made.token()).get(), req, &resp));
  EXPECT_EQ(resp.specimen_count(), 0);
  EXPECT_EQ(resp.bundle_json().find("\"entry\""), std::string::npos);  // no empty array
  req.set_site_code("PSL");
  LIMS_EXPECT_GRPC(registry_->ExportFhir(Ctx(made.token()).get(), req, &resp),
                   StatusCode::PERMISSION_DENIED, "PSL");
  req.set_site_code("");
  req.set_protocol_code("NOPE");
  LIMS_EXPECT_GRPC(registry_->ExportFhir(Ctx().get(), req, &resp), StatusCode::NOT_FOUND, "NOPE");

  // A technician may not export.
  make.set_username("tech.psl");
  make.set_role(v1::ROLE_TECHNICIAN);
  make.clear_site_codes();
  make.add_site_codes("PSL");
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), make, &made));
  req.set_protocol_code("");
  LIMS_EXPECT_GRPC(registry_->ExportFhir(Ctx(made.token()).get(), req, &resp),
                   StatusCode::PERMISSION_DENIED, "ExportFhir");
}

// A patient who withdrew consent to research: their samples are left out, and counted.
TEST_P(FhirExportTest, Withdrawal_LeavesThePatientsSamplesOut) {
  Seed();
  CollectSerum();
  CollectSerum();
  ConsentToResearch();
  int count = 0;
  Export("", "", &count);
  EXPECT_EQ(count, 2);
  WithdrawResearchConsent();
  v1::ExportFhirRequest req;
  v1::ExportFhirResponse resp;
  LIMS_ASSERT_GRPC_OK(registry_->ExportFhir(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.specimen_count(), 0);
  EXPECT_EQ(resp.withheld_count(), 2);
  EXPECT_EQ(resp.bundle_json().find("Specimen"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, FhirExportTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, FhirExportTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
