// Gives memory freed by finished calls back to the system every 30 s (glibc's malloc_trim).
// A broad criteria preview or import allocates tens of megabytes in many small blocks; freed,
// they stay in the allocator's arenas, and the process's resident memory would keep the
// high-water mark of its largest call for as long as it runs. The page caches of the pooled
// SQLite connections no call holds go first (Database::ReleaseIdleMemory): on ten million
// samples they held 16 MB of an idle server's 55 (docs/benchmarks-scale.md).
// What the trim cannot reach: the free end of a per-thread arena, which glibc shrinks only on a
// free in that arena above a threshold it raises itself (up to 64 MB); lowering that threshold
// or using one arena gave it back, at a cost measured in docs/benchmarks-scale.md.
#ifndef LIMS_SERVICES_SERVER_MEMORY_TRIM_H_
#define LIMS_SERVICES_SERVER_MEMORY_TRIM_H_

#include "lims/db/database.h"
#include "periodic_task.h"

namespace lims::services {

class MemoryTrim {
 public:
  explicit MemoryTrim(db::Database& db);

 private:
  PeriodicTask task_;
};

// At most one allocator arena per core, set before the first thread starts. glibc gives each
// thread that meets a busy arena one of its own, up to 8 per core; gRPC's 8 polling threads
// (lims_server.cc) then each kept a large call's worth of memory in their own arena: after a
// criteria preview on ten million samples, 54 MB of the process's own memory stayed resident
// where 26 MB did with one arena per core, at the same throughput (docs/benchmarks-scale.md).
void LimitAllocatorArenas();

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_MEMORY_TRIM_H_
