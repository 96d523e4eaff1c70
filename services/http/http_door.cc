#include "http_door.h"

#include <httplib.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client_address.h"
#include "connect_codes.h"
#include "lims/core/net_address.h"

namespace lims::services {
namespace {

// No inline script or style, nothing from elsewhere; label previews arrive as data: URLs.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

void SendError(httplib::Response& res, int http_status, grpc::StatusCode code,
               const std::string& message) {
  res.status = http_status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(ConnectErrorJson(code, message), "application/json");
}

struct HostPort {
  std::string host;
  int port = 0;
};

absl::StatusOr<HostPort> SplitListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  HostPort out;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(listen).substr(colon + 1), &out.port) || out.port < 0 ||
      out.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http '", listen, "': give HOST:PORT, e.g. 127.0.0.1:8080"));
  }
  out.host = listen.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  return out;
}

std::chrono::milliseconds Timeout(const httplib::Request& req) {
  int64_t ms = 0;
  const std::string header = req.get_header_value("Connect-Timeout-Ms");
  if (!header.empty() && absl::SimpleAtoi(header, &ms) && ms > 0) {
    return std::chrono::milliseconds(std::min<int64_t>(ms, 600'000));
  }
  return std::chrono::milliseconds(60'000);
}

}  // namespace

HttpDoor::HttpDoor(std::shared_ptr<grpc::Channel> in_process, std::function<bool()> serving)
    : relay_(std::move(in_process)), serving_(std::move(serving)) {}

absl::StatusOr<std::unique_ptr<HttpDoor>> HttpDoor::Start(
    std::shared_ptr<grpc::Channel> in_process, std::function<bool()> serving,
    const Options& options) {
  auto where = SplitListen(options.listen);
  if (!where.ok()) return where.status();
  const bool tls = !options.tls_cert_file.empty();
  if (!tls && !IsLoopbackAddress(options.listen)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "refusing to serve plaintext HTTP on ", options.listen,
        ": give --tls-cert and --tls-key, or listen on loopback (127.0.0.1)"));
  }
  if (!options.web_root.empty() && !std::filesystem::is_directory(options.web_root)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the browser app's files are not in ", options.web_root, " (give --web-root DIR)"));
  }
  std::unique_ptr<HttpDoor> door(new HttpDoor(std::move(in_process), std::move(serving)));
  if (tls) {
    door->server_ = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                                         options.tls_key_file.c_str());
    if (!door->server_->is_valid()) {
      return absl::FailedPreconditionError("cannot read the TLS certificate or key for --http");
    }
  } else {
    door->server_ = std::make_unique<httplib::Server>();
  }
  door->Route(options);
  // SO_REUSEADDR only: with cpp-httplib's default SO_REUSEPORT a second process given the same
  // port would bind it too and silently take half of the calls.
  door->server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  if (where->port == 0) {
    door->port_ = door->server_->bind_to_any_port(where->host);
  } else if (door->server_->bind_to_port(where->host, where->port)) {
    door->port_ = where->port;
  }
  if (door->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not local?)"));
  }
  httplib::Server* server = door->server_.get();
  door->thread_ = std::thread([server] { server->listen_after_bind(); });
  return door;
}

void HttpDoor::Route(const Options& options) {
  httplib::Server& s = *server_;
  s.set_payload_max_length(options.max_body_bytes);
  // Headers and body leave in separate writes: without this, Nagle's algorithm and the
  // client's delayed ACK hold every answer back by tens of milliseconds.
  s.set_tcp_nodelay(true);
  s.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                         {"Content-Security-Policy", kContentSecurityPolicy},
                         {"Referrer-Policy", "no-referrer"},
                         {"X-Frame-Options", "DENY"}});
  s.Post(R"(/(lims\.v1\.[A-Za-z]+)/([A-Za-z]+))",
         [this](const httplib::Request& req, httplib::Response& res) {
           const std::string type = req.get_header_value("Content-Type");
           ConnectCall call{req.matches[1],
                            req.matches[2],
                            req.body,
                            req.get_header_value("Authorization"),
                            BehindProxy(req.remote_addr, req.get_header_value("X-Real-IP")),
                            Timeout(req)};
           if (absl::StartsWith(type, "application/connect+json")) {
             Stream(std::move(call), res);
             return;
           }
           if (!absl::StartsWith(type, "application/json")) {
             SendError(res, 415, grpc::StatusCode::INVALID_ARGUMENT,
                       "send Content-Type: application/json (the Connect protocol's JSON form; "
                       "application/connect+json for streaming answers)");
             return;
           }
           ConnectReply reply = relay_.Call(call);
           res.status = reply.http_status;
           res.set_header("Cache-Control", "no-store");
           res.set_content(std::move(reply.json), "application/json");
         });
  s.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const bool up = serving_();
    res.status = up ? 200 : 503;
    res.set_header("Cache-Control", "no-store");
    res.set_content(up ? "SERVING\n" : "NOT_SERVING\n", "text/plain");
  });
  if (options.metrics) {
    // Counts and timings only: no patient, sample or user is named on it.
    s.Get("/metrics", [metrics = options.metrics](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-store");
      res.set_content(metrics(), "text/plain; version=0.0.4; charset=utf-8");
    });
  }
  // Oversized bodies, unknown paths: a Connect error a script can read.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 413) {
      SendError(res, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
                absl::StrCat("the request is larger than this server accepts (",
                             req.get_header_value("Content-Length"), " bytes)"));
    } else if (res.status == 404 && res.body.empty()) {
      SendError(res, 404, grpc::StatusCode::NOT_FOUND,
                absl::StrCat("nothing at ", req.path, "; the API is POST /lims.v1.Service/Method"));
    }
  });
  if (!options.web_root.empty()) {
    for (const auto& [ext, mime] : std::map<std::string, std::string>{
             {"js", "text/javascript"}, {"css", "text/css"}, {"html", "text/html"},
             {"svg", "image/svg+xml"}, {"png", "image/png"}, {"json", "application/json"},
             {"ico", "image/x-icon"}}) {
      s.set_file_extension_and_mimetype_mapping(ext, mime);
    }
    s.set_mount_point("/", options.web_root);
    // The app's files are checked for changes on every load: an update reaches the benches.
    s.set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
    });
  }
}

// The frames are written as the service sends them (chunked): a long export is never held whole.
void HttpDoor::Stream(ConnectCall call, httplib::Response& res) {
  std::optional<std::string> json = UnwrapEnvelope(call.json);
  if (!json) {
    SendError(res, 400, grpc::StatusCode::INVALID_ARGUMENT,
              "a streaming request's body is one uncompressed Connect envelope: a flags byte 0, "
              "the JSON's length as 4 bytes big-endian, then the JSON");
    return;
  }
  call.json = std::move(*json);
  res.set_header("Cache-Control", "no-store");
  res.set_chunked_content_provider("application/connect+json",
                                   [this, call = std::move(call)](size_t, httplib::DataSink& sink) {
                                     relay_.Stream(call, [&sink](const std::string& frame) {
                                       return sink.write(frame.data(), frame.size());
                                     });
                                     sink.done();
                                     return true;
                                   });
}

void HttpDoor::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

HttpDoor::~HttpDoor() { Stop(); }

}  // namespace lims::services
