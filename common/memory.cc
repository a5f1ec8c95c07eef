#include "foodtrace/common/memory.h"

#include <malloc.h>

namespace foodtrace {

void KeepFreedMemoryForReuse(std::size_t mmap_threshold_bytes, std::size_t trim_threshold_bytes) {
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold_bytes));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold_bytes));
}

}  // namespace foodtrace
