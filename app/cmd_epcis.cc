// `foodtrace epcis import FILE`: an EPCIS 2.0 JSON document through the ingest path, one
// ledger entry per event (docs/epcis.md), each accepted, duplicate or rejected on its own.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/epcis/epcis.h"

namespace foodtrace::app {
namespace {

struct EpcisFlags {
  ClientFlags client;
  std::string file;
};

Result<std::string> ReadDocument(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot open " + path);
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > epcis::kDocumentBytesMax) break;  // ReadCaptureDocument names the limit
  }
  return text;
}

int Import(const EpcisFlags& f) {
  auto text = ReadDocument(f.file);
  if (!text.ok()) return Fail(text.status());
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  auto clock = AskClock(**client);  // events are dated in the market's zone
  if (!clock.ok()) return Fail(clock.status());
  epcis::CaptureOptions options;
  options.time_zone = clock->time_zone;
  auto doc = epcis::ReadCaptureDocument(*text, options);
  if (!doc.ok()) return Fail(Status(doc.status().code(), doc.status().reason(), f.file + ": " + doc.status().message()));
  std::vector<v1::Item> items;
  for (const auto& ev : doc->events) {
    if (ev.entry) *items.emplace_back().mutable_entry() = *ev.entry;
  }
  std::vector<v1::ItemResult> results;
  if (!items.empty()) {
    auto submitted = (*client)->Submit(std::move(items));
    if (!submitted.ok()) return Fail(submitted.status());
    results = std::move(*submitted);
  }
  std::size_t next = 0, accepted = 0, duplicate = 0, rejected = 0;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& ev : doc->events) {
    nlohmann::json row = {{"index", ev.index}, {"eventID", ev.event_id}};
    if (!ev.status.ok()) {
      row.update({{"status", "REJECTED"}, {"code", ev.status.reason()}, {"message", ev.status.message()}, {"where", ev.where}});
    } else {
      const v1::ItemResult& r = results.at(next++);
      row["status"] = v1::ItemResult::Status_Name(r.status());
      if (r.status() != v1::ItemResult::REJECTED) row["sequence"] = r.sequence();
      if (!r.code().empty()) row.update({{"code", r.code()}, {"message", r.message()}});
    }
    const std::string status = row["status"];
    accepted += status == "ACCEPTED";
    duplicate += status == "DUPLICATE";
    rejected += status == "REJECTED";
    if (!f.client.json) {
      if (status == "REJECTED") {
        std::fprintf(stderr, "event %zu %s: REJECTED %s: %s%s\n", ev.index, ev.event_id.c_str(), Str(row, "code").c_str(),
                     Str(row, "message").c_str(), ev.where.empty() ? "" : (" (at " + ev.where + ")").c_str());
      }
    }
    rows.push_back(std::move(row));
  }
  if (f.client.json) {
    std::printf("%s\n", nlohmann::json{{"file", f.file}, {"accepted", accepted}, {"duplicate", duplicate},
                                       {"rejected", rejected}, {"events", rows}}.dump().c_str());
  } else {
    std::printf("%s: %zu events: %zu accepted, %zu duplicate, %zu rejected\n", f.file.c_str(), doc->events.size(), accepted,
                duplicate, rejected);
  }
  return rejected == 0 ? 0 : 1;
}

}  // namespace

void AddEpcisCommand(CLI::App* app, int* exit_code) {
  CLI::App* epcis_cmd = app->add_subcommand("epcis", "GS1 EPCIS 2.0 documents in and out of the ledger");
  epcis_cmd->require_subcommand(1);
  auto f = std::make_shared<EpcisFlags>();
  CLI::App* import = epcis_cmd->add_subcommand(
      "import", "capture an EPCIS 2.0 JSON document: one ledger entry per event (receiving, shipping, "
                "transformation, aggregation …; docs/epcis.md); exit code 1 if any event was rejected");
  AddClientFlags(import, &f->client);
  import->add_option("FILE", f->file, "the EPCISDocument (JSON or JSON-LD)")->required()->check(CLI::ExistingFile);
  import->callback([f, exit_code] { *exit_code = Import(*f); });
}

}  // namespace foodtrace::app
