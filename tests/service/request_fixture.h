// RequestTest: a server with a researcher, a manager and a technician at PSL, and helpers to
// register consenting patients with stored M3 serum tubes and to preview, submit, approve and
// read requests. Shared by request_test.cc and request_shipping_test.cc.
#ifndef LIMS_TESTS_SERVICE_REQUEST_FIXTURE_H_
#define LIMS_TESTS_SERVICE_REQUEST_FIXTURE_H_

#include <map>
#include <string>
#include <vector>

#include "lims/v1/request.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {

class RequestTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;  // no database: the failure says why
    Seed();
    requests_ = v1::RequestService::NewStub(channel_);
    researcher_ = MakeUser("researcher", v1::ROLE_RESEARCHER, "PSL");
    manager_ = MakeUser("manager", v1::ROLE_MANAGER, "PSL");
    technician_ = MakeUser("tech", v1::ROLE_TECHNICIAN, "PSL");
  }

  // A patient of `site` enrolled in CART-SLE with `tubes` stored serum tubes at M3 (in `box`,
  // from `first_position` on) and consent to `scopes` (none: never asked).
  std::string Patient(const std::string& registry_id, int tubes,
                      std::vector<v1::ConsentScope> scopes, const std::string& box = "",
                      int first_position = 1, const std::string& site = "PSL") {
    v1::CreatePatientRequest p;
    p.set_registry_id(registry_id);
    p.set_site_code(site);
    v1::CreatePatientResponse patient;
    EXPECT_TRUE(registry_->CreatePatient(Ctx().get(), p, &patient).ok());
    v1::EnrollPatientRequest e;
    e.set_patient_id(patient.patient().id());
    e.set_protocol_code("CART-SLE");
    e.set_anchor_date("2026-01-15");
    v1::EnrollPatientResponse enrolled;
    EXPECT_TRUE(registry_->EnrollPatient(Ctx().get(), e, &enrolled).ok());
    if (!scopes.empty()) {
      v1::RecordConsentRequest c;
      c.set_patient_id(patient.patient().id());
      for (auto s : scopes) c.add_scopes(s);
      c.set_signed_on("2026-01-10");
      c.set_version("v2");
      v1::RecordConsentResponse consented;
      EXPECT_TRUE(registry_->RecordConsent(Ctx().get(), c, &consented).ok());
    }
    for (int i = 0; i < tubes; ++i) {
      v1::CollectSampleRequest req;
      req.set_enrollment_id(enrolled.enrollment().id());
      req.set_timepoint_code("M3");
      req.set_sample_type("SER");
      req.mutable_quantity()->set_value(0.5);
      req.mutable_quantity()->set_unit("mL");
      req.mutable_collected_at()->set_seconds(absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2026, 4, 16, 9, 30, 0), absl::UTCTimeZone())));
      v1::CollectSampleResponse collected;
      EXPECT_TRUE(samples_->CollectSample(Ctx().get(), req, &collected).ok());
      EXPECT_TRUE(Place(collected.sample().barcode(), box.empty() ? box_id_ : box,
                        std::to_string(first_position + i))
                      .ok());
      barcodes_[registry_id].push_back(collected.sample().barcode());
    }
    return patient.patient().id();
  }

  v1::Criteria Criteria() {
    v1::Criteria c;
    c.add_protocol_codes("CART-SLE");
    c.add_timepoint_codes("M3");
    c.add_sample_types("SER");
    return c;
  }

  v1::PreviewRequestResponse Preview(const v1::Criteria& c) {
    v1::PreviewRequestRequest req;
    *req.mutable_criteria() = c;
    v1::PreviewRequestResponse resp;
    grpc::Status s = requests_->PreviewRequest(Ctx(researcher_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::string Submit(const v1::Criteria& c, const std::string& title = "IL-6 in CAR-T SLE") {
    v1::SubmitRequestRequest req;
    req.set_title(title);
    req.set_ethics_reference("CPP-2026-118");
    *req.mutable_criteria() = c;
    v1::SubmitRequestResponse resp;
    grpc::Status s = requests_->SubmitRequest(Ctx(researcher_).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.sample_request().status(), v1::SAMPLE_REQUEST_STATUS_SUBMITTED);
    return resp.sample_request().id();
  }

  grpc::Status Approve(const std::string& id, v1::ApproveRequestResponse* resp,
                       const std::string& token = "", const std::string& reason = "ethics ok") {
    v1::ApproveRequestRequest req;
    req.set_sample_request_id(id);
    req.set_reason(reason);
    return requests_->ApproveRequest(Ctx(token.empty() ? manager_ : token).get(), req, resp);
  }

  v1::GetSampleRequestResponse Get(const std::string& id, const std::string& token) {
    v1::GetSampleRequestRequest req;
    req.set_sample_request_id(id);
    v1::GetSampleRequestResponse resp;
    EXPECT_TRUE(requests_->GetSampleRequest(Ctx(token).get(), req, &resp).ok());
    return resp;
  }

  std::unique_ptr<v1::RequestService::Stub> requests_;
  std::string researcher_, manager_, technician_;
  std::map<std::string, std::vector<std::string>> barcodes_;
};

}  // namespace lims::testing

#endif  // LIMS_TESTS_SERVICE_REQUEST_FIXTURE_H_
