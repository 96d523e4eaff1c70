// The HTTP door from outside: a real HTTP client (cpp-httplib) against lims-server's HTTP port,
// checking the Connect JSON form, each error code and its HTTP status, the same gate as gRPC
// (tokens, roles, request_id replay), password sessions and the security headers.
#include <gmock/gmock.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "client_address.h"
#include "lims/core/net_address.h"
#include "service_fixture.h"
#include "soci/soci.h"

namespace lims::testing {
namespace {

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  httplib::Headers headers;
};

class HttpDoorTest : public ServiceTest {
 protected:
  void Configure(services::LimsServer::Options& options) override {
    options.http_listen = "127.0.0.1:0";
    options.web_root = LIMS_WEB_ROOT;
    options.sessions.idle = absl::Seconds(2);
    options.max_message_bytes = 1 << 20;
    options.image_limits.max_bytes = 512 * 1024;  // else the scan service raises the limit
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->http_port());
    client.set_read_timeout(30, 0);
    return client;
  }

  // POST /lims.v1.<service>/<method> with a JSON body and, unless empty, a bearer token.
  Reply Rpc(const std::string& service, const std::string& method, const json& body,
            const std::string& token, httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto client = Client();
    auto res = client.Post(absl::StrCat("/lims.v1.", service, "/", method).c_str(), headers,
                           body.dump(), "application/json");
    Reply reply;
    if (!res) return reply;
    reply.status = res->status;
    reply.headers = res->headers;
    reply.body = json::parse(res->body, nullptr, false);
    return reply;
  }
  Reply Rpc(const std::string& service, const std::string& method, const json& body) {
    return Rpc(service, method, body, admin_token_);
  }

  void ExpectError(const Reply& reply, int http_status, const std::string& code) {
    EXPECT_EQ(reply.status, http_status) << reply.body.dump();
    EXPECT_EQ(reply.body.value("code", ""), code) << reply.body.dump();
    EXPECT_FALSE(reply.body.value("message", "").empty());
    EXPECT_EQ(reply.headers.count("Cache-Control") ? reply.headers.find("Cache-Control")->second
                                                   : "",
              "no-store");
  }

  std::string SetPassword(const std::string& user, const std::string& password) {
    Reply set = Rpc("UserService", "SetPassword", {{"username", user}, {"password", password}});
    EXPECT_EQ(set.status, 200) << set.body.dump();
    return password;
  }

  Reply Login(const std::string& user, const std::string& password) {
    return Rpc("UserService", "Login", {{"username", user}, {"password", password}}, "");
  }
};

TEST_P(HttpDoorTest, ResolveBarcode_AnswersInProtobufsJsonMapping) {
  Seed();
  const v1::Sample tube = CollectSerum();
  ASSERT_TRUE(Place(tube.barcode(), box_id_, "C4").ok());
  const Reply reply = Rpc("SampleService", "ResolveBarcode", {{"barcode", tube.barcode()}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["sample"]["barcode"], tube.barcode());
  EXPECT_EQ(reply.body["sample"]["status"], "SAMPLE_STATUS_STORED");
  EXPECT_EQ(reply.body["patientRegistryId"], "MATHEC-0042");
  EXPECT_EQ(reply.body["location"]["position"], "C4");
  EXPECT_EQ(reply.body["sample"]["freezeThawCount"], 0);  // zeros are written, not left out
  EXPECT_EQ(reply.headers.find("Cache-Control")->second, "no-store");
  EXPECT_EQ(reply.headers.find("X-Content-Type-Options")->second, "nosniff");
}

TEST_P(HttpDoorTest, EachErrorCode_HasConnectsHttpStatus_AndChangesNothing) {
  Seed();
  const auto before = Rows();
  ExpectError(Rpc("RegistryService", "GetPatient", {{"registryId", "NOBODY-0001"}}), 404,
              "not_found");
  ExpectError(Rpc("SampleService", "ResolveBarcode", {{"barcode", "not a code"}}), 400,
              "invalid_argument");
  ExpectError(Rpc("RegistryService", "CreateSite", {{"code", "PSL"}, {"name", "again"}}), 409,
              "already_exists");
  const std::string researcher = MakeUser("r.http", v1::ROLE_RESEARCHER, "PSL");
  const auto with_user = Rows();
  ExpectError(Rpc("SampleService", "ResolveBarcode", {{"barcode", "PSL26-000001-3"}}, researcher),
              403, "permission_denied");
  // A misspelt field is refused, not dropped; so is a body that is not JSON.
  ExpectError(Rpc("SampleService", "ResolveBarcode", {{"barcod", "x"}}), 400, "invalid_argument");
  auto client = Client();
  httplib::Headers auth{{"Authorization", "Bearer " + admin_token_}};
  auto broken = client.Post("/lims.v1.SampleService/ResolveBarcode", auth, "{\"barcode\":",
                            "application/json");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 400);
  auto form = client.Post("/lims.v1.SampleService/ResolveBarcode", auth, "barcode=x",
                          "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  ExpectError(Rpc("SampleService", "NoSuchMethod", json::object()), 404, "unimplemented");
  // Larger than the server accepts (1 MiB here): refused before anything is parsed.
  const std::string huge = json({{"barcode", std::string(2 << 20, 'A')}}).dump();
  auto oversized =
      client.Post("/lims.v1.SampleService/ResolveBarcode", auth, huge, "application/json");
  ASSERT_TRUE(oversized);
  EXPECT_EQ(oversized->status, 413);
  EXPECT_EQ(json::parse(oversized->body, nullptr, false).value("code", ""), "resource_exhausted");
  EXPECT_EQ(Rows(), with_user);
  EXPECT_EQ(before.at("samples"), with_user.at("samples"));
}

// Connect's server-streaming form: one enveloped request, then enveloped messages and an
// end-of-stream frame (flags 0x02) carrying {} or the error.
struct Frames {
  int status = 0;
  std::string content_type;
  std::vector<json> messages;
  json end;  // null when the stream had no end frame
};

std::string Envelope(const std::string& payload) {
  std::string out(5, '\0');
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>((size >> (8 * (3 - i))) & 0xff);
  return out + payload;
}

Frames ReadFrames(const httplib::Result& res) {
  Frames out;
  if (!res) return out;
  out.status = res->status;
  out.content_type = res->get_header_value("Content-Type");
  const std::string& body = res->body;
  for (size_t at = 0; at + 5 <= body.size();) {
    uint32_t size = 0;
    for (int i = 1; i <= 4; ++i) size = (size << 8) | static_cast<uint8_t>(body[at + i]);
    if (at + 5 + size > body.size()) break;  // a torn frame: no end frame is recorded
    json message = json::parse(body.substr(at + 5, size), nullptr, false);
    if (static_cast<uint8_t>(body[at]) & 0x02) {
      out.end = message;
    } else {
      out.messages.push_back(message);
    }
    at += 5 + size;
  }
  return out;
}

TEST_P(HttpDoorTest, AStreamingRpc_ArrivesAsConnectFrames_WithErrorsInTheLastFrame) {
  Seed();
  const v1::Sample tube = CollectSerum();
  auto client = Client();
  httplib::Headers auth{{"Authorization", "Bearer " + admin_token_}};
  const std::string path = "/lims.v1.AuditService/ExportAuditCsv";
  const Frames whole =
      ReadFrames(client.Post(path, auth, Envelope("{}"), "application/connect+json"));
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.content_type, "application/connect+json");
  ASSERT_FALSE(whole.messages.empty());
  EXPECT_EQ(whole.end, json::object());
  std::string csv;
  for (const json& piece : whole.messages) {
    std::string chunk;  // bytes travel as base64 in protobuf's JSON mapping
    ASSERT_TRUE(absl::Base64Unescape(piece.value("chunk", ""), &chunk));
    csv += chunk;
  }
  EXPECT_EQ(csv.rfind("id,at,actor,action", 0), 0u) << csv.substr(0, 80);
  EXPECT_NE(csv.find(tube.barcode()), std::string::npos);

  // The gate's refusal is the end frame's error: a manager must name a tube.
  const std::string manager = MakeUser("mgr.http", v1::ROLE_MANAGER, "PSL");
  const Frames refused = ReadFrames(client.Post(path, {{"Authorization", "Bearer " + manager}},
                                                Envelope("{}"), "application/connect+json"));
  EXPECT_EQ(refused.status, 200);
  EXPECT_TRUE(refused.messages.empty());
  EXPECT_EQ(refused.end["error"].value("code", ""), "permission_denied") << refused.end.dump();
  EXPECT_NE(refused.end["error"].value("message", "").find("entity_barcode"), std::string::npos);
  const Frames one_tube = ReadFrames(client.Post(
      path, {{"Authorization", "Bearer " + manager}},
      Envelope(json({{"entityBarcode", tube.barcode()}}).dump()), "application/connect+json"));
  EXPECT_EQ(one_tube.end, json::object()) << one_tube.end.dump();
  EXPECT_FALSE(one_tube.messages.empty());

  // A body without an envelope, a unary RPC asked to stream, a streaming RPC asked for JSON.
  auto bare = client.Post(path, auth, "{}", "application/connect+json");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 400);
  const Frames unary = ReadFrames(client.Post("/lims.v1.SampleService/ResolveBarcode", auth,
                                              Envelope("{}"), "application/connect+json"));
  EXPECT_EQ(unary.end["error"].value("code", ""), "invalid_argument") << unary.end.dump();
  ExpectError(Rpc("AuditService", "ExportAuditCsv", json::object()), 415, "invalid_argument");
}

TEST_P(HttpDoorTest, MissingOrForgedTokens_AreUnauthenticated) {
  for (const std::string& token : {std::string(), std::string("lims_forged"),
                                   admin_token_ + "x", std::string("bad\x01value")}) {
    ExpectError(Rpc("UserService", "WhoAmI", json::object(), token), 401, "unauthenticated");
  }
  auto client = Client();
  auto basic = client.Post("/lims.v1.UserService/WhoAmI",
                           httplib::Headers{{"Authorization", "Basic YWRtaW46YWRtaW4="}}, "{}",
                           "application/json");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
}

TEST_P(HttpDoorTest, ARequestIdSeenOnOneDoor_IsReplayedOnTheOther) {
  const Reply first = Rpc("RegistryService", "CreateSite",
                          {{"code", "LYO"}, {"name", "Lyon"}, {"requestId", "same-id-both-doors"}});
  ASSERT_EQ(first.status, 200) << first.body.dump();
  v1::CreateSiteRequest again;
  again.set_code("LYO");
  again.set_name("Lyon");
  again.set_request_id("same-id-both-doors");
  v1::CreateSiteResponse replayed;
  grpc::Status status = registry_->CreateSite(Ctx().get(), again, &replayed);
  ASSERT_TRUE(status.ok()) << status.error_message();  // not ALREADY_EXISTS: the same call
  EXPECT_EQ(replayed.site().code(), "LYO");
  EXPECT_EQ(first.body["site"]["name"], replayed.site().name());
}

TEST_P(HttpDoorTest, Login_GivesASessionThatWorksUntilLogout) {
  const std::string password = SetPassword("admin", "correct horse battery");
  const Reply login = Login("admin", password);
  ASSERT_EQ(login.status, 200) << login.body.dump();
  const std::string session = login.body["sessionToken"];
  EXPECT_EQ(login.body["user"]["role"], "ROLE_ADMIN");
  EXPECT_EQ(login.body["idleSeconds"], 2);
  EXPECT_FALSE(login.body["expiresAt"].get<std::string>().empty());
  EXPECT_EQ(Rpc("UserService", "WhoAmI", json::object(), session).status, 200);
  EXPECT_EQ(Rpc("UserService", "Logout", json::object(), session).status, 200);
  ExpectError(Rpc("UserService", "WhoAmI", json::object(), session), 401, "unauthenticated");
  // The admin's API token is not touched by the session's logout.
  EXPECT_EQ(Rpc("UserService", "WhoAmI", json::object()).status, 200);
}

TEST_P(HttpDoorTest, ASessionIdleTooLong_Ends_AndUseKeepsItAlive) {
  const std::string password = SetPassword("admin", "correct horse battery");
  const std::string busy = Login("admin", password).body["sessionToken"];
  const std::string idle = Login("admin", password).body["sessionToken"];
  // Idle limit 2 s: one session is used every 0.4 s, the other not at all.
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    ASSERT_EQ(Rpc("UserService", "WhoAmI", json::object(), busy).status, 200) << i;
  }
  ExpectError(Rpc("UserService", "WhoAmI", json::object(), idle), 401, "unauthenticated");
}

TEST_P(HttpDoorTest, WrongPasswords_AreAudited_AndSlowDown) {
  const std::string password = SetPassword("admin", "correct horse battery");
  ExpectError(Login("admin", "wrong"), 401, "unauthenticated");
  ExpectError(Login("nobody", "wrong"), 401, "unauthenticated");  // the same answer
  for (int i = 0; i < 4; ++i) Login("admin", "still wrong");
  const Reply slowed = Login("admin", password);  // even the right one waits now
  ExpectError(slowed, 429, "resource_exhausted");
  EXPECT_NE(slowed.body["message"].get<std::string>().find("try again in"), std::string::npos);
  const Reply audit = Rpc("AuditService", "ListAuditEvents", {{"pageSize", 100}});
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  int failures = 0;
  for (const auto& event : audit.body["events"]) {
    if (event["action"] == "user.login_failed") ++failures;
    EXPECT_EQ(event.dump().find("still wrong"), std::string::npos);  // never the password
  }
  // The sixth try was already slowed down (the address had five failures): refused unheard.
  EXPECT_EQ(failures, 5);
}

// Behind nginx every caller is the proxy's address: the one it names in X-Real-IP is taken, but
// only from a proxy the installation trusts; anyone else's header is ignored.
TEST_P(HttpDoorTest, XRealIp_IsBelievedFromTrustedProxiesOnly) {
  SetPassword("admin", "correct horse battery");
  const httplib::Headers forwarded = {{"X-Real-IP", "192.0.2.7"}};
  services::TrustProxies({});
  Rpc("UserService", "Login", {{"username", "admin"}, {"password", "wrong 1"}}, "", forwarded);
  services::TrustProxies(*ParseNetworks("127.0.0.1/32"));
  Rpc("UserService", "Login", {{"username", "admin"}, {"password", "wrong 2"}}, "", forwarded);
  Rpc("UserService", "Login", {{"username", "admin"}, {"password", "wrong 3"}}, "",
      {{"X-Real-IP", "not an address"}});
  services::TrustProxies({});
  const Reply audit = Rpc("AuditService", "ListAuditEvents", {{"pageSize", 100}});
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  std::vector<std::string> from;
  for (const auto& event : audit.body["events"]) {
    if (event["action"] == "user.login_failed") from.push_back(event["details"]);
  }
  EXPECT_THAT(
      from, ::testing::ElementsAre("wrong password from 127.0.0.1", "wrong password from 192.0.2.7",
                                   "wrong password from 127.0.0.1"));
}

TEST_P(HttpDoorTest, Passwords_AreStoredAsArgon2id_AndChecked) {
  Seed();
  const std::string tech = MakeUser("t.http", v1::ROLE_TECHNICIAN, "PSL");
  ExpectError(Rpc("UserService", "SetPassword", {{"username", "t.http"}, {"password", "short"}}),
              400, "invalid_argument");
  SetPassword("t.http", "first password here");
  // Users change their own with the current one; not someone else's.
  ExpectError(Rpc("UserService", "SetPassword",
                  {{"username", "t.http"}, {"password", "second password"},
                   {"currentPassword", "not the current"}},
                  tech),
              403, "permission_denied");
  ExpectError(Rpc("UserService", "SetPassword",
                  {{"username", "admin"}, {"password", "taken over now"}}, tech),
              403, "permission_denied");
  ASSERT_EQ(Rpc("UserService", "SetPassword",
                {{"username", "t.http"}, {"password", "second password"},
                 {"currentPassword", "first password here"}},
                tech)
                .status,
            200);
  EXPECT_EQ(Login("t.http", "second password").status, 200);
  std::string stored;
  ASSERT_TRUE(db_->Read([&](db::Tx& tx) {
                   tx.session() << "SELECT password_hash FROM users WHERE username = 't.http'",
                       soci::into(stored);
                   return absl::OkStatus();
                 }).ok());
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
}

TEST_P(HttpDoorTest, HealthAndTheAppsFiles_CarryStrictHeaders) {
  auto client = Client();
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "SERVING\n");
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("/js/main.js"), std::string::npos);
  const std::string csp = index->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  auto script = client.Get("/js/main.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript");
  auto missing = client.Get("/../../etc/passwd");
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->status, 200);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, HttpDoorTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, HttpDoorTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
