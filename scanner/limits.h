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
// Decoder worker processes alive at once; more concurrent callers wait for a free one.
inline constexpr int kScanWorkersMax = 4;
// Bytes of a crashed worker's stderr quoted in the DECODER_CRASHED message.
inline constexpr std::size_t kScanWorkerStderrBytesMax = 400;

}  // namespace foodtrace::scanner
