// Private to the portal: what the token-protected areas share — running a CLI query as the
// token's party, and submitting items through the ledger's validated, durable path.
#pragma once

#include <vector>

#include "portal/http.h"

namespace foodtrace::portal {

// Runs `query` through PortalOptions::queries as the token's party and parses the JSON answer.
// Errors: UNAVAILABLE (no query handler), the handler's errors, INTERNAL (answer not JSON).
Result<json> RunQuery(const Context& ctx, const Call& call, const v1::Query& query);

// Submits `items` recorded by `recorded_by` and waits (up to kSubmitTimeoutMs) until the batch
// is durable. Errors: RESOURCE_EXHAUSTED / UNAVAILABLE from Ledger::Submit, DEADLINE_EXCEEDED.
Result<std::vector<v1::ItemResult>> SubmitItems(const Context& ctx, const std::string& recorded_by,
                                                std::vector<v1::Item> items);

// Converts `quantity` in `unit` to `to_unit` when both are mass (KGM/GRM) or volume (LTR/MLT),
// else returns it unchanged.
std::int64_t ConvertQuantity(std::int64_t quantity, const std::string& unit, const std::string& to_unit);

// A recall's progress (recalls_api.cc; docs/api.md "recall progress"). Errors: IO.
Result<json> RecallProgressJson(const Context& ctx, const v1::Recall& recall);

// A recall as the public sees it (public_api.cc): its record without known_at_ms, plus
// product_name from the product master or its first covered lot.
json RecallPublicJson(const Context& ctx, const v1::Recall& recall);

// The display name of a party id, or the id itself ("ext:" names without the prefix).
std::string PartyName(const Context& ctx, const std::string& party_id);

}  // namespace foodtrace::portal
