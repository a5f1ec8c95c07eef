// How the kiosk shows an outcome: one JSON object per line (machines, --json) or a plain
// bilingual block (people). Pure functions of their arguments.
//
// JSON object, keys in this order (absent values are null; "verdict" only when looked up,
// "offline":true only when the verdict came from the cached recall list):
//   {"input","symbology","text","form","gtin","lot","serial","produced_on","packed_on",
//    "best_before","expires_on","net_weight_grams","count","ais":{AI: value, ...},
//    ["codes":[{"symbology","text"}...] when the photo held more than one], ["verdict"],
//    ["offline"]}
// or, when nothing usable was read:
//   {"input","error": message,"reason": REASON, ["symbology","text" of a code that failed]}
#pragma once

#include <string>

#include "scanner/kiosk/scan.h"
#include "scanner/kiosk/verdict.h"

namespace foodtrace::scanner::kiosk {

// One line of JSON, without the trailing newline. `verdict` may be null (offline).
std::string FormatJson(const ScanOutcome& outcome, const Verdict* verdict);

// A multi-line block in Chinese and English, ending with a newline: with a verdict, first a
// large framed verdict (召回 / RECALLED …, and the offline notice), then product, dates and the
// origin chain.
std::string FormatText(const ScanOutcome& outcome, const Verdict* verdict);

}  // namespace foodtrace::scanner::kiosk
