// Process-wide allocator settings for the long-running server (`foodtrace serve`) and the
// benchmarks that embed it.
#pragma once

#include <cstddef>

namespace foodtrace {

// Allocations the server serves from glibc's heap rather than from fresh mmap'd pages (glibc's
// own upper bound is 32 MiB), and free heap each arena keeps rather than returning it to the
// kernel. A recall's alert batch, RocksDB's memtable blocks and the published messages are
// megabytes that are freed and needed again moments later; with glibc's defaults every such
// burst faulted its pages in afresh, and a page fault costs 10-13 µs on virtual machines with
// nested paging (bench/trace: publishing 10,000 alerts 19 → 3 ms, building their batch
// 29 → 5-10 ms). The price: the process keeps what it used at its peak, up to this much
// per arena.
inline constexpr std::size_t kServerMmapThresholdBytes = 32ull * 1024 * 1024;
inline constexpr std::size_t kServerTrimThresholdBytes = 512ull * 1024 * 1024;

// Applies the settings above, or a process's own (mallopt M_MMAP_THRESHOLD, M_TRIM_THRESHOLD).
// Call once, early in main or in a fresh child, before threads start.
void KeepFreedMemoryForReuse(std::size_t mmap_threshold_bytes = kServerMmapThresholdBytes,
                             std::size_t trim_threshold_bytes = kServerTrimThresholdBytes);

}  // namespace foodtrace
