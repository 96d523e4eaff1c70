// Gives memory freed by finished calls back to the system every 30 s (glibc's malloc_trim).
// A broad criteria preview or import allocates tens of megabytes in many small blocks; freed,
// they stay in the allocator's per-thread arenas, and the process's resident memory would keep
// the high-water mark of its largest call for as long as it runs.
#ifndef LIMS_SERVICES_SERVER_MEMORY_TRIM_H_
#define LIMS_SERVICES_SERVER_MEMORY_TRIM_H_

#include "periodic_task.h"

namespace lims::services {

class MemoryTrim {
 public:
  MemoryTrim();

 private:
  PeriodicTask task_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_MEMORY_TRIM_H_
