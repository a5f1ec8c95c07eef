// Named bounds of the scanner. Exceeding one is an error with a clear message (reason codes
// in docs/scanner.md), never a crash or a silent truncation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace foodtrace::scanner {

// Text of one code: what a hardware scanner types, or what a symbol decodes to (a QR code holds
// at most 7,089 digits, so every real symbol fits).
inline constexpr std::size_t kScanCodeBytesMax = 8192;
// GS1 element strings (AI + value pairs) in one code.
inline constexpr std::size_t kScanElementsMax = 64;

// One image file as received (PNG or JPEG).
inline constexpr std::size_t kScanImageBytesMax = 16 * 1024 * 1024;
// Decoded pixels (width × height), checked from the file header before anything is allocated.
inline constexpr std::uint64_t kScanImagePixelsMax = 25'000'000;
// Either side of an image, in pixels.
inline constexpr std::uint32_t kScanImageSideMax = 16384;
// Codes reported for one image; decoding stops looking once this many are found.
inline constexpr std::size_t kScanCodesPerImageMax = 16;

// Wall-clock time one image may take in a supervised decoder before it is killed.
inline constexpr int kScanDecodeTimeoutMsDefault = 3000;
inline constexpr int kScanDecodeTimeoutMsMax = 60'000;
// Address space a decoder worker may add to what it inherited from its parent.
inline constexpr std::uint64_t kScanWorkerMemoryBytesMax = 1024ull * 1024 * 1024;
// CPU time one decoder worker may use over its whole life (RLIMIT_CPU).
inline constexpr int kScanWorkerCpuSecondsMax = 600;
// Images one worker decodes before it is replaced by a fresh one (bounds leaks and the CPU
// budget above: kScanWorkerImagesMax × typical decode time stays far below it).
inline constexpr int kScanWorkerImagesMax = 256;
// Allocations a decoder worker serves from its heap rather than fresh pages (glibc's own limit
// is 32 MiB), and free heap it keeps rather than returning to the kernel: the buffers of one
// photo are reused for the next instead of being faulted in again.
inline constexpr std::size_t kScanWorkerMmapThresholdBytes = 32ull * 1024 * 1024;
inline constexpr std::size_t kScanWorkerTrimThresholdBytes = 256ull * 1024 * 1024;
// Decoder worker processes alive at once; more concurrent callers wait for a free one.
inline constexpr int kScanWorkersMax = 4;
// Bytes of a crashed worker's stderr quoted in the DECODER_CRASHED message.
inline constexpr std::size_t kScanWorkerStderrBytesMax = 400;

// ---------------------------------------------------------------------------------------------
// The online kiosk (scanner/kiosk/): portal lookups over HTTP, the cached recall list, Scan events.

// Time to set up a TCP connection to the portal, and for a whole request, per HTTP request.
inline constexpr int kKioskConnectTimeoutMsDefault = 2000;
inline constexpr int kKioskLookupTimeoutMsDefault = 5000;
inline constexpr int kKioskHttpTimeoutMsMax = 60'000;
// Bytes of one portal answer (a lookup, or one page of the recall list) the kiosk accepts.
inline constexpr std::size_t kKioskAnswerBytesMax = 4 * 1024 * 1024;
// The portal's base URL.
inline constexpr std::size_t kKioskPortalUrlBytesMax = 2048;
// Recalls asked for per page of GET /api/v1/recalls (the portal's own page maximum), pages
// fetched per refresh, and recalls kept: a longer list is an error, not a silently short cache.
inline constexpr int kKioskRecallPageItems = 500;
inline constexpr int kKioskRecallPagesMax = 200;
inline constexpr std::size_t kKioskRecallsMax = 100'000;
// The recall cache file, read whole.
inline constexpr std::size_t kKioskRecallCacheBytesMax = 64 * 1024 * 1024;
// How often a long-running kiosk (stdin) refreshes the recall list while the portal answers.
inline constexpr int kKioskRecallRefreshIntervalMsDefault = 10 * 60 * 1000;
// Scan events: how long one attempt waits for the gateway, and extra attempts after the first
// (the ingest client library retries with backoff; a kiosk keeps these small so a dead gateway
// costs a consumer seconds, not minutes).
inline constexpr int kKioskSendTimeoutMsDefault = 2000;
inline constexpr int kKioskSendRetriesDefault = 1;
inline constexpr int kKioskSendRetriesMax = 20;
// --watch DIR (kiosk/watch_dir.h): one read of the inotify descriptor, handled as one batch,
// fills a buffer sized for this many events with the longest file name, kKioskWatchNameBytesMax
// bytes (NAME_MAX on Linux; more events fit when names are shorter); with --watch-existing, at most
// this many image files already in DIR are read at start (more is a usage error: DIR is then an
// archive, not a drop folder).
inline constexpr std::size_t kKioskWatchEventsPerReadMax = 64;
inline constexpr std::size_t kKioskWatchNameBytesMax = 255;
inline constexpr std::size_t kKioskWatchExistingFilesMax = 10'000;
// EncodeQr: the longest text (a sign-in link is ~60 bytes; a version 10 QR holds ~200).
inline constexpr std::size_t kQrTextBytesMax = 256;

}  // namespace foodtrace::scanner
