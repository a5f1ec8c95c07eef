// `foodtrace serve`: the ledger, the ingest gateway (and, as they land, alerts and the portal)
// as threads of one process.
#include <signal.h>

#include <cstdio>
#include <filesystem>

#include "app/app.h"
#include "foodtrace/alerts/alerts.h"
#include "foodtrace/common/memory.h"
#include "foodtrace/common/text.h"
#include "foodtrace/ingest/gateway.h"
#include "foodtrace/ledger/ledger.h"
#include "foodtrace/portal/portal.h"

namespace foodtrace::app {
namespace {

struct ServeFlags {
  std::string data_dir = "var";
  std::string ingest = ingest::kDefaultEndpoint;
  AlertServeFlags alerts;
  std::string http = "127.0.0.1:8080";
  std::string web_dir;
  double lookup_rate = 60;
  std::string time_zone = kDefaultTimeZone;
  std::uint64_t head_interval_records = ledger::kHeadIntervalRecordsDefault;
  double head_interval_s = ledger::kHeadIntervalMsDefault / 1000.0;
  bool rebuild_merkle_index = false;
  std::string config_file;
  std::string log_format = "text";
};

// Starts the portal on flags.http ("HOST:PORT"). Errors: INVALID_ARGUMENT, UNAVAILABLE.
Result<std::unique_ptr<portal::Portal>> StartPortal(ledger::Ledger* ledger, const ServeFlags& flags,
                                                    alerts::AlertEngine* engine, ingest::QueryHandler queries) {
  const auto colon = flags.http.rfind(':');
  portal::PortalOptions options;
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    options.host = flags.http.substr(0, colon);
    options.port = std::stoi(flags.http.substr(colon + 1));
  } catch (const std::exception&) {
    return Status::Invalid("HTTP_ADDRESS", "--http must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  options.web_dir = flags.web_dir;
  options.data_dir = flags.data_dir;
  options.lookup_rate_per_second = flags.lookup_rate;
  options.lookup_burst = 2 * flags.lookup_rate;
  options.alerts = engine;
  options.queries = std::move(queries);
  return portal::Portal::Start(ledger, options);
}

// Registers the operator's key in the ledger (a DUPLICATE on every later start).
Status RegisterOperator(ledger::Ledger& ledger, const ingest::ServerKeys& keys) {
  ledger::WriteRequest req;
  req.recorded_by = ingest::kOperatorPartyId;
  v1::Party* p = req.items.emplace_back().mutable_party();
  p->set_party_id(ingest::kOperatorPartyId);
  p->set_kind(v1::Party::OPERATOR);
  p->set_name("foodtrace operator");
  p->set_curve_public_key(keys.operator_key.public_key);
  auto results = ledger.SubmitAndWait(std::move(req));
  if (!results.ok()) return results.status();
  const auto& r = (*results)[0];
  if (r.status() == v1::ItemResult::REJECTED) {
    return Status::Internal("registering the operator failed: " + r.code() + " " + r.message());
  }
  return Status::Ok();
}

int Serve(const ServeFlags& flags) {
  std::unique_ptr<JsonLogs> json_logs;  // declared first: destroyed last, after every thread
  if (flags.log_format == "json") {
    auto started = JsonLogs::Start();
    if (!started.ok()) return Fail(started.status());
    json_logs = std::move(*started);
  }
  KeepFreedMemoryForReuse();  // before any thread starts
  // Block the stop signals in every thread; this thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  if (ec) return Fail(Status::Io("cannot create data directory " + flags.data_dir + ": " + ec.message()));
  auto keys = ingest::LoadOrCreateServerKeys(flags.data_dir, flags.ingest);
  if (!keys.ok()) return Fail(keys.status());
  auto head_key = ledger::LoadOrCreateHeadKey(ledger::HeadKeyPath(flags.data_dir));
  if (!head_key.ok()) return Fail(head_key.status());
  auto zone = TimeZone::Load(flags.time_zone);
  if (!zone.ok()) return Fail(zone.status());
  auto clock = ServeClock(flags.alerts, *zone);
  if (!clock.ok()) return Fail(clock.status());
  // The alert engine exists before the ledger: the ledger's commit hook feeds it.
  auto engine = CreateAlertEngine(flags.alerts);
  if (!engine.ok()) return Fail(engine.status());
  ledger::Options options;
  options.path = (std::filesystem::path(flags.data_dir) / "ledger").string();
  options.clock = *clock;
  options.time_zone = *zone;
  options.on_commit = (*engine)->CommitHook();
  options.heads.path = ledger::HeadsFilePath(flags.data_dir);
  options.heads.secret_key = head_key->secret_key;
  options.heads.interval_records = flags.head_interval_records;
  options.heads.interval_ms = static_cast<std::int64_t>(flags.head_interval_s * 1000);
  options.heads.rebuild_merkle_index = flags.rebuild_merkle_index;
  auto ledger = ledger::Ledger::Open(options);
  if (!ledger.ok()) return Fail(ledger.status());
  if (Status st = RegisterOperator(**ledger, *keys); !st.ok()) return Fail(st);
  if (Status st = (*engine)->Start(ledger->get()); !st.ok()) return Fail(st);

  ingest::GatewayOptions gateway_options;
  gateway_options.endpoint = flags.ingest;
  gateway_options.server_secret_key = keys->server.secret_key;
  gateway_options.operator_public_key = keys->operator_key.public_key;
  gateway_options.query_handler = ingest::ChainQueryHandlers(
      {ingest::LedgerQueries(ledger->get()), alerts::AlertQueries(engine->get(), ledger->get()),
       ingest::BackupQueries(ledger->get(), flags.data_dir)});
  auto gateway = ingest::Gateway::Start(ledger->get(), gateway_options);
  if (!gateway.ok()) return Fail(gateway.status());
  auto portal = StartPortal(ledger->get(), flags, engine->get(), gateway_options.query_handler);
  if (!portal.ok()) return Fail(portal.status());

  std::fprintf(stderr,
               "foodtrace serve: ledger %s (%llu records), market time zone %s, today %s\n"
               "  ingest   %s (CURVE server key %s)\n"
               "  operator key %s/keys/operator.key\n"
               "  signed heads %s (key %s)\n"
               "  stop with Ctrl-C\n",
               options.path.c_str(), static_cast<unsigned long long>((*ledger)->LastSequence()),
               zone->name().c_str(), (*ledger)->Today().ToString().c_str(),
               (*gateway)->endpoint().c_str(), (*gateway)->server_public_key().c_str(),
               flags.data_dir.c_str(), options.heads.path.c_str(), HexEncode(head_key->public_key).c_str());
  // Machine-readable endpoints on stdout, then "ready" once everything is serving.
  std::printf("ingest %s\nalerts %s\nhttp %s\nready\n", (*gateway)->endpoint().c_str(), (*engine)->endpoint().c_str(),
              (*portal)->url().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "foodtrace serve: %s received, stopping\n", strsignal(signal_number));
  portal->reset();   // stop answering HTTP (ends alert streams)
  gateway->reset();  // stop taking requests first; queued writes still complete
  (*engine)->Stop();  // events committed from here on are replayed at the next start
  ledger->reset();   // drains the writer and flushes
  engine->reset();   // after the ledger: its commit hook points into the engine
  std::fprintf(stderr, "foodtrace serve: stopped cleanly\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app->add_subcommand("serve", "run the ledger and the ingest gateway");
  cmd->add_option("--data", flags->data_dir, "data directory (ledger, keys)")->capture_default_str();
  cmd->add_option("--ingest", flags->ingest,
                  "ZeroMQ endpoint vendors and kiosks connect to; tcp://127.0.0.1:* picks a port")
      ->capture_default_str();
  cmd->add_option("--http", flags->http, "portal HTTP address HOST:PORT; port 0 picks a free one")
      ->capture_default_str();
  cmd->add_option("--web", flags->web_dir, "directory of the portal's web pages (default: the source tree's portal/web)");
  cmd->add_option("--lookup-rate", flags->lookup_rate,
                  "public lookups per second per client address (burst: twice that); 0 = unlimited")
      ->capture_default_str();
  cmd->add_option("--time-zone", flags->time_zone,
                  "the market's IANA time zone: decides every date (today, expiry, deadlines, the pages' defaults)")
      ->capture_default_str();
  cmd->add_option("--head-interval-records", flags->head_interval_records,
                  "sign the ledger's head after this many new records (also every --head-interval-s, and on stop)")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  cmd->add_option("--head-interval-s", flags->head_interval_s,
                  "sign the ledger's head at most this many seconds after a new record")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_flag("--rebuild-merkle-index", flags->rebuild_merkle_index,
                "rebuild the Merkle index of the signed heads from the log before serving (when verify named it "
                "damaged)");
  AddAlertServeFlags(cmd, &flags->alerts);
  cmd->add_option("--log-format", flags->log_format,
                  "stderr as readable lines (text) or one JSON object per line (json: ts, level, msg)")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--config", flags->config_file,
                  "TOML file of these flags: each key is a flag without its dashes (data = \"/var/lib/foodtrace\"); "
                  "flags given here override it (docs/operations.md)")
      ->check(CLI::ExistingFile);
  cmd->callback([cmd, flags, exit_code] {
    if (!flags->config_file.empty()) {
      if (Status st = ApplyConfigFile(cmd, flags->config_file); !st.ok()) {
        *exit_code = Fail(st);
        return;
      }
    }
    *exit_code = Serve(*flags);
  });
}

}  // namespace foodtrace::app
