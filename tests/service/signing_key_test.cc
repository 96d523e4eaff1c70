// The manifest signing key: Ed25519 signatures that a changed byte breaks, and the key file a
// server makes on first start (mode 0600), reads back, and refuses when others may read it.
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "signing.h"
#include "signing_key_file.h"
#include "status_matchers.h"

namespace lims::services {
namespace {

namespace fs = std::filesystem;

TEST(SigningKey, SignaturesVerifyOnlyForTheSameMessageAndKey) {
  const SigningKey key = SigningKey::Generate();
  EXPECT_EQ(key.public_key().rfind("ed25519:", 0), 0u);
  EXPECT_EQ(key.fingerprint().size(), 32u);
  const std::string signature = key.Sign("manifest text");
  EXPECT_TRUE(VerifySignature(key.public_key(), "manifest text", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), "manifest texT", signature));
  EXPECT_FALSE(VerifySignature(SigningKey::Generate().public_key(), "manifest text", signature));
  EXPECT_FALSE(VerifySignature(key.public_key(), "manifest text", "not base64 !"));
  EXPECT_FALSE(VerifySignature("ed25519:", "manifest text", signature));
  // The seed gives back the same key.
  auto again = SigningKey::FromSeedHex(key.SeedHex());
  ASSERT_OK(again);
  EXPECT_EQ(again->public_key(), key.public_key());
  EXPECT_STATUS(SigningKey::FromSeedHex("abc"), absl::StatusCode::kInvalidArgument, "64 hexadecimal");
}

TEST(SigningKey, PublicKeysAndFingerprintsAsPeopleTypeThem) {
  const SigningKey key = SigningKey::Generate();
  const std::string bare = key.public_key().substr(8);
  EXPECT_EQ(*CanonicalPublicKey("  " + bare + "\n"), key.public_key());
  EXPECT_EQ(*CanonicalPublicKey(key.public_key()), key.public_key());
  EXPECT_STATUS(CanonicalPublicKey("ed25519:" + bare.substr(4)), absl::StatusCode::kInvalidArgument,
                "not an Ed25519 public key");
  std::string grouped;
  for (size_t i = 0; i < key.fingerprint().size(); i += 4) {
    grouped += (i ? ":" : "") + key.fingerprint().substr(i, 4);
  }
  for (char& c : grouped) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(CanonicalFingerprint(grouped), key.fingerprint());
}

class SigningKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lims-key-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "lims.db.signing-key").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string path_;
};

TEST_F(SigningKeyFileTest, MadeOnFirstStartOwnerOnlyAndTheSameKeyAfterwards) {
  auto first = LoadOrCreateSigningKey(path_);
  ASSERT_OK(first);
  EXPECT_TRUE(first->created);
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = LoadOrCreateSigningKey(path_);
  ASSERT_OK(second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->key.public_key(), first->key.public_key());
}

TEST_F(SigningKeyFileTest, ReadableByOthersOrNotAKey_Refused) {
  ASSERT_OK(LoadOrCreateSigningKey(path_));
  ASSERT_EQ(chmod(path_.c_str(), 0644), 0);
  EXPECT_STATUS(LoadOrCreateSigningKey(path_), absl::StatusCode::kFailedPrecondition,
                "may be read or written by others (mode 644)");
  std::ofstream(path_, std::ios::trunc) << "not a key\n";
  ASSERT_EQ(chmod(path_.c_str(), 0600), 0);
  EXPECT_STATUS(LoadOrCreateSigningKey(path_), absl::StatusCode::kInvalidArgument,
                "does not hold a key");
  EXPECT_STATUS(LoadOrCreateSigningKey((dir_ / "missing-dir" / "key").string()),
                absl::StatusCode::kFailedPrecondition, "cannot write the signing key file");
}

}  // namespace
}  // namespace lims::services
