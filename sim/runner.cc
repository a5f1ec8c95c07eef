// Run: register the region through the server, stream the backfill, write the truth, trickle
// live rounds. Files in the data directory:
//   DIR/sim-keys/<party>.key   each simulated party's client key (ingest/keys.h format, 0600)
//   DIR/sim-keys/region.json   {"seed","markets","vendors_per_market","days","today","events"},
//                              written once the backfill is durable; its presence means
//                              "this data already holds the simulated region".
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "foodtrace/ingest/keys.h"
#include "sim/limits.h"
#include "sim/submit.h"

namespace foodtrace::sim {
namespace {

namespace fs = std::filesystem;

Status WriteFileAtomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Status::Io("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::Io("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::Ok();
}

// True when region.json names the same region (the backfill is then skipped).
bool RegionExists(const fs::path& marker, const Options& o) {
  std::ifstream in(marker);
  if (!in) return false;
  auto j = nlohmann::json::parse(in, nullptr, false);
  return !j.is_discarded() && j.value("seed", std::uint64_t{0}) == o.seed && j.value("markets", 0) == o.markets &&
         j.value("vendors_per_market", 0) == o.vendors_per_market;
}

// A key per party, written to DIR/sim-keys, then the parties and products sent with the
// operator key.
Status Register(const Simulation& sim, const ingest::KeyFile& op, const std::string& endpoint,
                const fs::path& keys_dir, Submitter* submitter) {
  Batch parties{ingest::kOperatorPartyId, {}};
  for (v1::Party party : sim.parties()) {
    auto key = ingest::NewPartyKey(party.party_id(), op.server_public_key, endpoint);
    if (!key.ok()) return key.status();
    FT_RETURN_IF_ERROR(ingest::WriteKeyFile((keys_dir / (party.party_id() + ".key")).string(), *key));
    party.set_curve_public_key(key->public_key);
    *parties.items.emplace_back().mutable_party() = std::move(party);
  }
  FT_RETURN_IF_ERROR(submitter->Send(parties, kSubmitChunkItemsMax));
  Batch products{ingest::kOperatorPartyId, {}};
  for (const v1::Product& p : sim.products()) *products.items.emplace_back().mutable_product() = p;
  return submitter->Send(products, kSubmitChunkItemsMax);
}

Status Backfill(Simulation& sim, const Options& options, const RunOptions& run, const fs::path& keys_dir,
                Submitter* submitter, Progress* progress) {
  for (int d = 1; sim.HasNextDay(); ++d) {
    const Day day = sim.NextDay();
    progress->SetDay("day " + std::to_string(d) + "/" + std::to_string(options.days) + " " + day.date.ToString());
    FT_RETURN_IF_ERROR(submitter->SendDay(day));
  }
  progress->Finish();
  if (!run.truth_file.empty()) FT_RETURN_IF_ERROR(WriteFileAtomically(run.truth_file, sim.truth().ToJson()));
  nlohmann::json region = {{"seed", options.seed}, {"markets", options.markets},
                           {"vendors_per_market", options.vendors_per_market}, {"days", options.days},
                           {"today", options.today.ToString()}, {"events", progress->events()}};
  return WriteFileAtomically(keys_dir / "region.json", region.dump() + "\n");
}

// Live rounds in real time: each round is one market day of trade spread over 86400/speed
// seconds, its recalls, tests and scans at the end, until *stop.
Status Live(Simulation& sim, const Options& options, const RunOptions& run, Submitter* submitter,
            Pacer* pacer, Progress* progress) {
  const std::string tag = FormatInstant(NowMillis()).substr(11, 8);  // HH:MM:SS of this session
  std::string compact;
  for (char c : tag) if (c != ':') compact += c;
  for (int round = 1; !pacer->stopped(); ++round) {
    const Date now = run.market_today ? run.market_today() : MarketToday(options.time_zone, NowMillis());
    const Date today = std::max(options.today, now);
    const Day day = sim.LiveRound(today, compact + "-");
    const double seconds = 86400.0 / run.speed;
    double rate = static_cast<double>(std::max<std::size_t>(day.items(), 1)) / seconds;
    if (run.rate_events_per_s > 0) rate = std::min(rate, run.rate_events_per_s);
    pacer->set_rate(rate);
    progress->SetDay("live round " + std::to_string(round) + " " + today.ToString());
    for (const Batch& b : day.trade) {
      Status s = submitter->Send(b, 20);
      if (pacer->stopped()) return Status::Ok();
      FT_RETURN_IF_ERROR(s);
    }
    for (const Batch& b : day.oversight) {
      Status s = submitter->Send(b, 20);
      if (pacer->stopped()) return Status::Ok();
      FT_RETURN_IF_ERROR(s);
    }
  }
  return Status::Ok();
}

}  // namespace

Status Run(const Options& options, const RunOptions& run) {
  if (run.rate_events_per_s < 0 || run.rate_events_per_s > kRateEventsPerSecondMax || run.speed <= 0 ||
      run.speed > kSpeedMax) {
    return Status::Invalid("SIM_OPTION_RANGE", "--rate must be in [0, 1e7] and --speed in (0, 86400]");
  }
  auto sim = Simulation::Create(options);
  if (!sim.ok()) return sim.status();
  const fs::path data(run.data_dir);
  auto op = ingest::ReadKeyFile((data / "keys" / "operator.key").string());
  if (!op.ok()) return op.status();
  const std::string endpoint =
      !run.server.empty() ? run.server : !op->server_endpoint.empty() ? op->server_endpoint : ingest::kDefaultEndpoint;
  const fs::path keys_dir = data / "sim-keys";
  std::error_code ec;
  fs::create_directories(keys_dir, ec);
  if (ec) return Status::Io("cannot create " + keys_dir.string() + ": " + ec.message());
  Pacer pacer(run.rate_events_per_s, run.stop);
  Progress progress(run.progress);
  Submitter submitter(keys_dir.string(), endpoint, &pacer, &progress);
  submitter.AddKey(ingest::kOperatorPartyId, *op);
  if (RegionExists(keys_dir / "region.json", options)) {
    std::fprintf(stderr, "simulate: %s already holds this region; reusing it\n", run.data_dir.c_str());
  } else {
    progress.SetDay("registering " + std::to_string((*sim)->parties().size()) + " parties");
    Status s = Register(**sim, *op, endpoint, keys_dir, &submitter);
    if (s.ok()) s = Backfill(**sim, options, run, keys_dir, &submitter, &progress);
    if (pacer.stopped()) return Status::Ok();
    FT_RETURN_IF_ERROR(s);
  }
  if (!run.live) return Status::Ok();
  pacer.set_rate(run.rate_events_per_s);
  return Live(**sim, options, run, &submitter, &pacer, &progress);
}

}  // namespace foodtrace::sim
