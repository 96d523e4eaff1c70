#include "request_replay.h"

#include <google/protobuf/descriptor.h>

#include <memory>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "lims/db/request_log.h"
#include "tokens.h"

namespace lims::services {
namespace {

// Deterministic bytes so that "the same request" compares equal across retries.
std::string Serialize(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

// One user's request_id is not another's: the log is keyed by both (hashed to the column's
// width), so another user's request_id is a fresh request.
std::string LogKey(const CallContext& call) {
  return Sha256Hex(absl::StrCat(call.actor, "\x1f", call.request_id));
}

}  // namespace

absl::Status ReplayIfSeen(db::Tx& tx, const CallContext& call, const std::string& rpc,
                          const google::protobuf::Message& request,
                          google::protobuf::Message* response, bool* replayed) {
  *replayed = false;
  const std::string& request_id = call.request_id;
  auto logged = db::RequestLog(tx).Find(LogKey(call));
  if (!logged.ok()) return logged.status();
  if (!logged->has_value()) return absl::OkStatus();
  if ((*logged)->rpc != rpc || (*logged)->request_body != Sha256Hex(Serialize(request))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request_id '", request_id, "' was already used for a different request (",
        (*logged)->rpc, "); use a fresh request_id for a new operation"));
  }
  if (!response->ParseFromString((*logged)->response_body)) {
    return absl::InternalError("stored response for request_id " + request_id + " is corrupt");
  }
  *replayed = true;
  return absl::OkStatus();
}

absl::Status RecordOutcome(db::Tx& tx, const CallContext& call, const std::string& rpc,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response) {
  // Secrets are never stored: a response field named `token` (a new API token) is blanked in
  // the stored copy, so a retry gets the rest of the first answer and must ask for a new token.
  std::unique_ptr<google::protobuf::Message> stored(response.New());
  stored->CopyFrom(response);
  const google::protobuf::FieldDescriptor* token = stored->GetDescriptor()->FindFieldByName("token");
  if (token != nullptr) stored->GetReflection()->ClearField(stored.get(), token);
  // Only the request's digest is kept: enough to recognise "the same request", without a second
  // copy of a large request (e.g. a registry CSV) in the database.
  db::LoggedRequest entry{LogKey(call), rpc, Sha256Hex(Serialize(request)), Serialize(*stored)};
  return db::RequestLog(tx).Insert(entry, call.now);
}

}  // namespace lims::services
