// Loads a benchmark data set through the public LIMS API.
#pragma once

#include <string>

namespace lims_bench {

struct SeedOptions {
  std::string target;                       // HOST:PORT of a lims-server
  int samples = 10000;
  int patients = 250;
  int place_every = 2;                      // every K-th sample is placed in a 9×9 box
  int threads = 4;                          // concurrent writers
  std::string site = "BNCH";                // must not exist yet: seed a fresh database
  std::string out = "lims-bench-barcodes.txt";
  std::string token;                        // an admin's API token (sites need an admin)
};

// Creates a site, patients, a protocol, enrollments, `samples` collected samples (some placed in
// boxes of a freezer tree) and writes their barcodes, shuffled, one a line, to `out`; prints that
// path on stdout. Returns the process exit code.
int RunSeed(const SeedOptions& options);

}  // namespace lims_bench
