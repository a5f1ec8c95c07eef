// Test harness for the alert engine: a real ledger (RocksDB in a temporary directory) feeding a
// real AlertEngine through its commit hook, with a clock the test moves.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>

#include "foodtrace/alerts/alerts.h"
#include "support/ledger_fixture.h"

namespace foodtrace::testing {

// Noon, local time (UTC+8), on `day`.
inline UnixMillis NoonOn(Date day) { return StartOfDay(day, kChinaUtcOffsetMinutes) + 12 * 3600'000; }

class AlertHarness {
 public:
  explicit AlertHarness(Date today, alerts::EngineOptions options = {}) : now_(NoonOn(today)) {
    options_ = std::move(options);
    options_.pub_endpoint = "tcp://127.0.0.1:*";
    options_.sweep_interval_ms = 0;
    Open();
  }
  ~AlertHarness() { Close(); }

  void Open() {
    auto options = options_;
    options.clock = [this] { return now_.load(); };
    auto engine = alerts::AlertEngine::Create(options);
    FT_CHECK(engine.ok());
    engine_ = std::move(*engine);
    ledger::Options lo;
    lo.path = dir_.sub("ledger");
    lo.clock = [this] { return now_.load(); };
    lo.on_commit = engine_->CommitHook();
    auto l = ledger::Ledger::Open(std::move(lo));
    FT_CHECK(l.ok());
    ledger_ = std::move(*l);
    FT_CHECK(engine_->Start(ledger_.get()).ok());
  }
  void Close() {
    if (engine_) engine_->Stop();
    ledger_.reset();
    engine_.reset();
  }

  void SetNow(UnixMillis at) { now_ = at; }
  void SetToday(Date day) { now_ = NoonOn(day); }
  UnixMillis now() const { return now_.load(); }

  // Writes and waits until the engine has processed what was written.
  std::vector<v1::ItemResult> Write(const std::string& who, std::vector<v1::Item> items) {
    auto results = testing::Write(*ledger_, who, std::move(items));
    REQUIRE(engine_->WaitProcessed(ledger_->LastSequence(), 10'000));
    return results;
  }
  void WriteOk(const std::string& who, std::vector<v1::Item> items) {
    for (const auto& r : Write(who, std::move(items))) {
      INFO(r.code() << " " << r.message());
      REQUIRE(r.status() == v1::ItemResult::ACCEPTED);
    }
  }

  std::vector<v1::Alert> Alerts(v1::Alert::Kind kind = v1::Alert::KIND_UNSPECIFIED) {
    ledger::AlertFilter f;
    f.kind = kind;
    f.limit = 100'000;
    auto page = engine_->store().List(f);
    REQUIRE(page.ok());
    return page->alerts;
  }
  std::size_t Sweep(const std::string& kind) {
    auto report = engine_->Sweep(10'000);
    REQUIRE(report.ok());
    return report->raised.at(kind);
  }

  ledger::Ledger& ledger() { return *ledger_; }
  alerts::AlertEngine& engine() { return *engine_; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  alerts::EngineOptions options_;
  std::atomic<UnixMillis> now_;
  std::unique_ptr<alerts::AlertEngine> engine_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

// A lot with production and expiry dates (shelf life = expires − produced + 1 days).
inline v1::LotRef DatedLot(const std::string& gtin, const std::string& lot, const std::string& produced,
                           const std::string& expires) {
  v1::LotRef ref = Lot(gtin, lot, expires);
  ref.set_produced_on(produced);
  return ref;
}

// A supplier party with a licence valid over [from, to].
inline v1::Item LicensedParty(const std::string& id, v1::Party::Kind kind, const std::string& from,
                              const std::string& to, const std::string& market = "") {
  v1::Item item = PartyItem(id, kind, market);
  item.mutable_party()->set_licence_valid_from(from);
  item.mutable_party()->set_licence_valid_to(to);
  return item;
}

}  // namespace foodtrace::testing
