// `foodtrace simulate`: a seeded synthetic market region streamed into a running server
// (sim/include/foodtrace/sim/sim.h). Flags and wiring only.
#include <csignal>

#include "app/app.h"
#include "foodtrace/sim/sim.h"

namespace foodtrace::app {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop.store(true); }

struct SimulateFlags {
  sim::Options options;
  sim::RunOptions run;
  bool quiet = false;
};

// The server's market clock, asked with the operator key of its data directory.
Result<ServerClock> ServerClockOf(const sim::RunOptions& run) {
  auto key = ingest::ReadKeyFile(run.data_dir + "/keys/operator.key");
  if (!key.ok()) return key.status();
  ingest::ClientOptions options;
  options.key = *key;
  options.endpoint = run.server;
  auto client = ingest::Client::Connect(std::move(options));
  if (!client.ok()) return client.status();
  return AskClock(**client);
}

int Simulate(SimulateFlags& flags) {
  // The simulated fortnight ends on the server's today, in the server's zone; live rounds follow
  // the server's clock (a test clock included) by keeping its distance from this machine's.
  auto clock = ServerClockOf(flags.run);
  if (!clock.ok()) return Fail(clock.status());
  flags.options.today = clock->today;
  flags.options.time_zone = clock->time_zone;
  const std::int64_t skew_ms = clock->now_ms - NowMillis();
  flags.run.market_today = [zone = clock->time_zone, skew_ms] { return MarketToday(zone, NowMillis() + skew_ms); };
  flags.run.progress = !flags.quiet;
  flags.run.stop = &g_stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  Status st = sim::Run(flags.options, flags.run);
  if (!st.ok()) return Fail(st);
  if (g_stop.load()) std::fprintf(stderr, "\nsimulate: stopped\n");
  return 0;
}

}  // namespace

void AddSimulateCommand(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<SimulateFlags>();
  sim::Options& o = flags->options;
  sim::RunOptions& r = flags->run;
  CLI::App* cmd = app->add_subcommand(
      "simulate", "stream a seeded synthetic market region into a running server (demo, tests, benchmarks)");
  cmd->add_option("--data", r.data_dir, "the server's data directory (its operator key signs the registrations)")
      ->required();
  cmd->add_option("--server", r.server, "gateway endpoint (default: the operator key file's)");
  cmd->add_option("--seed", o.seed, "random seed: the same seed gives the same region and events")->capture_default_str();
  cmd->add_option("--days", o.days, "days simulated, ending today")->capture_default_str();
  cmd->add_option("--markets", o.markets, "retail markets")->capture_default_str();
  cmd->add_option("--vendors-per-market", o.vendors_per_market, "vendors in each market")->capture_default_str();
  cmd->add_option("--rate", r.rate_events_per_s, "events per second (0 = as fast as acknowledged)")->capture_default_str();
  cmd->add_option("--truth", r.truth_file, "write what was injected (JSON) to this file after the backfill");
  cmd->add_flag("--live", r.live, "after the backfill keep trickling live market rounds until stopped");
  cmd->add_option("--speed", r.speed, "live: market days per real day (720 = a round every 2 minutes)")
      ->capture_default_str();
  cmd->add_option("--recalls-per-day", o.rates.recalls_per_day, "recalls issued per simulated day")->capture_default_str();
  cmd->add_option("--scans-per-kiosk-day", o.rates.scans_per_kiosk_day, "consumer scans per kiosk and day")
      ->capture_default_str();
  cmd->add_flag("--quiet", flags->quiet, "no progress line");
  cmd->callback([flags, exit_code] { *exit_code = Simulate(*flags); });
}

}  // namespace foodtrace::app
