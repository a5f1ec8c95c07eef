// Applier::Apply for the records that are not ledger entries: parties, products, recalls,
// test results, scans and webhooks.
#include <algorithm>
#include <set>

#include "foodtrace/common/crypto.h"
#include "foodtrace/common/text.h"
#include "ledger/apply.h"
#include "ledger/limits.h"

namespace foodtrace::ledger {

void Applier::ApplyParty(const v1::Event& event) {
  const v1::Party& party = event.party();
  const std::string seq_key = LogKey(event.sequence());
  const std::string digest = HexEncode(Sha256(party.SerializeAsString()));
  txn_->Put(Cf::kDedup, GlobalDedupKey('p', party.party_id() + ":" + digest), seq_key);
  if (auto old = LoadParty(party.party_id()); old && txn_->Get(Cf::kParties, PartyKey(party.party_id()))) {
    if (!old->curve_public_key().empty() && old->curve_public_key() != party.curve_public_key()) {
      txn_->Delete(Cf::kParties, PartyByKeyKey(old->curve_public_key()));
    }
    if (!old->market_id().empty() && old->market_id() != party.market_id()) {
      txn_->Delete(Cf::kParties, MarketMemberKey(old->market_id(), party.party_id()));
    }
    MoveExpiryToMarket(party.party_id(), MarketKeyOfParty(*old), MarketKeyOfParty(party));
    for (const std::string& gln : old->glns()) {
      if (std::find(party.glns().begin(), party.glns().end(), gln) == party.glns().end()) {
        txn_->Delete(Cf::kParties, PartyByGlnKey(gln));
      }
    }
  }
  for (const std::string& gln : party.glns()) {
    txn_->Put(Cf::kParties, PartyByGlnKey(gln), party.party_id());
  }
  v1::Party stored = party;
  stored.set_registered_at_ms(event.recorded_at_ms());
  txn_->Put(Cf::kParties, PartyKey(party.party_id()), stored.SerializeAsString());
  if (party_cache_ != nullptr) party_cache_->erase(party.party_id());
  if (!party.curve_public_key().empty()) {
    txn_->Put(Cf::kParties, PartyByKeyKey(party.curve_public_key()), party.party_id());
  }
  if (!party.market_id().empty()) {
    txn_->Put(Cf::kParties, MarketMemberKey(party.market_id(), party.party_id()), "");
  }
}

// The expiry index is keyed by market first: a party that changes market takes its held lots
// with it (rare: a re-registration).
void Applier::MoveExpiryToMarket(const std::string& party, const std::string& from,
                                 const std::string& to) {
  if (from == to) return;
  const std::string prefix = Key({party, ""});
  std::vector<std::pair<std::string, std::string>> moves;
  txn_->Scan(Cf::kPartyExpiry, prefix, [&](std::string_view k, std::string_view) {
    const std::string_view rest = k.substr(prefix.size());
    if (rest.size() < 4) return true;
    const auto lot = SplitKey(rest.substr(4), 2);
    if (lot.size() != 2) return true;
    const Date on = DecodeDateKey(rest.substr(0, 4));
    moves.emplace_back(ExpiryKey(from, on, party, lot[0], lot[1]), ExpiryKey(to, on, party, lot[0], lot[1]));
    return true;
  });
  for (const auto& [old_key, new_key] : moves) {
    txn_->Delete(Cf::kExpiry, old_key);
    txn_->Put(Cf::kExpiry, new_key, "");
  }
}

void Applier::StopLot(std::string_view product, std::string_view lot_code, std::string_view reason) {
  const std::string key = LotKey(product, lot_code);
  v1::Lot lot;
  if (auto bytes = txn_->Get(Cf::kLots, key)) {
    FT_CHECK(lot.ParseFromString(*bytes));
  } else {
    // A recall or test may name a lot nobody has recorded yet; remember it as stopped.
    if (product.rfind("C:", 0) == 0) {
      lot.mutable_ref()->set_product_code(std::string(product.substr(2)));
    } else {
      lot.mutable_ref()->set_gtin(std::string(product));
    }
    lot.mutable_ref()->set_lot(std::string(lot_code));
  }
  if (lot.state() == v1::Lot::STOPPED) return;
  lot.set_state(v1::Lot::STOPPED);
  lot.set_stopped_reason(std::string(reason));
  txn_->Put(Cf::kLots, key, lot.SerializeAsString());
}

void Applier::ApplyRecall(const v1::Event& event) {
  v1::Recall recall = event.recall();
  txn_->Put(Cf::kDedup, GlobalDedupKey('r', recall.recall_id()), LogKey(event.sequence()));
  const std::string product = ProductKey(recall.gtin(), recall.product_code());
  std::vector<std::pair<std::string, std::string>> frontier;
  for (const auto& lot : recall.lots()) frontier.emplace_back(product, lot);
  if (recall.lots_size() == 0) {
    // A production-date range: every recorded lot of the product produced within it.
    txn_->Scan(Cf::kLots, product + std::string(1, '\0'), [&](std::string_view, std::string_view v) {
      v1::Lot lot;
      if (lot.ParseFromArray(v.data(), static_cast<int>(v.size())) &&
          !lot.ref().produced_on().empty() && lot.ref().produced_on() >= recall.produced_from() &&
          lot.ref().produced_on() <= recall.produced_to()) {
        frontier.emplace_back(product, lot.ref().lot());
      }
      return true;
    });
  }
  // Follow transformations: every lot made from a covered lot is covered.
  std::set<std::pair<std::string, std::string>> covered;
  for (int depth = 0; !frontier.empty() && depth <= kTraceDepthMax; ++depth) {
    std::vector<std::pair<std::string, std::string>> next;
    for (const auto& [p, l] : frontier) {
      if (!covered.insert({p, l}).second || covered.size() > kTraceNodesMax) continue;
      txn_->Scan(Cf::kTransforms, Key({"F", p, l, ""}), [&](std::string_view k, std::string_view) {
        const auto parts = SplitKey(k, 5);
        if (parts.size() == 5) next.emplace_back(std::string(parts[3]), std::string(parts[4]));
        return true;
      });
    }
    frontier = std::move(next);
  }
  recall.clear_covered_lots();
  for (const auto& [p, l] : covered) {
    recall.add_covered_lots(p + "|" + l);
    StopLot(p, l, "recall " + recall.recall_id() + ": " + recall.reason());
  }
  if (recall.issued_at_ms() == 0) recall.set_issued_at_ms(event.recorded_at_ms());
  if (recall.issuer_id().empty()) recall.set_issuer_id(event.recorded_by());
  txn_->Put(Cf::kRecalls, recall.recall_id(), recall.SerializeAsString());
}

void Applier::ApplyTestResult(const v1::Event& event) {
  const v1::TestResult& test = event.test_result();
  txn_->Put(Cf::kDedup, GlobalDedupKey('t', test.test_id()), LogKey(event.sequence()));
  txn_->Put(Cf::kTests, test.test_id(), test.SerializeAsString());
  const std::string product = ProductKey(test.gtin(), test.product_code());
  txn_->Put(Cf::kTests, Key({"L", product, test.lot(), test.test_id()}), "");
  if (!test.passed()) {
    StopLot(product, test.lot(), "test " + test.test_id() + " failed: " + test.item());
  }
}

void Applier::ApplyOtherRecord(const v1::Event& event) {
  const std::string seq_key = LogKey(event.sequence());
  switch (event.body_case()) {
    case v1::Event::kProduct: {
      const v1::Product& product = event.product();
      const std::string digest = HexEncode(Sha256(product.SerializeAsString()));
      txn_->Put(Cf::kDedup, GlobalDedupKey('P', digest), seq_key);
      txn_->Put(Cf::kProducts, ProductKey(product.gtin(), product.product_code()),
                product.SerializeAsString());
      break;
    }
    case v1::Event::kScan:
      txn_->Put(Cf::kDedup, ScanDedupKey(event.scan().kiosk_id(), event.scan().event_id()), seq_key);
      break;
    case v1::Event::kWebhook:
      txn_->Put(Cf::kDedup, GlobalDedupKey('w', event.webhook().webhook_id()), seq_key);
      txn_->Put(Cf::kWebhooks, event.webhook().webhook_id(), event.webhook().SerializeAsString());
      break;
    default:
      FT_CHECK(false && "every record kind has an applier");
  }
}

}  // namespace foodtrace::ledger
