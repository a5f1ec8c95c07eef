// Private to the portal: every ledger entry that moved a lot (and the lots made from it), for
// the FSMA 204 and EPCIS exports.
#pragma once

#include <string>
#include <vector>

#include "portal/http.h"

namespace foodtrace::portal {

struct LotEvents {
  v1::Lot lot;                          // the requested lot
  std::vector<v1::Lot> lots;            // it and every lot transformed from it
  std::vector<ledger::LedgerLine> lines;  // entries touching any of them, in sequence order
  bool truncated = false;               // kExportRowsMax or the trace limit was reached
};

// Reads the lot's trace (to kTraceDepthDefault transformations), then the ledgers of every
// party that held any of its lots, from the earliest production date on. Errors: NOT_FOUND
// (unknown lot), IO.
Result<LotEvents> ReadLotEvents(const Context& ctx, const std::string& product, const std::string& lot);

// The product key and lot of the request's gtin|product_code and lot. Errors as ProductParam.
Result<std::pair<std::string, std::string>> LotParams(const httplib::Request& req);

}  // namespace foodtrace::portal
