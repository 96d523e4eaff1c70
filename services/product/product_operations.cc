#include "product_operations.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/access.h"
#include "lims/core/consent.h"
#include "lims/core/isbt128.h"
#include "lims/core/storage_kind.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/storage_units.h"
#include "sample_operations.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

std::string Printed(const Product& p) {
  return absl::StrCat(p.din.substr(0, 5), " ", p.din.substr(5, 2), " ", p.din.substr(7));
}

std::string SnapshotJson(const Product& p) {
  return nlohmann::json({{"din", p.din},
                         {"coi", p.coi},
                         {"kind", std::string(ProductKindCode(p.kind))},
                         {"status", std::string(ProductStatusCode(p.status))},
                         {"patient", p.patient_registry_id},
                         {"product_code", p.product_code},
                         {"batch", p.batch},
                         {"source_din", p.source_din},
                         {"unit_path", p.unit_path},
                         {"slot", p.slot}})
      .dump();
}

// The step's custody event and audit event, with the product as it is after it.
absl::Status Record(db::Tx& tx, const CallContext& call, const Product& before,
                    const Product& after, CustodyStep step, const std::string& place,
                    const std::string& reason) {
  LIMS_RETURN_IF_ERROR(db::ProductRepository(tx).AppendEvent(
      {after.id, after.din, step, call.now, call.actor, place, reason}));
  std::string action = absl::StrCat("product.", std::string(CustodyStepCode(step)));
  for (char& c : action) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Audit(tx, call,
               AuditEntry(action, "product", after.din)
                   .Details(absl::StrCat(
                       Printed(after), " (", after.coi, ", patient ", after.patient_registry_id,
                       "): ", ProductStatusWords(after.status), place.empty() ? "" : ", " + place))
                   .Reason(reason)
                   .Before(before.id ? SnapshotJson(before) : "")
                   .After(SnapshotJson(after)));
}

absl::StatusOr<Product> FindProduct(db::Tx& tx, const CallContext& call, const std::string& text) {
  LIMS_ASSIGN_OR_RETURN(Din din, ParseDin(text));
  LIMS_ASSIGN_OR_RETURN(auto found, db::ProductRepository(tx).FindByDin(din.code));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("no product has DIN ", din.Printed(),
                                            ": register it first (lims product register)"));
  }
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, found->site_id, "DIN " + din.Printed()));
  return *found;
}

// The step applied: the status moves on, the custody and audit events are written.
absl::StatusOr<Product> Advance(db::Tx& tx, const CallContext& call, Product product,
                                CustodyStep step, const std::string& place,
                                const std::string& reason) {
  const Product before = product;
  LIMS_ASSIGN_OR_RETURN(product.status, NextStatus(product.status, step, Printed(product)));
  LIMS_RETURN_IF_ERROR(db::ProductRepository(tx).UpdateStatus(product));
  LIMS_RETURN_IF_ERROR(Record(tx, call, before, product, step, place, reason));
  return product;
}

// A refusal kept: its custody event and audit, the status unchanged.
absl::Status Refuse(db::Tx& tx, const CallContext& call, const Product& product, CustodyStep step,
                    const std::string& why) {
  return Record(tx, call, product, product, step, product.site_code, why);
}

absl::Status CheckNumbers(const ProductRegistration& r) {
  if (!(r.cell_count >= 0) || r.cell_count > 1e15) {
    return absl::InvalidArgumentError("cell_count must be 0 (unknown) or a positive count");
  }
  if (!(r.viability_percent >= 0 && r.viability_percent <= 100)) {
    return absl::InvalidArgumentError("viability_percent must be between 0 and 100");
  }
  if (r.volume && r.volume->dimension() != Dimension::kVolume) {
    return absl::InvalidArgumentError("volume must be a volume (mL, uL)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Product> RegisterProduct(db::Tx& tx, const CallContext& call,
                                        const ProductRegistration& r) {
  LIMS_ASSIGN_OR_RETURN(Din din, ParseDin(r.din));
  Product p;
  p.din = din.code;
  p.check = din.check;
  p.flags = din.flags;
  if (!r.product_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(p.product_code, ParseProductCode(r.product_code));
  }
  LIMS_RETURN_IF_ERROR(CheckNumbers(r));
  LIMS_RETURN_IF_ERROR(CheckText(r.batch, "batch", 100, false));
  if (!r.expires_on.empty()) {
    LIMS_ASSIGN_OR_RETURN(absl::CivilDay day, ParseIsoDate(r.expires_on));
    p.expires_on = day;
  }
  p.kind = r.kind;
  p.status = InitialStatus(r.kind);
  if (r.volume) p.volume = *r.volume;
  p.cell_count = r.cell_count;
  p.viability_percent = r.viability_percent;
  p.batch = r.batch;

  LIMS_ASSIGN_OR_RETURN(Patient patient, db::PatientRepository(tx).FindById(r.patient_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, patient.site_id, "patient " + patient.registry_id));
  LIMS_ASSIGN_OR_RETURN(Enrollment enrollment,
                        db::EnrollmentRepository(tx).FindById(r.enrollment_id));
  if (enrollment.patient_id != patient.id) {
    return absl::InvalidArgumentError(absl::StrCat("enrollment ", enrollment.id, " is not ",
                                                   patient.registry_id, "'s; give one of theirs"));
  }
  p.enrollment_id = enrollment.id;
  if (!r.timepoint_code.empty()) {
    db::ProtocolRepository protocols(tx);
    LIMS_ASSIGN_OR_RETURN(Protocol protocol, protocols.FindById(enrollment.protocol_id));
    for (const Timepoint& tp : protocol.timepoints) {
      if (tp.code == r.timepoint_code) p.timepoint_id = tp.id, p.timepoint_code = tp.code;
    }
    if (p.timepoint_id == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("protocol ", protocol.code, " has no timepoint ", r.timepoint_code));
    }
  }
  db::ProductRepository products(tx);
  LIMS_ASSIGN_OR_RETURN(auto same, products.FindByDin(p.din));
  if (same) {
    return absl::AlreadyExistsError(absl::StrCat("DIN ", din.Printed(), " is registered already (",
                                                 same->coi, ", patient ", same->patient_registry_id,
                                                 ")"));
  }
  if (!r.source_din.empty()) {
    if (r.kind == ProductKind::kApheresis) {
      return absl::InvalidArgumentError(
          "an apheresis is the starting material: it has no source_din");
    }
    LIMS_ASSIGN_OR_RETURN(Product source, FindProduct(tx, call, r.source_din));
    if (source.patient_id != patient.id) {
      return absl::FailedPreconditionError(
          absl::StrCat("source DIN ", Printed(source), " is patient ", source.patient_registry_id,
                       "'s (", source.coi, "), not ", patient.registry_id,
                       "'s: a product is made from its own patient's material"));
    }
    p.therapy_id = source.therapy_id;
    p.coi = source.coi;
    p.source_id = source.id;
    p.source_din = source.din;
  } else {
    LIMS_ASSIGN_OR_RETURN(db::Therapy therapy, products.CreateTherapy(patient.id, patient.site_id,
                                                                      patient.site_code, call.now));
    p.therapy_id = therapy.id;
    p.coi = therapy.coi;
  }
  p.patient_id = patient.id;
  p.patient_registry_id = patient.registry_id;
  p.site_id = patient.site_id;
  p.site_code = patient.site_code;
  LIMS_RETURN_IF_ERROR(products.Insert(p, call.now));
  const CustodyStep step =
      r.kind == ProductKind::kApheresis ? CustodyStep::kCollected : CustodyStep::kRegistered;
  LIMS_RETURN_IF_ERROR(Record(tx, call, Product{}, p, step, p.site_code, ""));
  return p;
}

absl::StatusOr<ProductAnswer> RecordCustody(db::Tx& tx, const CallContext& call,
                                            const CustodyRequest& r) {
  LIMS_RETURN_IF_ERROR(CheckText(r.reason, "reason", 1000, false));
  LIMS_RETURN_IF_ERROR(CheckText(r.destination, "destination", 200, false));
  LIMS_ASSIGN_OR_RETURN(Product product, FindProduct(tx, call, r.din));
  db::ProductRepository products(tx);
  std::string place = product.site_code;
  switch (r.step) {
    case CustodyStep::kShipped:
      LIMS_RETURN_IF_ERROR(CheckText(r.destination, "destination", 200, true));
      place = "to " + r.destination;
      break;
    case CustodyStep::kReceived: {
      std::string mismatch;
      if (!r.expected_coi.empty()) {
        LIMS_ASSIGN_OR_RETURN(std::string coi, ParseCoi(r.expected_coi));
        if (coi != product.coi) mismatch = absl::StrCat("COI ", product.coi, ", not ", coi);
      }
      if (!r.expected_patient.empty() && r.expected_patient != product.patient_registry_id) {
        absl::StrAppend(&mismatch, mismatch.empty() ? "" : " and ", "patient ",
                        product.patient_registry_id, ", not ", r.expected_patient);
      }
      if (!mismatch.empty()) {
        const std::string why = absl::StrCat("DIN ", Printed(product), " is ", mismatch);
        LIMS_RETURN_IF_ERROR(Refuse(tx, call, product, CustodyStep::kReceiptRefused, why));
        return ProductAnswer{product, 0,
                             absl::FailedPreconditionError(
                                 absl::StrCat("WRONG BAG: ", why,
                                              ". Do not accept it: quarantine the bag and call the "
                                              "manufacturer; the refusal is recorded"))};
      }
      break;
    }
    case CustodyStep::kStored: {
      if (r.unit_id == 0) {
        return absl::InvalidArgumentError(
            "give the canister, cassette or bin the bag goes in (unit_id)");
      }
      LIMS_ASSIGN_OR_RETURN(StorageUnit unit, db::StorageUnitRepository(tx).FindById(r.unit_id));
      if (!HoldsWithoutGrid(unit.kind)) {
        return absl::FailedPreconditionError(absl::StrCat(
            unit.path, " is not a canister, cassette or bin: bags go into one of those"));
      }
      if (unit.site_id != product.site_id) {
        return absl::FailedPreconditionError(
            absl::StrCat(unit.path, " is at ", unit.site_code, ", the bag at ", product.site_code));
      }
      if (unit.columns == 0 && r.slot != 0) {
        return absl::InvalidArgumentError(absl::StrCat(unit.path, " has no numbered slots"));
      }
      if (unit.columns > 0 && (r.slot < 1 || r.slot > unit.columns)) {
        return absl::InvalidArgumentError(
            absl::StrCat(unit.path, " has slots 1..", unit.columns, "; give one of them"));
      }
      if (r.slot > 0) {
        LIMS_ASSIGN_OR_RETURN(bool taken, products.SlotTaken(unit.id, r.slot));
        if (taken) {
          return absl::FailedPreconditionError(
              absl::StrCat("slot ", r.slot, " of ", unit.path, " holds another bag"));
        }
      }
      LIMS_RETURN_IF_ERROR(products.Unplace(product.id));
      LIMS_RETURN_IF_ERROR(products.Place(product.id, unit.id, r.slot, call.now));
      product.unit_id = unit.id;
      product.unit_path = unit.path;
      product.slot = r.slot;
      place = r.slot ? absl::StrCat(unit.path, ", slot ", r.slot) : unit.path;
      break;
    }
    case CustodyStep::kThawed:
    case CustodyStep::kReturned:
      break;
    case CustodyStep::kDiscarded:
      LIMS_RETURN_IF_ERROR(CheckText(r.reason, "reason", 1000, true));
      break;
    default:
      return absl::InvalidArgumentError(
          "record shipped, received, stored, thawed, returned or discarded here; an issue goes "
          "through IssueProduct and ConfirmIssue, an infusion through RecordInfusion");
  }
  if (r.step == CustodyStep::kReturned) {
    LIMS_RETURN_IF_ERROR(CheckText(r.reason, "reason", 1000, true));
  }
  if (r.step != CustodyStep::kStored && product.unit_id != 0) {
    LIMS_RETURN_IF_ERROR(products.Unplace(product.id));  // it leaves its container
    product.unit_id = 0;
    product.unit_path.clear();
    product.slot = 0;
  }
  LIMS_ASSIGN_OR_RETURN(product, Advance(tx, call, product, r.step, place, r.reason));
  return ProductAnswer{product, 0, absl::OkStatus()};
}

absl::StatusOr<ProductAnswer> IssueProduct(db::Tx& tx, const CallContext& call,
                                           const std::string& din,
                                           const std::string& patient_registry_id) {
  LIMS_RETURN_IF_ERROR(CheckText(patient_registry_id, "patient_registry_id", 64, true));
  LIMS_ASSIGN_OR_RETURN(Product product, FindProduct(tx, call, din));
  const std::string scanned(absl::StripAsciiWhitespace(
      absl::string_view(patient_registry_id.data(), patient_registry_id.size())));
  std::string refusal;
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  if (scanned != product.patient_registry_id) {
    refusal = absl::StrCat("bag ", Printed(product), " is patient ", product.patient_registry_id,
                           "'s (", product.coi, "), not ", scanned, "'s");
  } else if (product.expires_on && *product.expires_on < today) {
    refusal =
        absl::StrCat("bag ", Printed(product), " expired on ", FormatIsoDate(*product.expires_on));
  } else {
    LIMS_ASSIGN_OR_RETURN(auto events,
                          db::ConsentRepository(tx).ListForPatient(product.patient_id));
    const ConsentState consent = CurrentConsent(events, today);
    for (ConsentScope scope : consent.withdrawn) {
      if (scope == ConsentScope::kStorage) {
        refusal = absl::StrCat("patient ", product.patient_registry_id,
                               " has withdrawn consent to storage: the bag may not be used");
      }
    }
  }
  if (!refusal.empty()) {
    LIMS_RETURN_IF_ERROR(Refuse(tx, call, product, CustodyStep::kIssueRefused, refusal));
    return ProductAnswer{product, 0,
                         absl::FailedPreconditionError(absl::StrCat("DO NOT INFUSE: ", refusal,
                                                                    ". The refusal is recorded."))};
  }
  LIMS_ASSIGN_OR_RETURN(product, Advance(tx, call, product, CustodyStep::kIssued, product.site_code,
                                         "for infusion to " + scanned));
  db::ProductIssue issue{0, product.id, product.patient_id, call.actor, call.now, ""};
  LIMS_RETURN_IF_ERROR(db::ProductRepository(tx).InsertIssue(issue));
  return ProductAnswer{product, issue.id, absl::OkStatus()};
}

absl::StatusOr<Product> ConfirmIssue(db::Tx& tx, const CallContext& call, int64_t issue_id) {
  db::ProductRepository products(tx);
  LIMS_ASSIGN_OR_RETURN(db::ProductIssue issue, products.FindIssue(issue_id));
  LIMS_ASSIGN_OR_RETURN(Product product, products.FindById(issue.product_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, product.site_id, "issue " + std::to_string(issue_id)));
  if (!issue.confirmed_by.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("issue ", issue_id, " was confirmed already by ", issue.confirmed_by));
  }
  if (issue.issued_by == call.actor) {
    return absl::PermissionDeniedError(absl::StrCat(
        "issue ", issue_id, " was made by ", call.actor,
        ": a second person confirms it (two-person check); ask a colleague to log in"));
  }
  LIMS_ASSIGN_OR_RETURN(product,
                        Advance(tx, call, product, CustodyStep::kIssueConfirmed, product.site_code,
                                absl::StrCat("issue ", issue_id, " by ", issue.issued_by)));
  LIMS_RETURN_IF_ERROR(products.ConfirmIssue(issue_id, call.actor, call.now));
  return product;
}

absl::StatusOr<Product> RecordInfusion(db::Tx& tx, const CallContext& call,
                                       const std::string& din) {
  LIMS_ASSIGN_OR_RETURN(Product product, FindProduct(tx, call, din));
  return Advance(tx, call, product, CustodyStep::kInfused, product.site_code, "");
}

absl::StatusOr<std::vector<Sample>> DeriveProductSamples(db::Tx& tx, const CallContext& call,
                                                         const ProductSamplesCommand& command) {
  LIMS_ASSIGN_OR_RETURN(Product product, FindProduct(tx, call, command.din));
  if (command.count < 1 || command.count > 20) {
    return absl::InvalidArgumentError("count must be 1..20 tubes");
  }
  switch (product.status) {
    case ProductStatus::kCollected:
    case ProductStatus::kReceived:
    case ProductStatus::kStored:
    case ProductStatus::kThawed:
    case ProductStatus::kIssuePending:
    case ProductStatus::kIssued:
    case ProductStatus::kReturned:
      break;
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("bag ", Printed(product), " is ", ProductStatusWords(product.status),
                       ": tubes are taken from a bag at the site"));
  }
  if (product.timepoint_code.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "bag ", Printed(product),
        " has no timepoint: its tubes need one (register the product with e.g. --timepoint D0)"));
  }
  std::vector<Sample> out;
  db::ProductRepository products(tx);
  for (int i = 0; i < command.count; ++i) {
    CollectCommand collect;
    collect.enrollment_id = product.enrollment_id;
    collect.timepoint_code = product.timepoint_code;
    collect.sample_type = command.sample_type;
    collect.quantity = command.quantity_each;
    collect.collected_at = call.now;
    LIMS_ASSIGN_OR_RETURN(Sample sample, RegisterCollection(tx, call, collect));
    LIMS_RETURN_IF_ERROR(products.LinkSample(sample.id, product.id));
    sample.product_din = product.din;
    sample.coi = product.coi;
    out.push_back(sample);
  }
  std::vector<std::string> barcodes;
  for (const Sample& s : out) barcodes.push_back(s.barcode);
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("product.samples_taken", "product", product.din)
                .Details(absl::StrCat(out.size(), " ", command.sample_type, " tubes from ",
                                      Printed(product), " (", product.coi,
                                      "): ", absl::StrJoin(barcodes, ", ")))));
  return out;
}

absl::StatusOr<Chain> ChainOfIdentity(db::Tx& tx, const CallContext& call, const ChainQuery& q) {
  const int given = !q.coi.empty() + !q.din.empty() + !q.patient_registry_id.empty();
  if (given != 1) {
    return absl::InvalidArgumentError("give one of coi, din or patient_registry_id");
  }
  db::ProductRepository products(tx);
  Chain chain;
  if (!q.coi.empty()) {
    LIMS_ASSIGN_OR_RETURN(std::string coi, ParseCoi(q.coi));
    LIMS_ASSIGN_OR_RETURN(auto therapy, products.TherapyByCoi(coi));
    if (!therapy) return absl::NotFoundError(absl::StrCat("no therapy has ", coi));
    chain.therapy = *therapy;
  } else if (!q.din.empty()) {
    LIMS_ASSIGN_OR_RETURN(Product product, FindProduct(tx, call, q.din));
    chain.therapy = {product.therapy_id, product.coi, product.patient_id, product.site_id};
  } else {
    LIMS_ASSIGN_OR_RETURN(Patient patient,
                          db::PatientRepository(tx).FindByRegistryId(q.patient_registry_id));
    LIMS_ASSIGN_OR_RETURN(auto therapies, products.TherapiesOfPatient(patient.id));
    if (therapies.empty()) {
      return absl::NotFoundError(
          absl::StrCat("patient ", patient.registry_id, " has no cell-therapy material"));
    }
    chain.therapy = therapies.back();  // the latest
    for (size_t i = 0; i + 1 < therapies.size(); ++i) chain.other_cois.push_back(therapies[i].coi);
  }
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, chain.therapy.site_id, chain.therapy.coi));
  LIMS_ASSIGN_OR_RETURN(Patient patient,
                        db::PatientRepository(tx).FindById(chain.therapy.patient_id));
  chain.patient_registry_id = patient.registry_id;
  LIMS_ASSIGN_OR_RETURN(chain.materials, products.OfTherapy(chain.therapy.id));
  LIMS_ASSIGN_OR_RETURN(chain.events, products.Events(chain.therapy.id));
  LIMS_ASSIGN_OR_RETURN(chain.sample_barcodes, products.SamplesOfTherapy(chain.therapy.id));
  return chain;
}

}  // namespace lims::services
