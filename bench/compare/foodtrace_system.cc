// bench_compare: foodtrace through a real `foodtrace serve` process (systems.h).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bench/compare/systems.h"
#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"

extern char** environ;

namespace foodtrace::bench::compare {
namespace {

namespace v1 = ::foodtrace::v1;
using nlohmann::json;

constexpr int kClientTimeoutMs = 60'000;
constexpr char kLicence[] = "JY13301020012345";

v1::Item ToItem(const Workload& w, const Entry& e) {
  v1::Item item;
  v1::LedgerEntry* x = item.mutable_entry();
  x->set_event_id(Workload::EventId(e.event));
  x->set_kind(e.ship ? v1::LedgerEntry::SHIP : v1::LedgerEntry::RECEIVE);
  x->set_party_id(w.PartyId(e.party));
  v1::LotRef* lot = x->mutable_lot();
  lot->set_gtin(w.Gtin(e.product));
  lot->set_lot(w.LotCode(e.lot));
  lot->set_product_name("bench product");
  lot->set_specification("500g");
  lot->set_produced_on(e.produced_on.ToString());
  lot->set_expires_on(e.expires_on.ToString());
  x->set_quantity(e.quantity);
  x->set_unit("H87");
  x->set_occurred_on(e.occurred_on.ToString());
  if (e.counterparty >= 0) {
    x->mutable_counterparty()->set_party_id(w.PartyId(e.counterparty));
  } else if (!e.ship) {
    v1::Counterparty* c = x->mutable_counterparty();
    c->set_name(Workload::ProducerName(e.product));
    c->set_address("1 Farm Road");
    c->set_contact("0571-88880000");
    c->set_licence(kLicence);
  } else {
    x->set_to_consumers(true);
  }
  return item;
}

Status CheckAccepted(const Result<std::vector<v1::ItemResult>>& results) {
  if (!results.ok())
    return results.status();
  for (const v1::ItemResult& r : *results) {
    if (r.status() == v1::ItemResult::REJECTED) {
      return Status::Internal("rejected " + r.id() + ": " + r.code() + " " + r.message());
    }
  }
  return Status::Ok();
}

class FoodtraceSink : public Sink {
 public:
  FoodtraceSink(const Workload* w, std::unique_ptr<ingest::Client> client)
      : w_(w), client_(std::move(client)) {}
  bool Write(const std::vector<Entry>& batch) override {
    std::vector<v1::Item> items;
    items.reserve(batch.size());
    for (const Entry& e : batch) items.push_back(ToItem(*w_, e));
    if (Status st = CheckAccepted(client_->Submit(std::move(items))); !st.ok()) {
      std::fprintf(stderr, "\nfoodtrace: %s\n", st.ToString().c_str());
      return false;
    }
    return true;
  }

 private:
  const Workload* w_;
  std::unique_ptr<ingest::Client> client_;
};

class Foodtrace : public System {
 public:
  Foodtrace(const Workload* w, std::string dir, bool json_answers)
      : w_(w), dir_(std::move(dir)), json_answers_(json_answers) {}
  ~Foodtrace() override { Stop(); }

  // Spawns the server and waits for its "ready" line.
  Status Spawn(const std::string& binary) {
    int fds[2];
    if (pipe(fds) != 0)
      return Status::Io("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    const std::string log = dir_ + "/serve.log";
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string data = dir_ + "/data";
    std::vector<std::string> args = {binary,
                                     "serve",
                                     "--data",
                                     data,
                                     "--ingest",
                                     "tcp://127.0.0.1:*",
                                     "--alerts",
                                     "tcp://127.0.0.1:*",
                                     "--http",
                                     "127.0.0.1:0",
                                     "--sweep-interval-s",
                                     "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      pid_ = 0;
      return Status::Io("cannot start " + binary + ": " + std::strerror(rc));
    }
    stdout_ = fdopen(fds[0], "r");
    char line[512];
    while (stdout_ != nullptr && std::fgets(line, sizeof line, stdout_) != nullptr) {
      std::string text(line);
      if (text.rfind("ingest ", 0) == 0)
        endpoint_ = text.substr(7, text.find_last_not_of("\r\n") - 6);
      if (text.rfind("ready", 0) == 0)
        break;
    }
    if (endpoint_.empty())
      return Status::Unavailable("foodtrace serve did not start; see " + log);
    auto key = ingest::ReadKeyFile(data + "/keys/operator.key");
    if (!key.ok())
      return key.status();
    operator_key_ = *key;
    auto client = Connect(operator_key_);
    if (!client.ok())
      return client.status();
    operator_ = std::move(*client);
    return Status::Ok();
  }

  std::string name() const override { return "foodtrace"; }

  Status Register() override {
    std::vector<v1::Item> markets;
    for (int m = 0; m < w_->config().markets; ++m) {
      auto key = ingest::NewPartyKey(w_->MarketId(m), operator_key_.server_public_key, endpoint_);
      if (!key.ok())
        return key.status();
      market_keys_.push_back(*key);
      v1::Party* p = markets.emplace_back().mutable_party();
      p->set_party_id(w_->MarketId(m));
      p->set_kind(v1::Party::MARKET);
      p->set_name("bench market " + std::to_string(m));
      p->set_address("1 Market Street");
      p->set_contact("0571-88880000");
      p->set_curve_public_key(key->public_key);
    }
    FT_RETURN_IF_ERROR(CheckAccepted(operator_->Submit(std::move(markets))));
    std::vector<v1::Item> parties;
    for (int i = 0; i < w_->parties(); ++i) {
      v1::Party* p = parties.emplace_back().mutable_party();
      p->set_party_id(w_->PartyId(i));
      p->set_kind(v1::Party::VENDOR);
      p->set_name("bench " + w_->PartyId(i));
      p->set_licence(kLicence);
      p->set_market_id(w_->MarketId(w_->MarketOf(i)));
      p->set_stall(std::to_string(i));
      p->set_address("1 Market Street");
      p->set_contact("0571-88880000");
      p->set_wholesale(w_->IsWholesaler(i));
    }
    return CheckAccepted(operator_->Submit(std::move(parties)));
  }

  std::unique_ptr<Sink> MakeSink(int market) override {
    auto client = Connect(market_keys_[static_cast<std::size_t>(market)]);
    if (!client.ok()) {
      std::fprintf(stderr, "foodtrace: %s\n", client.status().ToString().c_str());
      return nullptr;
    }
    return std::make_unique<FoodtraceSink>(w_, std::move(*client));
  }

  Result<std::uint64_t> TraceDown(std::uint64_t lot) override {
    v1::Query q = LotQuery(v1::Query::TRACE_DOWN, lot);
    if (json_answers_) {
      auto answer = AskJson(q);
      if (!answer.ok())
        return answer.status();
      return static_cast<std::uint64_t>((*answer)["edges"].size());
    }
    v1::TraceDownAnswer answer;
    FT_RETURN_IF_ERROR(operator_->Query(q, &answer));
    return static_cast<std::uint64_t>(answer.edges_size());
  }

  // RECALL_IMPACT answers exactly the question: holders with stock (on hand + unconfirmed > 0).
  Result<std::uint64_t> RecallImpact(std::uint64_t lot) override {
    v1::Query q = LotQuery(v1::Query::RECALL_IMPACT, lot);
    if (json_answers_) {
      auto answer = AskJson(q);
      if (!answer.ok())
        return answer.status();
      return static_cast<std::uint64_t>((*answer)["holders"].size());
    }
    v1::RecallImpactAnswer answer;
    FT_RETURN_IF_ERROR(operator_->Query(q, &answer));
    return static_cast<std::uint64_t>(answer.holders_size());
  }

  Result<std::uint64_t> Expiring(int market, Date from, int days) override {
    v1::Query q;
    q.set_kind(v1::Query::EXPIRING);
    q.set_market_id(w_->MarketId(market));
    q.set_as_of(from.ToString());
    q.set_horizon_days(days);
    if (json_answers_)
      return CountRows(q);
    v1::ExpiringAnswer answer;
    FT_RETURN_IF_ERROR(operator_->Query(q, &answer));
    return static_cast<std::uint64_t>(answer.rows_size());
  }

  Result<std::uint64_t> PartyLedger(int party, Date from, Date to) override {
    v1::Query q;
    q.set_kind(v1::Query::LEDGER);
    q.set_party_id(w_->PartyId(party));
    q.set_from(from.ToString());
    q.set_to(to.ToString());
    if (json_answers_)
      return CountRows(q);
    v1::LedgerAnswer answer;
    FT_RETURN_IF_ERROR(operator_->Query(q, &answer));
    return static_cast<std::uint64_t>(answer.lines_size());
  }

  std::uint64_t DiskBytes() override { return DirectoryBytes(dir_ + "/data/ledger"); }

  // VmHWM of the server, from /proc (Linux).
  std::uint64_t PeakRssBytes() override {
    FILE* f = std::fopen(("/proc/" + std::to_string(pid_) + "/status").c_str(), "r");
    if (f == nullptr)
      return 0;
    char line[256];
    unsigned long long kib = 0;
    while (std::fgets(line, sizeof line, f) != nullptr) {
      if (std::sscanf(line, "VmHWM: %llu kB", &kib) == 1)
        break;
    }
    std::fclose(f);
    return kib * 1024;
  }

 private:
  Result<std::unique_ptr<ingest::Client>> Connect(const ingest::KeyFile& key) {
    ingest::ClientOptions o;
    o.endpoint = endpoint_;
    o.key = key;
    o.timeout_ms = kClientTimeoutMs;
    return ingest::Client::Connect(o);
  }

  v1::Query LotQuery(v1::Query::Kind kind, std::uint64_t lot) const {
    v1::Query q;
    q.set_kind(kind);
    q.set_gtin(w_->Gtin(w_->ProductOf(lot)));
    q.set_lot(w_->LotCode(lot));
    return q;
  }

  Result<json> AskJson(const v1::Query& q) {
    auto text = operator_->Query(q);
    if (!text.ok())
      return text.status();
    json answer = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (answer.is_discarded())
      return Status::Corruption(v1::Query::Kind_Name(q.kind()) + " answer is not JSON");
    return answer;
  }

  Result<std::uint64_t> CountRows(const v1::Query& q) {
    auto text = operator_->Query(q);
    if (!text.ok())
      return text.status();
    json answer = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!answer.is_array())
      return Status::Corruption("query answer is not a JSON array");
    return static_cast<std::uint64_t>(answer.size());
  }

  void Stop() {
    operator_.reset();
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = 0;
    }
    if (stdout_ != nullptr)
      std::fclose(stdout_);
    stdout_ = nullptr;
  }

  const Workload* w_;
  std::string dir_;
  const bool json_answers_;  // ask for JSON answers instead of answer messages
  pid_t pid_ = 0;
  FILE* stdout_ = nullptr;
  std::string endpoint_;
  ingest::KeyFile operator_key_;
  std::vector<ingest::KeyFile> market_keys_;
  std::unique_ptr<ingest::Client> operator_;
};

}  // namespace

std::uint64_t DirectoryBytes(const std::string& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec)
        total += size;
    }
  }
  return total;
}

Result<std::unique_ptr<System>> StartFoodtrace(const Workload* workload, const std::string& binary,
                                               const std::string& dir, bool json_answers) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::Io("cannot create " + dir + ": " + ec.message());
  auto system = std::make_unique<Foodtrace>(workload, dir, json_answers);
  FT_RETURN_IF_ERROR(system->Spawn(binary));
  return std::unique_ptr<System>(std::move(system));
}

}  // namespace foodtrace::bench::compare
