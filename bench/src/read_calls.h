// The reads bench/scale.sh compares between a small and a large database, each one call per
// key of the keys file: `history` (a barcode), `box` (a box id), `completeness` (a protocol
// code: its first page of 50 patients), `criteria` ("PROTOCOL TIMEPOINT TYPE SITE": a
// researcher's preview, one tube per patient).
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

namespace lims_bench {

bool IsReadCall(const std::string& rpc);

// One call of `rpc` for `key`, made with `prepare` (deadline and authorization) on `channel`.
using ReadCall = std::function<grpc::Status(const std::string& key)>;
ReadCall MakeReadCall(const std::string& rpc, const std::shared_ptr<grpc::Channel>& channel,
                      std::function<void(grpc::ClientContext&)> prepare);

}  // namespace lims_bench
