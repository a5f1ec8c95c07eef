// zxing-cpp 1.4 behind foodtrace types, configured to avoid its known aborts where possible:
// its multi-symbol de-duplication (Result::operator==, "lineCount() == 1") aborts on ordinary
// tall 1D barcodes and on GS1 DataBar Stacked, so matrix symbols are read several at a time
// while 1D symbols are read one at a time, each found one painted out before the next pass.
// This runs in whatever process calls it: the supervision is in decode_worker.h. Private to
// the scanner. Thread-safe (no shared state).
#pragma once

#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"
#include "scanner/image_reader.h"

namespace foodtrace::scanner::internal {

// Finds up to kScanCodesPerImageMax codes: a fast pass, then (if it found nothing and
// `try_harder`) a pass with rotation and harder binarisation. Errors: NO_CODE_FOUND,
// DECODER_FAILED (zxing-cpp threw).
Result<std::vector<DecodedCode>> DecodeGray(const GrayImage& image, bool try_harder);

// ReadImage, then DecodeGray. Errors: those of both.
Result<std::vector<DecodedCode>> DecodeImageInProcess(std::string_view image_bytes,
                                                      bool try_harder);

}  // namespace foodtrace::scanner::internal
