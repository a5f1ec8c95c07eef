// Test support: a real ledger in a fresh temporary directory, and builders for valid records.
#pragma once

#include <filesystem>
#include <random>
#include <string>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::testing {

namespace v1 = ::foodtrace::v1;

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("foodtrace-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A valid GTIN-13 with the Chinese prefix 690 built from `n`, normalised to GTIN-14.
inline std::string Gtin(int n) {
  std::string body = "690" + std::string(9 - std::to_string(n).size(), '0') + std::to_string(n);
  return "0" + body + std::to_string(Gs1CheckDigit(body));
}

inline v1::Item PartyItem(const std::string& id, v1::Party::Kind kind, const std::string& market = "",
                          const std::string& key = "") {
  v1::Item item;
  v1::Party* p = item.mutable_party();
  p->set_party_id(id);
  p->set_kind(kind);
  p->set_name("商户 " + id);
  if (kind == v1::Party::VENDOR || kind == v1::Party::SUPPLIER) p->set_licence("JY13301020012345");
  p->set_market_id(market);
  p->set_address("杭州市上城区 1 号");
  p->set_contact("0571-88880000");
  p->set_curve_public_key(key);
  return item;
}

inline v1::LotRef Lot(const std::string& gtin, const std::string& lot,
                      const std::string& expires_on = "2027-06-30") {
  v1::LotRef ref;
  ref.set_gtin(gtin);
  ref.set_lot(lot);
  ref.set_product_name("纯牛奶");
  ref.set_specification("250ml×24");
  ref.set_produced_on("2026-10-01");
  ref.set_expires_on(expires_on);
  return ref;
}

inline v1::Item Entry(v1::LedgerEntry::Kind kind, const std::string& event_id, const v1::LotRef& lot,
                      std::int64_t quantity, const std::string& counterparty = "",
                      const std::string& on = "2026-11-01", const std::string& unit = "H87") {
  v1::Item item;
  v1::LedgerEntry* e = item.mutable_entry();
  e->set_event_id(event_id);
  e->set_kind(kind);
  *e->mutable_lot() = lot;
  e->set_quantity(quantity);
  e->set_unit(unit);
  e->set_occurred_on(on);
  if (!counterparty.empty()) {
    e->mutable_counterparty()->set_party_id(counterparty);
  } else if (kind == v1::LedgerEntry::RECEIVE) {
    e->mutable_counterparty()->set_name("城郊批发部");
    e->mutable_counterparty()->set_address("杭州市余杭区 8 号");
    e->mutable_counterparty()->set_contact("13800000000");
  } else if (kind == v1::LedgerEntry::SHIP) {
    e->set_to_consumers(true);
  } else if (kind == v1::LedgerEntry::DISPOSE) {
    e->set_dispose_method("销毁");
  }
  return item;
}

// Submits items as `who` and returns the results (REQUIREs success of the submit itself).
inline std::vector<v1::ItemResult> Write(ledger::Ledger& l, const std::string& who,
                                         std::vector<v1::Item> items) {
  ledger::WriteRequest req;
  req.recorded_by = who;
  req.items = std::move(items);
  auto r = l.SubmitAndWait(std::move(req));
  FT_CHECK(r.ok());
  return std::move(*r);
}

inline std::unique_ptr<ledger::Ledger> OpenLedger(const std::string& path,
                                                  std::function<UnixMillis()> clock = nullptr) {
  ledger::Options o;
  o.path = path;
  if (clock) {
    o.clock = std::move(clock);
  } else {
    // A fixed "now" so that dates in the fixtures are never in the future: 2026-11-22 12:00 CST.
    o.clock = [] { return StartOfDay(Date::FromYmd(2026, 11, 22), kChinaUtcOffsetMinutes) + 12 * 3600'000; };
  }
  auto l = ledger::Ledger::Open(std::move(o));
  FT_CHECK(l.ok());
  return std::move(*l);
}

}  // namespace foodtrace::testing
