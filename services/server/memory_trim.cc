#include "memory_trim.h"

#include <malloc.h>

#include <algorithm>
#include <thread>

namespace lims::services {

MemoryTrim::MemoryTrim(db::Database& db)
    : task_(absl::Seconds(30), [&db] {
        db.ReleaseIdleMemory();
        malloc_trim(0);
      }) {}

void LimitAllocatorArenas() {
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace lims::services
