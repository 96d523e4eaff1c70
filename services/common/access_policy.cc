#include "access_policy.h"

#include "absl/strings/str_cat.h"

namespace lims::services {
namespace {

using R = Role;
const std::set<Role> kAdmin = {R::kAdmin};
const std::set<Role> kEveryone = {R::kTechnician, R::kManager, R::kResearcher, R::kCoordinator,
                                  R::kAdmin};
// People who handle or follow tubes of their sites (researchers see tubes only through their
// requests, which arrive later).
const std::set<Role> kSiteStaff = {R::kTechnician, R::kManager, R::kCoordinator, R::kAdmin};
const std::set<Role> kBench = {R::kTechnician, R::kManager, R::kAdmin};
const std::set<Role> kStorageAdmin = {R::kManager, R::kAdmin};
const std::set<Role> kRegistry = {R::kCoordinator, R::kManager, R::kAdmin};
const std::set<Role> kAuditors = {R::kManager, R::kAdmin};

}  // namespace

const std::map<std::string, std::set<Role>>& AccessPolicy() {
  static const auto* policy = new std::map<std::string, std::set<Role>>{
      {"lims.v1.RegistryService.CreateSite", kAdmin},
      {"lims.v1.RegistryService.ListSites", kEveryone},
      {"lims.v1.RegistryService.CreatePatient", kRegistry},
      {"lims.v1.RegistryService.GetPatient", kSiteStaff},
      {"lims.v1.RegistryService.ListPatients", kSiteStaff},
      {"lims.v1.RegistryService.CreateProtocol", {R::kCoordinator, R::kAdmin}},
      {"lims.v1.RegistryService.GetProtocol", kEveryone},
      {"lims.v1.RegistryService.AddProtocolTimepoints", {R::kCoordinator, R::kAdmin}},
      {"lims.v1.RegistryService.ListProtocols", kEveryone},
      {"lims.v1.RegistryService.EnrollPatient", kRegistry},
      {"lims.v1.RegistryService.ListEnrollments", kSiteStaff},
      {"lims.v1.RegistryService.GetCompleteness", kSiteStaff},
      {"lims.v1.RegistryService.ListDueTimepoints", kSiteStaff},
      {"lims.v1.RegistryService.RecordConsent", kRegistry},
      {"lims.v1.RegistryService.WithdrawConsent", kRegistry},
      {"lims.v1.RegistryService.GetConsent", kSiteStaff},
      {"lims.v1.RegistryService.ImportRegistryCsv", {R::kCoordinator, R::kAdmin}},
      {"lims.v1.RegistryService.ExportFhir", kRegistry},
      {"lims.v1.LabelService.RegisterPrinter", {R::kManager, R::kAdmin}},
      {"lims.v1.LabelService.ListPrinters", kSiteStaff},
      {"lims.v1.LabelService.ListLabelTemplates", kSiteStaff},
      {"lims.v1.LabelService.PreviewLabel", kSiteStaff},
      {"lims.v1.LabelService.PrintLabels", kBench},
      {"lims.v1.LabelService.ListPrintJobs", kBench},
      {"lims.v1.ScanService.DecodeImage", kSiteStaff},
      {"lims.v1.ScanService.ScanBox", kBench},
      // Researchers ask; managers decide; the bench picks.
      {"lims.v1.RequestService.PreviewRequest", {R::kResearcher, R::kManager, R::kAdmin}},
      {"lims.v1.RequestService.SubmitRequest", {R::kResearcher, R::kManager, R::kAdmin}},
      {"lims.v1.RequestService.ApproveRequest", kStorageAdmin},
      {"lims.v1.RequestService.RejectRequest", kStorageAdmin},
      {"lims.v1.RequestService.GetSampleRequest", kEveryone},
      {"lims.v1.RequestService.ListSampleRequests", kEveryone},
      {"lims.v1.RequestService.GetPickList", kBench},
      {"lims.v1.RequestService.PickTube", kBench},
      {"lims.v1.RequestService.ShipRequest", kStorageAdmin},
      {"lims.v1.ShipmentService.CreateShipment", kBench},
      {"lims.v1.ShipmentService.GetShipment", kSiteStaff},
      {"lims.v1.ShipmentService.ListShipments", kSiteStaff},
      {"lims.v1.ShipmentService.AddShipmentItems", kBench},
      {"lims.v1.ShipmentService.DispatchShipment", kBench},
      {"lims.v1.ShipmentService.ExportManifest", kBench},
      // Importing creates patients, protocols and enrollments here: managers.
      {"lims.v1.ShipmentService.ImportManifest", kStorageAdmin},
      {"lims.v1.ShipmentService.ReceiveShipment", kBench},
      {"lims.v1.ShipmentService.ResolveDiscrepancy", kStorageAdmin},
      {"lims.v1.ShipmentService.CloseShipment", kStorageAdmin},
      // The key is public; trusting another installation's is an admin's decision.
      {"lims.v1.ShipmentService.GetSigningKey", kEveryone},
      {"lims.v1.ShipmentService.AddTrustedKey", kAdmin},
      {"lims.v1.ShipmentService.RevokeTrustedKey", kAdmin},
      {"lims.v1.ShipmentService.ListTrustedKeys", kAuditors},
      {"lims.v1.SampleService.CollectSample", kBench},
      {"lims.v1.SampleService.DeriveSamples", kBench},
      {"lims.v1.SampleService.GetSample", kSiteStaff},
      {"lims.v1.SampleService.ResolveBarcode", kSiteStaff},
      {"lims.v1.SampleService.GetSampleHistory", kSiteStaff},
      {"lims.v1.SampleService.ListSamples", kSiteStaff},
      {"lims.v1.SampleService.RecordLifecycleEvent", kBench},
      {"lims.v1.SampleService.SetSampleSprec", kBench},
      // Loading a whole collection: the biobank's managers and the registry's coordinators.
      {"lims.v1.SampleService.ImportSamplesCsv", {R::kManager, R::kCoordinator, R::kAdmin}},
      {"lims.v1.StorageService.UpdateStorageUnit", kStorageAdmin},
      {"lims.v1.StorageService.MoveStorageUnit", kStorageAdmin},
      {"lims.v1.StorageService.GetLocationHistory", kSiteStaff},
      {"lims.v1.StorageService.GetCapacity", kSiteStaff},
      {"lims.v1.StorageService.FindFreePositions", kSiteStaff},
      {"lims.v1.MonitoringService.ImportReadingsCsv", kStorageAdmin},
      {"lims.v1.MonitoringService.PushReadings", kStorageAdmin},
      {"lims.v1.MonitoringService.ListExcursions", kSiteStaff},
      {"lims.v1.MonitoringService.GetExcursion", kSiteStaff},
      {"lims.v1.MonitoringService.AcknowledgeExcursion", kStorageAdmin},
      {"lims.v1.MonitoringService.GetTemperatures", kSiteStaff},
      {"lims.v1.MonitoringService.PlanEvacuation", kStorageAdmin},
      {"lims.v1.MonitoringService.GetEvacuationPlan", kSiteStaff},
      // Cell-therapy products: the bench handles bags; the two checks are two people of
      // the bench; coordinators follow the chain.
      {"lims.v1.ProductService.RegisterProduct", kBench},
      {"lims.v1.ProductService.RecordCustodyEvent", kBench},
      {"lims.v1.ProductService.IssueProduct", kBench},
      {"lims.v1.ProductService.ConfirmIssue", kBench},
      {"lims.v1.ProductService.RecordInfusion", kBench},
      {"lims.v1.ProductService.DeriveProductSamples", kBench},
      {"lims.v1.ProductService.GetChainOfIdentity", kSiteStaff},
      {"lims.v1.ProductService.ListProducts", kSiteStaff},
      // A manager plans; the technicians on call carry the planned moves out.
      {"lims.v1.MonitoringService.RecordEvacuationMove", kBench},
      {"lims.v1.StorageService.CreateStorageUnit", kStorageAdmin},
      {"lims.v1.StorageService.GetStorageUnit", kSiteStaff},
      {"lims.v1.StorageService.ListStorageUnits", kSiteStaff},
      {"lims.v1.StorageService.PlaceSample", kBench},
      {"lims.v1.StorageService.MoveSample", kBench},
      {"lims.v1.StorageService.RetrieveSample", kBench},
      {"lims.v1.StorageService.ReturnSample", kBench},
      {"lims.v1.StorageService.GetBoxContents", kSiteStaff},
      {"lims.v1.UserService.CreateUser", kAdmin},
      {"lims.v1.UserService.ListUsers", kAdmin},
      {"lims.v1.UserService.IssueToken", kAdmin},
      {"lims.v1.UserService.RevokeToken", kAdmin},
      {"lims.v1.UserService.WhoAmI", kEveryone},
      // Admins set anyone's; the others their own (checked by the operation).
      {"lims.v1.UserService.SetPassword", kEveryone},
      {"lims.v1.UserService.Logout", kEveryone},
      {"lims.v1.AuditService.ListAuditEvents", kAuditors},
      {"lims.v1.AuditService.VerifyAuditChain", kAuditors},
      // The export spans every site: administrators only.
      {"lims.v1.AuditService.ExportAuditCsv", kAuditors},
  };
  return *policy;
}

const std::set<std::string>& OpenMethods() {
  static const auto* open = new std::set<std::string>{"lims.v1.UserService.Login"};
  return *open;
}

absl::Status Authorize(const Principal& principal, const std::string& method) {
  const auto& policy = AccessPolicy();
  auto it = policy.find(method);
  if (it == policy.end()) {
    return absl::PermissionDeniedError(absl::StrCat("no access policy for ", method));
  }
  if (!it->second.count(principal.role)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", principal.username, " (", std::string(RoleName(principal.role)),
        ") may not call ", method, "; ask an administrator for the right role"));
  }
  return absl::OkStatus();
}

absl::Status AuthorizeOption(const Principal& principal, const std::string& method,
                             const std::string& option) {
  // Changing what the LIMS records from a scan is a manager's decision.
  static const auto* options = new std::map<std::string, std::set<Role>>{
      {"lims.v1.ScanService.ScanBox apply", kStorageAdmin},
  };
  auto it = options->find(method + " " + option);
  if (it == options->end() || !it->second.count(principal.role)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", principal.username, " (", std::string(RoleName(principal.role)),
        ") may not use ", option, " of ", method, "; ask a biobank manager"));
  }
  return absl::OkStatus();
}

}  // namespace lims::services
