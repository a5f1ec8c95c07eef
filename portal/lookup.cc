// The public lookup: verdict (REGULATION rules 10, 11, 14; FSL 63), product and dates, the
// origin chain (names, licences, markets, dates — never quantities, prices or customers),
// recalls covering the lot and its published test results.
#include "portal/lookup.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "portal/limits.h"
#include "portal/lookup_cache.h"

namespace foodtrace::portal {
namespace {

constexpr std::size_t kLookupTestsMax = 50;

bool Covers(const v1::Recall& recall, const std::string& product, const std::string& lot) {
  const std::string key = LotKeyOf(product, lot);
  if (std::find(recall.covered_lots().begin(), recall.covered_lots().end(), key) != recall.covered_lots().end()) {
    return true;
  }
  return ledger::ProductKey(recall.gtin(), recall.product_code()) == product &&
         std::find(recall.lots().begin(), recall.lots().end(), lot) != recall.lots().end();
}

json PublicRecallJson(const v1::Recall& recall) {
  json j = ProtoToJson(recall);
  j.erase("known_at_ms");  // internal to the recall's deadline computation
  return j;
}

// One chain element: a registered party's public facts (`party` null when it is not
// registered), or an outside supplier by name.
json ChainElement(const std::string& party_id, const v1::Party* party,
                  const std::string& received_from, const std::string& received_on) {
  json e{{"party_id", party_id}, {"name", ""}, {"kind", ""}, {"licence", ""}, {"licence_valid_to", ""},
         {"market_id", ""}, {"received_on", received_on}, {"received_from", received_from}};
  if (party != nullptr) {
    e["name"] = party->name();
    e["kind"] = v1::Party::Kind_Name(party->kind());
    e["licence"] = party->licence();
    e["licence_valid_to"] = party->licence_valid_to();
    e["market_id"] = party->market_id();
  }
  return e;
}

// A chain step before its party is read: (party id, received from, received on) and every
// party or outside supplier it received the lot from (the origin graph; empty for a vendor's
// chain, which is one line).
struct ChainStep {
  std::string party_id, received_from, received_on;
  std::vector<std::string> sources;
};

// The chain's elements in `steps` order, every party read with one MultiGet.
Result<json> ChainJson(const Context& ctx, const std::vector<ChainStep>& steps) {
  std::vector<std::string> ids;
  ids.reserve(steps.size());
  for (const ChainStep& s : steps) ids.push_back(s.party_id);
  auto parties = ctx.ledger->GetParties(ids);
  if (!parties.ok())
    return parties.status();
  json chain = json::array();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::optional<v1::Party>& p = (*parties)[i];
    json e = ChainElement(steps[i].party_id, p ? &*p : nullptr, steps[i].received_from, steps[i].received_on);
    if (!steps[i].sources.empty()) e["sources"] = steps[i].sources;
    chain.push_back(std::move(e));
  }
  return chain;
}

// How a flow's "from" reads in public: a party id, an outside supplier's name, "transform".
std::string PublicSource(const std::string& from) {
  if (from.rfind("ext:", 0) == 0) return from.substr(4);
  if (from.rfind("xf:", 0) == 0) return "transform";
  return from;
}

bool Registered(const std::string& id) {
  return !id.empty() && id != "consumers" && id.rfind("ext:", 0) != 0 && id.rfind("xf:", 0) != 0;
}

// Without a vendor: the origin (who made the lot or took it in from outside) and every party
// that passed it on to another registered party. Parties that only received it — a
// supplier's customers — are left out.
Result<json> LotChain(const Context& ctx, const std::string& product, const std::string& lot) {
  auto edges = ctx.ledger->LotFlows(product, lot);
  if (!edges.ok())
    return edges.status();
  struct Node {
    std::string from, on;
    bool ships = false, origin = false;
    std::vector<std::pair<std::string, std::string>> sources;  // (first on, flow's from)
  };
  std::map<std::string, Node> nodes;
  for (const ledger::TraceEdge& e : *edges) {
    if (Registered(e.to)) {
      Node& n = nodes[e.to];
      if (n.on.empty() || (!e.first_on.empty() && e.first_on < n.on)) {
        n.on = e.first_on;
        n.from = PublicSource(e.from);
      }
      if (!Registered(e.from)) n.origin = true;
      n.sources.emplace_back(e.first_on, e.from);
    }
    if (Registered(e.from) && Registered(e.to)) nodes[e.from].ships = true;
  }
  std::vector<std::pair<std::string, std::string>> order;  // (date, party)
  for (const auto& [id, n] : nodes) {
    if (n.ships || n.origin) order.emplace_back(n.on, id);
  }
  std::sort(order.begin(), order.end());
  std::set<std::string> in_chain;
  for (const auto& [on, id] : order) in_chain.insert(id);
  std::vector<ChainStep> chain;
  for (const auto& [on, id] : order) {
    Node& n = nodes[id];
    std::sort(n.sources.begin(), n.sources.end());
    std::vector<std::string> sources;
    for (const auto& [first_on, from] : n.sources) {
      // Sources are chain members, outside suppliers or "transform"; never a mere customer.
      const std::string source = PublicSource(from);
      const bool shown = !Registered(from) || in_chain.count(from) > 0;
      if (shown && std::find(sources.begin(), sources.end(), source) == sources.end()) sources.push_back(source);
    }
    chain.push_back(ChainStep{id, n.from, on, std::move(sources)});
  }
  return ChainJson(ctx, chain);
}

// With a vendor: the supply chain back from that vendor, origin first.
Result<json> VendorChain(const Context& ctx, const std::string& party, const std::string& product,
                         const std::string& lot) {
  auto up = ctx.ledger->TraceUp(party, product, lot, kTraceDepthDefault);
  if (!up.ok()) return up.status();
  std::vector<const ledger::TraceUpStep*> steps;
  std::set<std::string> seen;
  for (const auto& s : up->chain) {
    if (seen.insert(s.party_id).second) steps.push_back(&s);
  }
  std::stable_sort(steps.begin(), steps.end(), [](auto* a, auto* b) { return a->depth > b->depth; });
  std::vector<ChainStep> chain;
  for (const auto* s : steps) {
    chain.push_back(ChainStep{s->party_id, PublicSource(s->received_from), s->received_on, {}});
  }
  return ChainJson(ctx, chain);
}

void AddProduct(const Context& ctx, const std::string& product, const v1::LotRef* ref, json* out) {
  json p{{"name", ref ? ref->product_name() : ""}, {"specification", ref ? ref->specification() : ""},
         {"category", ref ? ref->category() : ""}, {"producer", ""}};
  if (auto master = ctx.ledger->GetProduct(product); master.ok()) {
    if (p["name"] == "") p["name"] = master->name();
    if (p["specification"] == "") p["specification"] = master->specification();
    if (p["category"] == "") p["category"] = master->category();
    p["producer"] = master->producer();
  }
  (*out)["product"] = std::move(p);
}

// The recalls that may concern product|lot, in recall id order: from the index (those covering
// the lot, and for a lot the ledger does not know every recall of the product), or else all of
// them, listed into `listed`.
std::vector<const v1::Recall*> CandidateRecalls(const ledger::Ledger& ledger,
                                                const RecallIndex* index,
                                                const std::string& product, const std::string& lot,
                                                bool known, std::vector<v1::Recall>* listed) {
  std::vector<const v1::Recall*> out;
  if (index == nullptr) {
    *listed = ledger.ListRecalls();
    for (const v1::Recall& r : *listed) out.push_back(&r);
    return out;
  }
  std::vector<std::size_t> picked;
  auto add = [&](const auto& map, const std::string& key) {
    if (auto it = map.find(key); it != map.end())
      picked.insert(picked.end(), it->second.begin(), it->second.end());
  };
  if (!lot.empty())
    add(index->by_lot, LotKeyOf(product, lot));
  if (!known)
    add(index->by_product, product);
  std::sort(picked.begin(), picked.end());
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  for (std::size_t i : picked) out.push_back(&index->recalls[i]);
  return out;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk: return "ok";
    case Verdict::kNearExpiry: return "near_expiry";
    case Verdict::kExpired: return "expired";
    case Verdict::kRecalled: return "recalled";
    case Verdict::kTestFailed: return "test_failed";
    case Verdict::kUnknown: return "unknown";
  }
  return "unknown";
}

int NearExpiryThresholdDays(int shelf_life_days) {
  if (shelf_life_days >= 365) return 45;
  if (shelf_life_days >= 182) return 20;
  if (shelf_life_days >= 90) return 15;
  if (shelf_life_days >= 30) return 10;
  if (shelf_life_days >= 16) return 5;
  return 2;
}

VerdictResult DecideVerdict(const LotFacts& facts, Date today) {
  VerdictResult r;
  auto expires = Date::Parse(facts.expires_on);
  auto produced = Date::Parse(facts.produced_on);
  r.shelf_life_days = facts.shelf_life_days;
  if (r.shelf_life_days <= 0 && expires.ok() && produced.ok() && *produced <= *expires) {
    r.shelf_life_days = (*expires - *produced) + 1;
  }
  if (expires.ok() && !facts.no_shelf_life && r.shelf_life_days > 0) {
    r.near_expiry_from = expires->AddDays(-NearExpiryThresholdDays(r.shelf_life_days)).ToString();
  }
  if (!facts.known) {
    r.verdict = Verdict::kUnknown;
    r.reason = "this lot is not in the ledger";
  } else if (facts.recalled) {
    r.verdict = Verdict::kRecalled;
    r.reason = "this lot is recalled: do not eat it; return it to the seller";
  } else if (facts.test_failed) {
    r.verdict = Verdict::kTestFailed;
    r.reason = "this lot failed a food-safety test and is stopped from sale";
  } else if (expires.ok() && !facts.no_shelf_life && today > *expires) {
    r.verdict = Verdict::kExpired;
    r.reason = "expired on " + expires->ToString();
  } else if (!r.near_expiry_from.empty() && today >= *Date::Parse(r.near_expiry_from)) {
    r.verdict = Verdict::kNearExpiry;
    r.reason = "near expiry: expires on " + expires->ToString();
  } else {
    r.verdict = Verdict::kOk;
    r.reason = expires.ok() ? "within its shelf life (expires on " + expires->ToString() + ")"
                            : "no recall or failed test recorded";
  }
  return r;
}

namespace {

// Verdict order of a product's lots for a consumer: the ones not to eat first.
int LotRank(Verdict v) {
  switch (v) {
    case Verdict::kRecalled: return 0;
    case Verdict::kTestFailed: return 1;
    case Verdict::kExpired: return 2;
    case Verdict::kNearExpiry: return 3;
    case Verdict::kOk: return 4;
    case Verdict::kUnknown: return 5;
  }
  return 5;
}

// A product's known lots for a code without a lot (a bare EAN-13): each lot's verdict and the
// recalls covering it, recalled lots first, then by expiry, latest first; at most
// kLookupLotsMax (`lots_truncated` says when more exist).
Result<json> ProductLotsJson(const Context& ctx, const std::string& product, Date today,
                             const RecallIndex* recall_index, json* out) {
  auto lots = ctx.ledger->ProductLots(product, kLookupLotsMax + 1);
  if (!lots.ok()) return lots.status();
  (*out)["lots_truncated"] = lots->size() > kLookupLotsMax;
  if (lots->size() > kLookupLotsMax) lots->resize(kLookupLotsMax);
  std::vector<std::pair<std::tuple<int, std::string>, json>> rows;
  for (const v1::Lot& lot : *lots) {
    const v1::LotRef& ref = lot.ref();
    LotFacts facts{true, false, false, ref.produced_on(), ref.expires_on(), ref.shelf_life_days(), ref.no_shelf_life()};
    const bool stopped = lot.state() == v1::Lot::STOPPED;
    facts.recalled = stopped && lot.stopped_reason().rfind("recall ", 0) == 0;
    facts.test_failed = stopped && lot.stopped_reason().rfind("test ", 0) == 0;
    std::vector<v1::Recall> listed;
    json recall_ids = json::array();
    for (const v1::Recall* r : CandidateRecalls(*ctx.ledger, recall_index, product, ref.lot(), true, &listed)) {
      if (Covers(*r, product, ref.lot())) {
        facts.recalled = true;
        recall_ids.push_back(r->recall_id());
      }
    }
    const VerdictResult v = DecideVerdict(facts, today);
    // Expiry text sorts as dates; negate it by sorting on the complement of each character.
    std::string later_first = ref.expires_on();
    for (char& c : later_first) c = static_cast<char>('9' - c + '0');
    rows.push_back({{LotRank(v.verdict), later_first},
                    json{{"lot", ref.lot()}, {"product_name", ref.product_name()}, {"specification", ref.specification()},
                         {"produced_on", ref.produced_on()}, {"expires_on", ref.expires_on()},
                         {"verdict", VerdictName(v.verdict)}, {"recall_ids", std::move(recall_ids)}}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json list = json::array();
  for (auto& [key, row] : rows) list.push_back(std::move(row));
  return list;
}

// The answer for `code` as of `today`; recalls from `recall_index`, or listed from the ledger
// when it is null.
Result<json> BuildLookup(const Context& ctx, const scanner::Gs1Data& code, const std::string& party,
                         Date today, const RecallIndex* recall_index) {
  std::vector<v1::Recall> listed;  // owns the recalls when there is no index
  const std::string product = code.gtin;
  json out{{"gtin", code.gtin}, {"lot", code.lot}, {"today", today.ToString()},
           {"code", {{"form", scanner::CodeFormName(code.form)}, {"gtin", code.gtin}, {"lot", code.lot},
                     {"expires_on", code.expires_on}, {"produced_on", code.produced_on}}}};
  LotFacts facts;
  facts.produced_on = code.produced_on;
  facts.expires_on = code.expires_on;
  auto lot = code.lot.empty() ? Result<v1::Lot>(Status::NotFound("no lot")) : ctx.ledger->GetLot(product, code.lot);
  if (!lot.ok() && lot.status().code() != Code::kNotFound) return lot.status();
  // A recall or test may stop a lot nobody recorded yet: it is known (and stopped) then too.
  facts.known = lot.ok();
  AddProduct(ctx, product, lot.ok() ? &lot->ref() : nullptr, &out);
  if (lot.ok()) {
    const v1::LotRef& ref = lot->ref();
    if (!ref.produced_on().empty()) facts.produced_on = ref.produced_on();
    if (!ref.expires_on().empty()) facts.expires_on = ref.expires_on();
    facts.shelf_life_days = ref.shelf_life_days();
    facts.no_shelf_life = ref.no_shelf_life();
    facts.test_failed = lot->state() == v1::Lot::STOPPED && lot->stopped_reason().rfind("test ", 0) == 0;
    facts.recalled = lot->state() == v1::Lot::STOPPED && lot->stopped_reason().rfind("recall ", 0) == 0;
    out["lot_state"] = v1::Lot::State_Name(lot->state());
  }
  json recalls = json::array();
  for (const v1::Recall* r :
       CandidateRecalls(*ctx.ledger, recall_index, product, code.lot, facts.known, &listed)) {
    const bool covers = !code.lot.empty() && Covers(*r, product, code.lot);
    if (covers) facts.recalled = true;
    if (covers || (!facts.known && ledger::ProductKey(r->gtin(), r->product_code()) == product)) {
      recalls.push_back(PublicRecallJson(*r));
    }
  }
  json tests = json::array();
  if (facts.known) {
    auto results = ctx.ledger->LotTestResults(product, code.lot, kLookupTestsMax);
    if (!results.ok()) return results.status();
    for (const v1::TestResult& t : *results) {
      if (!t.passed()) facts.test_failed = true;  // a failure stops the lot whether published or not
      if (t.published()) tests.push_back(ProtoToJson(t));
    }
  }
  const VerdictResult verdict = DecideVerdict(facts, today);
  out["verdict"] = VerdictName(verdict.verdict);
  out["verdict_reason"] = code.lot.empty() ? "the code names no lot: look for the lot (batch) number on the package"
                                           : verdict.reason;
  out["produced_on"] = facts.produced_on;
  out["expires_on"] = facts.expires_on;
  out["shelf_life_days"] = verdict.shelf_life_days;
  out["near_expiry_from"] = verdict.near_expiry_from;
  json chain = json::array();
  if (facts.known) {
    auto c = party.empty() ? LotChain(ctx, product, code.lot) : VendorChain(ctx, party, product, code.lot);
    if (!c.ok()) return c.status();
    chain = std::move(*c);
  }
  out["chain"] = std::move(chain);
  if (code.lot.empty()) {
    auto lots = ProductLotsJson(ctx, product, today, recall_index, &out);
    if (!lots.ok()) return lots.status();
    // Without a product master record the product is named by its recorded lots.
    for (const json& l : *lots) {
      if (out["product"]["name"] == "") out["product"]["name"] = l.value("product_name", "");
      if (out["product"]["specification"] == "") out["product"]["specification"] = l.value("specification", "");
    }
    out["lots"] = std::move(*lots);
  }
  out["recalls"] = std::move(recalls);
  out["test_results"] = std::move(tests);
  return out;
}

// What a lookup's answer depends on besides the ledger: the day, the code as written (a
// Digital Link and an element string answer with different "code" members), the vendor and the
// members added by the route.
std::string AnswerKey(Date today, const std::string& code, const std::string& party,
                      const json& extra) {
  std::string key = today.ToString();
  key.append(1, '\0').append(party).append(1, '\0').append(code).append(1, '\0');
  if (!extra.empty())
    key.append(extra.dump());
  return key;
}

// A lookup answer fits in a packet or two: compressing it costs more than it saves (brotli,
// which cpp-httplib prefers when a browser offers it, takes about 1.5 ms of CPU per answer).
// cpp-httplib compresses "application/json" only: small answers name their charset to go out
// as they are.
void SendAnswer(httplib::Response& res, const std::string& body) {
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  const bool small = body.size() < kCompressBodyBytesMin;
  res.set_content(body, small ? "application/json; charset=utf-8" : "application/json");
}

}  // namespace

Result<json> LookupJson(const Context& ctx, const scanner::Gs1Data& code,
                        const std::string& party) {
  if (ctx.lookup_cache == nullptr)
    return BuildLookup(ctx, code, party, ctx.Today(), nullptr);
  const LookupCache::View view = ctx.lookup_cache->Sync();
  return BuildLookup(ctx, code, party, ctx.Today(), view.recalls.get());
}

void AnswerLookup(Context& ctx, Call& call, const std::string& code, const std::string& party,
                  const json& extra) {
  if (code.empty()) {
    return SendError(call.res, 400, "MISSING_PARAMETER", "give the code to look up in 'code'", "code");
  }
  if (code.size() > kCodeBytesMax) {
    return SendError(call.res, 413, "SCAN_CODE_TOO_LONG",
                     "the code is longer than " + std::to_string(kCodeBytesMax) + " bytes", "code",
                     json{{"max", kCodeBytesMax}, {"got", code.size()}});
  }
  // A repeated lookup of an unchanged lot is answered from memory (portal/lookup_cache.h). The
  // view first: the answer's reads then see at least every record up to its sequence.
  const Date today = ctx.Today();
  const std::string key = AnswerKey(today, code, party, extra);
  std::optional<LookupCache::View> view;
  if (ctx.lookup_cache != nullptr) {
    view = ctx.lookup_cache->Sync();
    if (auto body = ctx.lookup_cache->Find(key))
      return SendAnswer(call.res, *body);
  }
  auto parsed = scanner::ParseCode(code);
  if (!parsed.ok()) {
    Status st = parsed.status();
    // A malformed code is the caller's input error whatever class the scanner gives it.
    const int http = st.code() == Code::kResourceExhausted ? 413 : 400;
    json details = json::object();
    for (const auto& [k, v] : st.details()) details[k] = v;
    return SendError(call.res, http, st.reason(), "the code cannot be read: " + st.message(), "code", details);
  }
  if (parsed->gtin.empty()) {
    return SendError(call.res, 400, "CODE_HAS_NO_GTIN",
                     "the code holds no GTIN (AI 01): scan the product barcode, not a shipping label", "code");
  }
  auto answer = BuildLookup(ctx, *parsed, party, today, view ? view->recalls.get() : nullptr);
  if (!answer.ok()) return SendStatus(call.res, answer.status());
  answer->update(extra);
  const std::string body = answer->dump(-1, ' ', false, json::error_handler_t::replace);
  if (view) {
    // A vendor's chain follows transformations into other lots: any lot's change ends it ("").
    // So does an answer without a lot, which lists the product's lots.
    const std::string lot_key =
        party.empty() && !parsed->lot.empty() ? LotKeyOf(parsed->gtin, parsed->lot) : std::string();
    ctx.lookup_cache->Insert(key, lot_key, view->sequence, body);
  }
  SendAnswer(call.res, body);
}

}  // namespace foodtrace::portal
