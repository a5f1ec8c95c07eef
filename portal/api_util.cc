// Shared helpers of the token-protected areas: CLI queries as the token's party, ledger submits.
#include "portal/api_util.h"

#include <chrono>
#include <future>

#include "foodtrace/common/quantity.h"
#include "portal/limits.h"

namespace foodtrace::portal {

Result<json> RunQuery(const Context& ctx, const Call& call, const v1::Query& query) {
  if (!ctx.options->queries) {
    return Status::Unavailable("the query service is not running in this server");
  }
  auto answer = ctx.options->queries(call.principal.token.party_id, query);
  if (!answer.ok()) return answer.status();
  json parsed = json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Internal("a query answered something that is not JSON");
  return parsed;
}

Result<std::vector<v1::ItemResult>> SubmitItems(const Context& ctx, const std::string& recorded_by,
                                                std::vector<v1::Item> items) {
  ledger::WriteRequest request;
  request.recorded_by = recorded_by;
  request.items = std::move(items);
  // Shared: the writer may call back after we stopped waiting.
  auto promise = std::make_shared<std::promise<std::vector<v1::ItemResult>>>();
  auto future = promise->get_future();
  FT_RETURN_IF_ERROR(ctx.ledger->Submit(std::move(request), [promise](std::vector<v1::ItemResult> results) {
    promise->set_value(std::move(results));
  }));
  if (future.wait_for(std::chrono::milliseconds(kSubmitTimeoutMs)) != std::future_status::ready) {
    return Status(Code::kDeadlineExceeded, "LEDGER_TIMEOUT",
                  "the ledger did not confirm the write in time; retrying with the same ids is safe");
  }
  return future.get();
}

std::int64_t ConvertQuantity(std::int64_t quantity, const std::string& unit, const std::string& to_unit) {
  // The rule lives in common/quantity.h; here a quantity that does not convert stays as it is.
  auto converted = ::foodtrace::ConvertQuantity(Quantity{quantity, unit}, to_unit, Quantity{});
  return converted.ok() ? *converted : quantity;
}

std::string PartyName(const Context& ctx, const std::string& party_id) {
  if (party_id.rfind("ext:", 0) == 0) return party_id.substr(4);
  if (auto p = ctx.ledger->GetParty(party_id); p.ok()) return p->name();
  return party_id;
}

}  // namespace foodtrace::portal
