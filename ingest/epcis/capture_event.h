// Private to the EPCIS component: one event of a capture document → one ledger entry.
#pragma once

#include "ingest/epcis/internal.h"

namespace foodtrace::epcis {

// Validates `event` (element `index` of eventList) and maps it. Never throws; every problem is
// the returned event's status, with `where` naming the member.
CapturedEvent ReadEvent(const json& event, std::size_t index, const CaptureOptions& options);

}  // namespace foodtrace::epcis
