// The kiosk's offline half: one input (an image file or the text a hardware scanner typed)
// becomes a ScanOutcome — the code that was read and what it says — with no network involved.
// Where a verdict comes from (the portal, a cached recall list) is verdict.h's business; how an
// outcome is shown is output.h's. Thread-safe (no shared state beyond DecodeImage's pool).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::scanner::kiosk {

struct ScanOptions {
  DecodeOptions decode;
  ParseOptions parse;
};

struct ScanOutcome {
  std::string input;        // as given: a path or the code text
  bool from_image = false;  // the input named an existing file
  // Ok, or why nothing usable was read (IMAGE_*, NO_CODE_FOUND, DECODER_*, GS1_*, ...).
  Status error;
  // The code the data came from (for typed text: symbology "text" unless the text starts
  // with a symbology identifier). Set whenever a code was read, even if it did not parse.
  DecodedCode code;
  // Further codes in the same photo, in decoding order.
  std::vector<DecodedCode> other_codes;
  Gs1Data data;  // valid when error.ok()
};

// Reads `input` as an image if such a file exists, else parses it as code text. Among several
// codes in one photo the one that parses and says the most (lot, dates, serial) wins. Never
// fails: errors are in the outcome.
ScanOutcome Scan(std::string_view input, const ScanOptions& options);

// Reads the image file at `path`, never as code text: a file that is gone by now is
// IMAGE_FILE_GONE, one that cannot be opened or read IO (--watch hands over paths this way).
// Never fails: errors are in the outcome.
ScanOutcome ScanImageFile(std::string_view path, const ScanOptions& options);

}  // namespace foodtrace::scanner::kiosk
