#include "seed.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "lims/v1/registry.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "lims/v1/storage.grpc.pb.h"
#include "token.h"

namespace lims_bench {
namespace {

namespace v1 = lims::v1;

constexpr int kBoxRows = 9;
constexpr int kBoxColumns = 9;
constexpr int kBoxesPerRack = 10;
constexpr int kRacksPerFreezer = 10;
constexpr std::int64_t kDay = 86400;

struct TimepointSpec {
  const char* code;
  int offset_days;
};
constexpr TimepointSpec kTimepoints[] = {
    {"BASELINE", -14}, {"D0", 0}, {"M3", 90}, {"M6", 180}, {"M12", 365}};
constexpr const char* kSampleTypes[] = {"SER", "PL1", "BLD", "CEL"};

class SeedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs a unary call with the bearer token (`authorization` metadata, none when empty); retries
// transient failures (the request_id makes a retried mutation safe) and throws on anything else.
void Call(const std::string& authorization, const std::string& what,
          const std::function<grpc::Status(grpc::ClientContext&)>& rpc) {
  grpc::Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    status = rpc(context);
    if (status.ok()) return;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
        status.error_code() != grpc::StatusCode::ABORTED) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
  }
  std::string hint;
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    hint = " (seed needs an admin's token: --token-file FILE or LIMS_TOKEN)";
  }
  throw SeedError(what + ": " + std::to_string(status.error_code()) + " " +
                  status.error_message() + hint);
}

std::string IsoDay(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string PositionName(int index) {  // 0-based, row-major: 0 → A1
  return std::string(1, static_cast<char>('A' + index / kBoxColumns)) +
         std::to_string(index % kBoxColumns + 1);
}

std::string Numbered(const char* prefix, int n, int width) {
  std::string digits = std::to_string(n);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return prefix + digits;
}

class Seeder {
 public:
  Seeder(const SeedOptions& options, std::shared_ptr<grpc::Channel> channel)
      : options_(options),
        registry_(v1::RegistryService::NewStub(channel)),
        samples_(v1::SampleService::NewStub(channel)),
        storage_(v1::StorageService::NewStub(channel)),
        authorization_(BearerHeader(options.token)),
        // Unique per run, so that request ids of two seeds never collide.
        run_tag_(std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count())) {}

  void Run() {
    CreateRegistry();
    CreateBoxes();
    CollectAndPlace();
    WriteBarcodes();
  }

 private:
  // Request ids are short and without spaces (the API allows 64 printable characters).
  std::string RequestId(const std::string& what) const { return "seed-" + run_tag_ + "-" + what; }

  void CreateRegistry() {
    {
      v1::CreateSiteRequest req;
      req.set_code(options_.site);
      req.set_name("Benchmark biobank");
      req.set_request_id(RequestId("site"));
      v1::CreateSiteResponse res;
      Call(authorization_, "CreateSite " + options_.site + " (seed needs a fresh database)",
           [&](grpc::ClientContext& c) { return registry_->CreateSite(&c, req, &res); });
    }
    {
      v1::CreateProtocolRequest req;
      req.set_code(protocol_code_);
      req.set_name("Benchmark protocol (CAR-T lupus schedule)");
      req.set_request_id(RequestId("protocol"));
      for (const auto& tp : kTimepoints) {
        v1::Timepoint* t = req.add_timepoints();
        t->set_code(tp.code);
        t->set_offset_days(tp.offset_days);
        t->set_window_before_days(7);
        t->set_window_after_days(7);
        v1::ExpectedSample* e = t->add_expected_samples();
        e->set_sample_type("SER");
        e->set_count(1);
      }
      v1::CreateProtocolResponse res;
      Call(authorization_, "CreateProtocol", [&](grpc::ClientContext& c) { return registry_->CreateProtocol(&c, req, &res); });
    }
    // Anchors a little over a year ago, so that every timepoint up to M12 is in the past.
    anchor_seconds_ = std::time(nullptr) / kDay * kDay - 400 * kDay;
    for (int p = 0; p < options_.patients; ++p) {
      v1::CreatePatientRequest preq;
      preq.set_registry_id(Numbered((options_.site + "-").c_str(), p + 1, 5));
      preq.set_site_code(options_.site);
      preq.set_request_id(RequestId("patient-" + std::to_string(p)));
      v1::CreatePatientResponse pres;
      Call(authorization_, "CreatePatient", [&](grpc::ClientContext& c) { return registry_->CreatePatient(&c, preq, &pres); });

      v1::EnrollPatientRequest ereq;
      ereq.set_patient_id(pres.patient().id());
      ereq.set_protocol_code(protocol_code_);
      ereq.set_anchor_date(IsoDay(anchor_seconds_));
      ereq.set_request_id(RequestId("enroll-" + std::to_string(p)));
      v1::EnrollPatientResponse eres;
      Call(authorization_, "EnrollPatient", [&](grpc::ClientContext& c) { return registry_->EnrollPatient(&c, ereq, &eres); });
      enrollments_.push_back(eres.enrollment().id());
    }
    std::cerr << "seed: site " << options_.site << ", protocol " << protocol_code_ << ", "
              << options_.patients << " enrolled patients\n";
  }

  std::string CreateUnit(const std::string& parent_id, v1::StorageKind kind, const std::string& name,
                         int rows = 0, int columns = 0) {
    v1::CreateStorageUnitRequest req;
    req.set_parent_id(parent_id);
    req.set_kind(kind);
    req.set_name(name);
    req.set_rows(rows);
    req.set_columns(columns);
    req.set_request_id(RequestId("unit-" + std::to_string(units_created_++)));
    v1::CreateStorageUnitResponse res;
    Call(authorization_, "CreateStorageUnit " + name,
         [&](grpc::ClientContext& c) { return storage_->CreateStorageUnit(&c, req, &res); });
    return res.unit().id();
  }

  void CreateBoxes() {
    if (options_.place_every <= 0) return;
    const int placed = (options_.samples + options_.place_every - 1) / options_.place_every;
    const int boxes = (placed + kBoxRows * kBoxColumns - 1) / (kBoxRows * kBoxColumns);
    const std::string site = CreateUnit("", v1::STORAGE_KIND_SITE, options_.site);
    const std::string room = CreateUnit(site, v1::STORAGE_KIND_ROOM, "Room 1");
    std::string freezer;
    std::string rack;
    for (int b = 0; b < boxes; ++b) {
      if (b % (kBoxesPerRack * kRacksPerFreezer) == 0) {
        freezer = CreateUnit(room, v1::STORAGE_KIND_FREEZER,
                             Numbered("F-", b / (kBoxesPerRack * kRacksPerFreezer) + 1, 2));
      }
      if (b % kBoxesPerRack == 0) {
        rack = CreateUnit(freezer, v1::STORAGE_KIND_RACK,
                          Numbered("R", (b / kBoxesPerRack) % kRacksPerFreezer + 1, 1));
      }
      box_ids_.push_back(
          CreateUnit(rack, v1::STORAGE_KIND_BOX, Numbered("B-", b + 1, 4), kBoxRows, kBoxColumns));
    }
    std::cerr << "seed: " << boxes << " boxes of " << kBoxRows << "x" << kBoxColumns << "\n";
  }

  void CollectOne(int s) {
    const int patient = s % options_.patients;
    const TimepointSpec& tp = kTimepoints[(s / options_.patients) % std::size(kTimepoints)];
    v1::CollectSampleRequest req;
    req.set_enrollment_id(enrollments_[patient]);
    req.set_timepoint_code(tp.code);
    req.set_sample_type(kSampleTypes[s % std::size(kSampleTypes)]);
    req.mutable_quantity()->set_value(1);
    req.mutable_quantity()->set_unit("mL");
    req.mutable_collected_at()->set_seconds(anchor_seconds_ + tp.offset_days * kDay + 9 * 3600);
    req.set_request_id(RequestId("collect-" + std::to_string(s)));
    v1::CollectSampleResponse res;
    Call(authorization_, "CollectSample", [&](grpc::ClientContext& c) { return samples_->CollectSample(&c, req, &res); });
    barcodes_[s] = res.sample().barcode();

    if (options_.place_every > 0 && s % options_.place_every == 0) {
      const int k = s / options_.place_every;
      v1::PlaceSampleRequest preq;
      preq.set_barcode(res.sample().barcode());
      preq.set_box_id(box_ids_[k / (kBoxRows * kBoxColumns)]);
      preq.set_position(PositionName(k % (kBoxRows * kBoxColumns)));
      preq.set_request_id(RequestId("place-" + std::to_string(s)));
      v1::PlaceSampleResponse pres;
      Call(authorization_, "PlaceSample", [&](grpc::ClientContext& c) { return storage_->PlaceSample(&c, preq, &pres); });
    }
  }

  void CollectAndPlace() {
    barcodes_.assign(options_.samples, "");
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::mutex error_mutex;
    std::string first_error;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < std::max(1, options_.threads); ++t) {
      workers.emplace_back([&] {
        for (int s = next++; s < options_.samples; s = next++) {
          try {
            CollectOne(s);
          } catch (const SeedError& e) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (first_error.empty()) first_error = e.what();
            next = options_.samples;  // stop everyone
            return;
          }
          const int n = ++done;
          if (n % 1000 == 0) std::cerr << "seed: " << n << " samples\n";
        }
      });
    }
    for (auto& w : workers) w.join();
    if (!first_error.empty()) throw SeedError(first_error);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cerr << "seed: " << options_.samples << " samples collected ("
              << (options_.place_every > 0 ? (options_.samples + options_.place_every - 1) / options_.place_every : 0)
              << " placed) in " << secs << " s\n";
  }

  void WriteBarcodes() {
    // Shuffled with a fixed seed: every client mixes placed and unplaced tubes, reproducibly.
    std::mt19937 rng(42);
    std::shuffle(barcodes_.begin(), barcodes_.end(), rng);
    std::ofstream out(options_.out);
    for (const auto& b : barcodes_) out << b << '\n';
    out.close();
    if (!out) throw SeedError("cannot write " + options_.out);
    std::cout << options_.out << std::endl;
  }

  const SeedOptions& options_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::SampleService::Stub> samples_;
  std::unique_ptr<v1::StorageService::Stub> storage_;
  const std::string authorization_;
  const std::string run_tag_;
  const std::string protocol_code_ = "BENCH-SLE";
  std::int64_t anchor_seconds_ = 0;
  std::vector<std::string> enrollments_;
  std::vector<std::string> box_ids_;
  int units_created_ = 0;
  std::vector<std::string> barcodes_;
};

}  // namespace

int RunSeed(const SeedOptions& options) {
  if (options.samples <= 0 || options.patients <= 0) {
    std::cerr << "lims-bench seed: --samples and --patients must be positive\n";
    return 2;
  }
  auto channel = grpc::CreateChannel(options.target, grpc::InsecureChannelCredentials());
  try {
    Seeder(options, channel).Run();
  } catch (const SeedError& e) {
    std::cerr << "lims-bench seed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace lims_bench
