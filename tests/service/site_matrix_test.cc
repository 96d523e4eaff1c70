// The role × RPC × site matrix, generated from the descriptors: every RPC of every service is
// called by a user of another site, in each role but admin, with a request naming one site's
// things (its tube, box, patient, enrollment, shipment, request, site code). Whatever the RPC
// answers, it never hands that site's barcodes, patients or places to the other site's user, and
// never changes that site's records. A new RPC is covered without touching this test.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc_status_matchers.h"
#include "lims/v1/request.grpc.pb.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "rpc_walk.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using grpc::StatusCode;

// What identifies the first site's things: the values a request is filled with, and the text
// that must never reach the other site's users.
struct SiteThings {
  std::string barcode, box_id, patient_id, enrollment_id, shipment_id, request_id;
  std::vector<std::string> secrets;  // barcodes, registry id, places
};

class SiteMatrixTest : public ServiceTest {
 protected:
  // PSL with a consenting patient, two stored tubes (one reserved by an approved request), a
  // draft shipment; LYO with one user per role.
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    Seed();
    ConsentToResearch();
    for (const char* position : {"A1", "A2"}) {
      const std::string barcode = CollectSerum().barcode();
      LIMS_ASSERT_GRPC_OK(Place(barcode, box_id_, position));
      psl_.secrets.push_back(barcode);
      psl_.barcode = barcode;
    }
    psl_.box_id = box_id_;
    psl_.patient_id = patient_id_;
    psl_.enrollment_id = enrollment_id_;
    psl_.secrets.insert(psl_.secrets.end(), {"MATHEC-0042", "B-0042", "F-01"});

    auto requests = v1::RequestService::NewStub(channel_);
    const std::string researcher = MakeUser("researcher.psl", v1::ROLE_RESEARCHER, "PSL");
    v1::SubmitRequestRequest submit;
    submit.set_title("matrix");
    submit.set_ethics_reference("CPP-1");
    submit.mutable_criteria()->add_protocol_codes("CART-SLE");
    submit.mutable_criteria()->add_timepoint_codes("M3");
    submit.mutable_criteria()->set_allow_last_tube(true);
    v1::SubmitRequestResponse submitted;
    LIMS_ASSERT_GRPC_OK(requests->SubmitRequest(Ctx(researcher).get(), submit, &submitted));
    psl_.request_id = submitted.sample_request().id();
    v1::ApproveRequestRequest approve;
    approve.set_sample_request_id(psl_.request_id);
    approve.set_reason("ok");
    v1::ApproveRequestResponse approved;
    LIMS_ASSERT_GRPC_OK(requests->ApproveRequest(Ctx().get(), approve, &approved));

    auto shipments = v1::ShipmentService::NewStub(channel_);
    v1::CreateShipmentRequest ship;
    ship.set_from_site_code("PSL");
    ship.set_destination("Lyon");
    ship.set_packaging(v1::PACKAGING_DRY_ICE);
    v1::CreateShipmentResponse shipped;
    LIMS_ASSERT_GRPC_OK(shipments->CreateShipment(Ctx().get(), ship, &shipped));
    psl_.shipment_id = shipped.shipment().id();

    CreateSite("LYO", "Lyon");
    for (auto [name, role] : {std::pair{"tech.lyo", v1::ROLE_TECHNICIAN},
                              std::pair{"manager.lyo", v1::ROLE_MANAGER},
                              std::pair{"coordinator.lyo", v1::ROLE_COORDINATOR},
                              std::pair{"researcher.lyo", v1::ROLE_RESEARCHER}}) {
      lyon_[name] = MakeUser(name, role, "LYO");
    }
  }

  // Fills a request with PSL's things wherever a field's name says what it holds.
  void Fill(Message* message, int depth) {
    const auto* descriptor = message->GetDescriptor();
    const auto* reflection = message->GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
        if (!field->is_repeated() && depth < 3) {
          Fill(reflection->MutableMessage(message, field), depth + 1);
        }
        continue;
      }
      if (field->type() != FieldDescriptor::TYPE_STRING) continue;
      const std::string value = ValueFor(field->name());
      if (value.empty()) continue;
      if (field->is_repeated()) {
        reflection->AddString(message, field, value);
      } else {
        reflection->SetString(message, field, value);
      }
    }
  }

  std::string ValueFor(const std::string& name) {
    static const std::map<std::string, std::string SiteThings::*> kIds = {
        {"barcode", &SiteThings::barcode},          {"barcodes", &SiteThings::barcode},
        {"parent_barcode", &SiteThings::barcode},   {"entity_barcode", &SiteThings::barcode},
        {"box_id", &SiteThings::box_id},            {"box_ids", &SiteThings::box_id},
        {"parent_id", &SiteThings::box_id},         {"unit_id", &SiteThings::box_id},
        {"patient_id", &SiteThings::patient_id},    {"enrollment_id", &SiteThings::enrollment_id},
        {"shipment_id", &SiteThings::shipment_id},  {"sample_request_id", &SiteThings::request_id},
    };
    if (auto it = kIds.find(name); it != kIds.end()) return psl_.*(it->second);
    if (name.find("site_code") != std::string::npos) return "PSL";
    if (name == "registry_id") return "MATHEC-0042";
    if (name == "request_id") return absl::StrCat("matrix-", ++request_number_);
    if (name == "protocol_code" || name == "protocol_codes") return "CART-SLE";
    if (name == "timepoint_code" || name == "timepoint_codes") return "M3";
    if (name == "sample_type" || name == "sample_types") return "SER";
    if (name == "position") return "B5";
    if (name == "reason" || name == "title" || name == "destination" || name == "name") {
      return "matrix";
    }
    return "";
  }

  SiteThings psl_;
  std::map<std::string, std::string> lyon_;  // user name -> token
  int request_number_ = 0;
};

TEST_P(SiteMatrixTest, AnotherSitesUsers_NeverSeeOrChangeThisSitesThings) {
  const auto before = Rows();
  int calls = 0, answered = 0;
  for (const auto* method : AllLimsMethods()) {
    const std::string path = MethodPath(*method);
    for (const auto& [user, token] : lyon_) {
      std::unique_ptr<Message> request(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(method->input_type())
              ->New());
      Fill(request.get(), 0);
      std::string response_bytes;
      const grpc::Status status =
          CallRaw(*channel_, path, "Bearer " + token, request->SerializeAsString(), &response_bytes);
      ++calls;
      // Never an internal failure, whatever is asked.
      EXPECT_NE(status.error_code(), StatusCode::INTERNAL) << path << " as " << user << ": "
                                                           << status.error_message();
      std::string seen = status.error_message();
      if (status.ok()) {
        ++answered;
        std::unique_ptr<Message> response(
            google::protobuf::MessageFactory::generated_factory()
                ->GetPrototype(method->output_type())
                ->New());
        ASSERT_TRUE(response->ParseFromString(response_bytes)) << path;
        seen += response->DebugString();
      }
      // What the caller typed may be echoed back; anything else of PSL's may not.
      const std::string asked = request->DebugString();
      for (const std::string& secret : psl_.secrets) {
        if (asked.find(secret) != std::string::npos) continue;
        EXPECT_EQ(seen.find(secret), std::string::npos)
            << path << " as " << user << " (a LYO user) showed PSL's " << secret << ": " << seen;
      }
    }
  }
  EXPECT_GE(calls, 4 * 60);
  EXPECT_GT(answered, 0);  // site-independent reads (sites, protocols, own requests) answer
  // PSL's records are as they were: only what belongs to no site may have been written (a
  // request a LYO researcher submitted, the audit events and replay records of such calls).
  auto after = Rows();
  for (const char* table : {"audit_events", "request_log", "sample_requests"}) {
    after.erase(table);
  }
  auto expected = before;
  for (const char* table : {"audit_events", "request_log", "sample_requests"}) {
    expected.erase(table);
  }
  EXPECT_EQ(after, expected);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SiteMatrixTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, SiteMatrixTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
