#include "memory_trim.h"

#include <malloc.h>

namespace lims::services {

MemoryTrim::MemoryTrim() : task_(absl::Seconds(30), [] { malloc_trim(0); }) {}

}  // namespace lims::services
