#include "foodtrace/common/memory.h"

#include <malloc.h>

namespace foodtrace {

void KeepFreedMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kServerMmapThresholdBytes));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kServerTrimThresholdBytes));
}

}  // namespace foodtrace
