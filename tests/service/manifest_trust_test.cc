// Manifests between installations that do not trust each other by default: signatures, trusted
// and revoked keys, what an import may create on its signer's word, and hostile manifests.
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "lims/v1/audit.grpc.pb.h"
#include "manifest.h"
#include "shipment_fixture.h"
#include "tokens.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class ManifestTrustTest : public ShipmentTest {};

// The attack from the review: a dispatched manifest edited to grant commercial use and resealed
// (its digest recomputed), by someone without the sending installation's private key.
TEST_P(ManifestTrustTest, ForgedResealedOrRevokedManifests_RefusedSayingWhichAndNothingChanges) {
  const v1::ExportManifestResponse exported = Dispatched();
  const nlohmann::json original = nlohmann::json::parse(exported.manifest_json());
  ASSERT_TRUE(original.contains("signature"));
  EXPECT_EQ(original["signature"]["fingerprint"], signing_key_.fingerprint());
  const auto before = lyon_.Rows();
  v1::ImportManifestResponse imported;
  auto commercial = [&] {
    nlohmann::json m = original;
    m["patients"][0]["consent"].push_back({{"scope", "commercial"}, {"since", "2026-01-10"}});
    return m;
  };
  auto digest_recomputed = [](nlohmann::json m) {
    m.erase("digest");
    m.erase("signature");
    m["digest"] = services::Sha256Hex(m.dump());
    return m;
  };
  // Digest recomputed, the old signature left on: it does not cover the new content.
  nlohmann::json forged = digest_recomputed(commercial());
  forged["signature"] = original["signature"];
  LIMS_EXPECT_GRPC(Import(forged.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "signature does not match its content");
  // Digest recomputed, signature dropped.
  LIMS_EXPECT_GRPC(Import(digest_recomputed(commercial()).dump(), &imported),
                   StatusCode::INVALID_ARGUMENT, "not signed");
  // Signed properly, by a key nobody here trusts.
  nlohmann::json resigned = commercial();
  const services::SigningKey forger = services::SigningKey::Generate();
  services::SealManifest(resigned, forger);
  LIMS_EXPECT_GRPC(Import(resigned.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "unknown key (fingerprint " + forger.fingerprint());
  // One byte of the signature changed.
  nlohmann::json flipped = original;
  std::string value = flipped["signature"]["value"];
  value[10] = value[10] == 'A' ? 'B' : 'A';
  flipped["signature"]["value"] = value;
  LIMS_EXPECT_GRPC(Import(flipped.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "signature does not match");
  EXPECT_EQ(lyon_.Rows(), before);

  // Only an admin trusts or revokes keys, with a reason; revoking is audited and final.
  const std::string manager = lyon_.MakeUser("manager.lyo", v1::ROLE_MANAGER);
  v1::AddTrustedKeyResponse trusted;
  LIMS_EXPECT_GRPC(Trust("PSL", forger.public_key(), &trusted, manager),
                   StatusCode::PERMISSION_DENIED, "AddTrustedKey");
  LIMS_EXPECT_GRPC(Trust("PSL", "ed25519:not-a-key", &trusted), StatusCode::INVALID_ARGUMENT,
                   "not an Ed25519 public key");
  LIMS_EXPECT_GRPC(Trust("PSL", paris_trusted_.key().public_key(), &trusted),
                   StatusCode::ALREADY_EXISTS, "trusted for PSL already");
  v1::RevokeTrustedKeyRequest revoke;
  revoke.set_fingerprint(paris_trusted_.key().fingerprint());
  v1::RevokeTrustedKeyResponse revoked;
  LIMS_EXPECT_GRPC(lyon_ship_->RevokeTrustedKey(lyon_.Ctx().get(), revoke, &revoked),
                   StatusCode::INVALID_ARGUMENT, "reason");
  revoke.set_reason("Paris's server was compromised");
  LIMS_ASSERT_GRPC_OK(lyon_ship_->RevokeTrustedKey(lyon_.Ctx().get(), revoke, &revoked));
  ASSERT_EQ(revoked.keys_size(), 1);
  EXPECT_TRUE(revoked.keys(0).revoked());
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported), StatusCode::INVALID_ARGUMENT,
                   "revoked here on");
  LIMS_EXPECT_GRPC(Trust("PSL", paris_trusted_.key().public_key(), &trusted),
                   StatusCode::FAILED_PRECONDITION, "makes a new one");
  v1::ListTrustedKeysResponse listed;
  LIMS_ASSERT_GRPC_OK(lyon_ship_->ListTrustedKeys(lyon_.Ctx().get(), {}, &listed));
  ASSERT_EQ(listed.keys_size(), 1);
  EXPECT_EQ(listed.keys(0).revoke_reason(), "Paris's server was compromised");
  v1::ListAuditEventsRequest audit;
  audit.set_page_size(500);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(v1::AuditService::NewStub(lyon_.channel)
                          ->ListAuditEvents(lyon_.Ctx().get(), audit, &events));
  std::set<std::string> actions;
  for (const auto& e : events.events()) actions.insert(e.action());
  EXPECT_TRUE(actions.count("trust.key_added") && actions.count("trust.key_revoked"));
}

// A trusted signer vouches for its own sites only; a registry id known here at another site is
// never merged; what the import creates is audited as the importer's, on the signer's word.
TEST_P(ManifestTrustTest, Import_CreatesOnlyWhatItsSignerVouchesFor) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  // Signed by Paris's own key, but naming a patient of a site Paris is not trusted for.
  nlohmann::json elsewhere = nlohmann::json::parse(exported.manifest_json());
  elsewhere["patients"][0]["site_code"] = "GRE";
  services::SealManifest(elsewhere, signing_key_);
  const auto before = lyon_.Rows();
  LIMS_EXPECT_GRPC(Import(elsewhere.dump(), &imported), StatusCode::FAILED_PRECONDITION,
                   "patient MATHEC-0042 of site GRE, which its signer is not trusted for");
  nlohmann::json from_lyon = nlohmann::json::parse(exported.manifest_json());
  from_lyon["origin"]["site_code"] = "GRE";
  services::SealManifest(from_lyon, signing_key_);
  LIMS_EXPECT_GRPC(Import(from_lyon.dump(), &imported), StatusCode::FAILED_PRECONDITION,
                   "comes from GRE, but its signer is not trusted for that site");
  EXPECT_EQ(lyon_.Rows(), before);

  // The same registry id registered in Lyon at LYO: another person, or a mistake.
  v1::CreatePatientRequest patient;
  patient.set_registry_id("MATHEC-0042");
  patient.set_site_code("LYO");
  v1::CreatePatientResponse made;
  LIMS_ASSERT_GRPC_OK(v1::RegistryService::NewStub(lyon_.channel)
                          ->CreatePatient(lyon_.Ctx().get(), patient, &made));
  const auto with_patient = lyon_.Rows();
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported), StatusCode::FAILED_PRECONDITION,
                   "registered here at site LYO, but the manifest says at PSL");
  EXPECT_EQ(lyon_.Rows(), with_patient);
}

TEST_P(ManifestTrustTest, Import_RecordsConsentAndWhoVouchedInTheAuditTrail) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported));
  EXPECT_EQ(imported.signer_fingerprint(), signing_key_.fingerprint());
  ASSERT_EQ(imported.signer_site_codes_size(), 1);
  EXPECT_EQ(imported.signer_site_codes(0), "PSL");
  v1::ListAuditEventsRequest audit;
  audit.set_page_size(500);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(v1::AuditService::NewStub(lyon_.channel)
                          ->ListAuditEvents(lyon_.Ctx().get(), audit, &events));
  std::map<std::string, v1::AuditEvent> by_action;
  for (const auto& e : events.events()) by_action[e.action()] = e;
  for (const char* action : {"site.created", "protocol.created", "patient.created",
                             "consent.imported", "enrollment.created", "sample.expected",
                             "shipment.imported"}) {
    SCOPED_TRACE(action);
    ASSERT_TRUE(by_action.count(action));
    EXPECT_EQ(by_action[action].actor(), "admin");
    EXPECT_NE(by_action[action].reason().find("manifest signed by key " +
                                              signing_key_.fingerprint() + " (trusted for PSL)"),
              std::string::npos)
        << by_action[action].reason();
  }
  EXPECT_NE(by_action["consent.imported"].after_json().find("research"), std::string::npos);
}

// A manifest nesting a million arrays in one field once overflowed the server's stack.
TEST_P(ManifestTrustTest, Import_DeeplyNestedManifest_RefusedAndTheServerKeepsServing) {
  const std::string deep = "{\"format\": " + std::string(1'000'000, '[') +
                           std::string(1'000'000, ']') + "}";
  v1::ImportManifestResponse imported;
  LIMS_EXPECT_GRPC(Import(deep, &imported), StatusCode::INVALID_ARGUMENT, "nests arrays or objects");
  v1::GetSigningKeyResponse key;
  LIMS_ASSERT_GRPC_OK(lyon_ship_->GetSigningKey(lyon_.Ctx().get(), {}, &key));
  EXPECT_EQ(key.public_key().rfind("ed25519:", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ManifestTrustTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ManifestTrustTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
