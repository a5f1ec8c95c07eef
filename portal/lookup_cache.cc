// The lookup's recall index and answer cache, caught up from the ledger's log by sequence.
#include "portal/lookup_cache.h"

#include <set>

#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

std::shared_ptr<const RecallIndex> LoadRecalls(const ledger::Ledger& ledger) {
  auto index = std::make_shared<RecallIndex>();
  index->recalls = ledger.ListRecalls();
  for (std::size_t i = 0; i < index->recalls.size(); ++i) {
    const v1::Recall& recall = index->recalls[i];
    const std::string product = ledger::ProductKey(recall.gtin(), recall.product_code());
    index->by_product[product].push_back(i);
    // A recall covers the lots it names and every lot it reached (covered_lots).
    std::set<std::string> keys(recall.covered_lots().begin(), recall.covered_lots().end());
    for (const std::string& lot : recall.lots()) keys.insert(LotKeyOf(product, lot));
    for (const std::string& key : keys) index->by_lot[key].push_back(i);
  }
  return index;
}

// What one log record may change in lookup answers.
struct Change {
  bool everything = false;  // any answer (a party's name, a product, a recall, a correction)
  std::vector<std::string> lots;
};

void AddLot(const v1::LotRef& ref, Change* change) {
  change->lots.push_back(LotKeyOf(ledger::ProductKey(ref), ref.lot()));
}

void Collect(const v1::Event& event, Change* change) {
  switch (event.body_case()) {
    case v1::Event::kEntry: {
      const v1::LedgerEntry& entry = event.entry();
      // A correction changes the lot of the entry it corrects, which it does not name.
      if (entry.kind() == v1::LedgerEntry::CORRECT) {
        change->everything = true;
        return;
      }
      if (entry.has_lot()) {
        AddLot(entry.lot(), change);
      }
      for (const v1::TransformLine& line : entry.inputs()) AddLot(line.lot(), change);
      for (const v1::TransformLine& line : entry.outputs()) AddLot(line.lot(), change);
      return;
    }
    case v1::Event::kTestResult: {
      const v1::TestResult& test = event.test_result();
      change->lots.push_back(
          LotKeyOf(ledger::ProductKey(test.gtin(), test.product_code()), test.lot()));
      return;
    }
    case v1::Event::kScan:
    case v1::Event::kWebhook:  // never part of a lookup answer
      return;
    default:  // parties, products, recalls, anything new
      change->everything = true;
      return;
  }
}

}  // namespace

std::string LotKeyOf(std::string_view product, std::string_view lot) {
  std::string key;
  key.reserve(product.size() + 1 + lot.size());
  key.append(product).append("|").append(lot);
  return key;
}

LookupCache::LookupCache(const ledger::Ledger* ledger) : ledger_(ledger) {
  // The sequence first: the recalls read after it reflect at least that much of the log.
  caught_up_ = ledger_->LastSequence();
  forgotten_at_ = caught_up_;
  recalls_ = LoadRecalls(*ledger_);
}

LookupCache::View LookupCache::Sync() {
  const std::uint64_t last = ledger_->LastSequence();
  {
    std::lock_guard lock(mu_);
    if (caught_up_ >= last)
      return View{caught_up_, recalls_};
  }
  std::lock_guard sync_lock(sync_mu_);
  std::uint64_t from = 0;
  {
    std::lock_guard lock(mu_);
    if (caught_up_ >= last)
      return View{caught_up_, recalls_};
    from = caught_up_;
  }
  Change change;
  if (last - from > kLookupCacheCatchUpRecordsMax) {
    change.everything = true;
  }
  for (std::uint64_t sequence = from + 1; sequence <= last && !change.everything; ++sequence) {
    auto event = ledger_->ReadEvent(sequence);
    if (!event.ok()) {
      change.everything = true;  // cannot tell what changed: assume anything
      break;
    }
    Collect(*event, &change);
  }
  // The scan stops at the first record that may change anything, so a recall after it is
  // unseen: forgetting everything reloads the recalls too.
  std::shared_ptr<const RecallIndex> recalls = change.everything ? LoadRecalls(*ledger_) : nullptr;
  Map dropped_current, dropped_previous;  // destroyed after the lock is released
  std::lock_guard lock(mu_);
  if (change.everything || lot_changed_.size() + change.lots.size() > kLookupCacheChangedLotsMax) {
    ForgetLocked(last, &dropped_current, &dropped_previous);
  } else {
    for (std::string& lot : change.lots) lot_changed_[std::move(lot)] = last;
    if (!change.lots.empty())
      lot_changed_[std::string()] = last;  // answers that depend on any lot
  }
  if (recalls)
    recalls_ = std::move(recalls);
  caught_up_ = last;
  return View{caught_up_, recalls_};
}

bool LookupCache::ValidLocked(const Entry& entry) const {
  if (entry.sequence < forgotten_at_)
    return false;
  auto it = lot_changed_.find(entry.lot_key);
  return it == lot_changed_.end() || entry.sequence >= it->second;
}

void LookupCache::ForgetLocked(std::uint64_t sequence, Map* dropped_current,
                               Map* dropped_previous) {
  forgotten_at_ = sequence;
  lot_changed_.clear();
  dropped_current->swap(current_);
  dropped_previous->swap(previous_);
  current_bytes_ = 0;
}

std::optional<std::string> LookupCache::Find(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = current_.find(key);
  if (it == current_.end()) {
    auto old = previous_.find(key);
    if (old == previous_.end() || !ValidLocked(old->second))
      return std::nullopt;
    // Still asked for: keep it when the older half is dropped.
    current_bytes_ += old->second.body.size();
    it = current_.insert_or_assign(key, std::move(old->second)).first;
    previous_.erase(old);
  }
  if (!ValidLocked(it->second)) {
    current_bytes_ -= it->second.body.size();
    current_.erase(it);
    return std::nullopt;
  }
  return it->second.body;
}

void LookupCache::Insert(const std::string& key, const std::string& lot_key, std::uint64_t sequence,
                         std::string body) {
  if (body.size() > kLookupCacheAnswerBytesMax)
    return;
  Map dropped;  // destroyed after the lock is released
  std::lock_guard lock(mu_);
  Entry entry{lot_key, sequence, std::move(body)};
  if (!ValidLocked(entry))
    return;  // its lot changed while it was being computed
  if (current_.size() >= kLookupCacheEntriesMax / 2 || current_bytes_ >= kLookupCacheBytesMax / 2) {
    dropped.swap(previous_);
    previous_.swap(current_);
    current_bytes_ = 0;
  }
  auto [it, inserted] = current_.try_emplace(key);
  if (!inserted)
    current_bytes_ -= it->second.body.size();
  current_bytes_ += entry.body.size();
  it->second = std::move(entry);
}

}  // namespace foodtrace::portal
