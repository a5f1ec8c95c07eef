// The ledger as a transparency log (foodtrace/ledger/heads.h): the newest signed head and
// proofs that a record — and the history up to it — is in a signed head. Public: anyone may
// keep heads and check them later (`foodtrace head verify`).
#include "foodtrace/common/merkle.h"
#include "foodtrace/common/text.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

json HexList(const std::vector<std::string>& hashes) {
  json out = json::array();
  for (const std::string& h : hashes) out.push_back(HexEncode(h));
  return out;
}

void Head(Context& ctx, Call& call) {
  auto head = ctx.ledger->LatestHead();
  if (!head.ok()) return SendStatus(call.res, head.status());
  if (!*head) return SendError(call.res, 404, "NO_HEAD", "no head has been signed yet: the ledger is empty");
  SendJson(call.res, 200, json::parse(ledger::HeadToJson(**head)));
}

void Proof(Context& ctx, Call& call) {
  auto sequence = IntParam(call.req, "sequence", -1, 1, INT64_MAX);
  if (!sequence.ok()) return SendStatus(call.res, sequence.status());
  if (*sequence < 0) return SendError(call.res, 400, "MISSING_PARAMETER", "give the record's number as ?sequence=N");
  auto tree_size = IntParam(call.req, "tree_size", 0, 1, INT64_MAX);
  if (!tree_size.ok()) return SendStatus(call.res, tree_size.status());
  auto proof = ctx.ledger->Proof(static_cast<std::uint64_t>(*sequence), static_cast<std::uint64_t>(*tree_size));
  if (!proof.ok()) return SendStatus(call.res, proof.status());
  v1::Event event;
  json event_json = event.ParseFromString(proof->event) ? ProtoToJson(event) : json(nullptr);
  SendJson(call.res, 200,
           json{{"sequence", proof->sequence},
                {"tree_size", proof->tree_size},
                {"leaf_hash", HexEncode(merkle::LeafHash(proof->event))},
                {"event", HexEncode(proof->event)},
                {"event_json", std::move(event_json)},
                {"prev_hash", HexEncode(proof->prev_hash)},
                {"chain_hash", HexEncode(proof->chain_hash)},
                {"inclusion", HexList(proof->inclusion)},
                {"consistency", HexList(proof->consistency)},
                {"head", json::parse(ledger::HeadToJson(proof->head))}});
}

}  // namespace

void AddLedgerRoutes(Router& router) {
  router.Add("GET", "/api/v1/ledger/head", Access::kPublic, Head);
  // A proof reads up to a few blocks of 256 records: rate-limited like the public lookups.
  router.Add("GET", "/api/v1/ledger/proof", Access::kLookup, Proof);
}

}  // namespace foodtrace::portal
