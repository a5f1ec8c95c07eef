// `foodtrace party add`: registers a party through the running server and writes its key file.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::app {
namespace {

struct PartyFlags {
  std::string data_dir;
  std::string key_file;
  std::string server;
  std::string key_out;
  bool json = false;
  bool force = false;
  v1::Party party;
  std::string kind;
  std::string geo;
  std::vector<std::string> glns;
};

// "30.25,120.17" → the party's geo. Errors: GEO_FORMAT.
Status ParseGeo(const std::string& text, v1::Party* party) {
  const std::size_t comma = text.find(',');
  char* end = nullptr;
  const std::string lat_text = text.substr(0, comma);
  const double lat = std::strtod(lat_text.c_str(), &end);
  const bool lat_ok = comma != std::string::npos && end != lat_text.c_str() && *end == '\0';
  const std::string lon_text = comma == std::string::npos ? "" : text.substr(comma + 1);
  const double lon = std::strtod(lon_text.c_str(), &end);
  if (!lat_ok || end == lon_text.c_str() || *end != '\0') {
    return Status::Invalid("GEO_FORMAT", "--geo must be LATITUDE,LONGITUDE in decimal degrees, e.g. 30.25,120.17");
  }
  party->mutable_geo()->set_latitude(lat);
  party->mutable_geo()->set_longitude(lon);
  return Status::Ok();
}

Result<v1::Party::Kind> ParseKind(const std::string& kind) {
  static const std::pair<const char*, v1::Party::Kind> kKinds[] = {
      {"vendor", v1::Party::VENDOR},   {"supplier", v1::Party::SUPPLIER},
      {"market", v1::Party::MARKET},   {"kiosk", v1::Party::KIOSK},
      {"regulator", v1::Party::REGULATOR}};
  for (const auto& [name, value] : kKinds) {
    if (kind == name) return value;
  }
  return Status::Invalid("KIND_UNKNOWN", "--kind must be vendor, supplier, market, kiosk or regulator");
}

int AddParty(PartyFlags& flags) {
  auto kind = ParseKind(flags.kind);
  if (!kind.ok()) return Fail(kind.status());
  flags.party.set_kind(*kind);
  for (const std::string& gln : flags.glns) flags.party.add_glns(gln);
  if (!flags.geo.empty()) {
    if (Status st = ParseGeo(flags.geo, &flags.party); !st.ok()) return Fail(st);
  }
  if (flags.data_dir.empty() == flags.key_file.empty()) {
    return Fail(Status::Invalid("USAGE", "give either --data DIR (the operator key in DIR/keys) or "
                                         "--key FILE (a market's key, for its own vendors)"));
  }
  if (std::filesystem::exists(flags.key_out) && !flags.force) {
    return Fail(Status::Invalid("USAGE", "key file " + flags.key_out +
                                             " exists; choose another --key-out or add --force"));
  }
  ClientFlags client;
  client.key_file = flags.key_file.empty()
                        ? (std::filesystem::path(flags.data_dir) / "keys" / "operator.key").string()
                        : flags.key_file;
  client.server = flags.server;
  auto signer = ingest::ReadKeyFile(client.key_file);
  if (!signer.ok()) return Fail(signer.status());
  const std::string endpoint = flags.server.empty() ? signer->server_endpoint : flags.server;
  auto key = ingest::NewPartyKey(flags.party.party_id(), signer->server_public_key, endpoint);
  if (!key.ok()) return Fail(key.status());
  flags.party.set_curve_public_key(key->public_key);
  auto conn = Connect(client);
  if (!conn.ok()) return Fail(conn.status());
  std::vector<v1::Item> items(1);
  *items[0].mutable_party() = flags.party;
  auto results = (*conn)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  const v1::ItemResult& r = (*results)[0];
  if (r.status() == v1::ItemResult::REJECTED) {
    return Fail(Status::Invalid(r.code(), "party " + flags.party.party_id() + " rejected: " + r.code() + ": " + r.message()));
  }
  if (Status st = ingest::WriteKeyFile(flags.key_out, *key); !st.ok()) return Fail(st);
  if (flags.json) {
    nlohmann::json out = {{"party_id", flags.party.party_id()}, {"kind", flags.kind},
                          {"status", v1::ItemResult::Status_Name(r.status())},
                          {"sequence", r.sequence()}, {"key_file", flags.key_out}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("registered %s %s (%s), sequence %llu; key written to %s\n", flags.kind.c_str(),
                flags.party.party_id().c_str(), flags.party.name().c_str(),
                static_cast<unsigned long long>(r.sequence()), flags.key_out.c_str());
  }
  return 0;
}

}  // namespace

void AddPartyCommand(CLI::App* app, int* exit_code) {
  CLI::App* party = app->add_subcommand("party", "register market parties");
  party->require_subcommand(1);
  auto f = std::make_shared<PartyFlags>();
  CLI::App* add = party->add_subcommand("add", "register a party and write its client key file");
  add->add_option("--data", f->data_dir, "server data directory: sign with its operator key");
  add->add_option("--key", f->key_file, "sign with this key instead (a market adding its vendors)");
  add->add_option("--server", f->server, "gateway endpoint (default: from the signing key)");
  add->add_option_function<std::string>("--id", [f](const std::string& v) { f->party.set_party_id(v); },
                                        "party id, e.g. V-0001")->required();
  add->add_option("--kind", f->kind, "vendor|supplier|market|kiosk|regulator")->required();
  add->add_option_function<std::string>("--name", [f](const std::string& v) { f->party.set_name(v); },
                                        "registered name")->required();
  add->add_option_function<std::string>("--licence", [f](const std::string& v) { f->party.set_licence(v); },
                                        "食品经营许可证 JY… or 食品生产许可证 SC… number");
  add->add_option_function<std::string>("--licence-valid-from", [f](const std::string& v) { f->party.set_licence_valid_from(v); },
                                        "licence issue date YYYY-MM-DD");
  add->add_option_function<std::string>("--licence-valid-to", [f](const std::string& v) { f->party.set_licence_valid_to(v); },
                                        "licence expiry date YYYY-MM-DD");
  add->add_option_function<std::string>("--uscc", [f](const std::string& v) { f->party.set_uscc(v); },
                                        "统一社会信用代码 (18 characters)");
  add->add_option_function<std::string>("--market", [f](const std::string& v) { f->party.set_market_id(v); },
                                        "the market a vendor or kiosk belongs to");
  add->add_option_function<std::string>("--stall", [f](const std::string& v) { f->party.set_stall(v); }, "stall number");
  add->add_option_function<std::string>("--address", [f](const std::string& v) { f->party.set_address(v); }, "address");
  add->add_option_function<std::string>("--contact", [f](const std::string& v) { f->party.set_contact(v); }, "contact person / phone");
  add->add_option("--gln", f->glns,
                  "a GS1 GLN (13 digits) of the party's location; repeat for more (the first is its main "
                  "location)");
  add->add_option_function<std::string>("--geo", [f](const std::string& v) { f->geo = v; },
                                        "where the party is: LATITUDE,LONGITUDE in decimal degrees, e.g. 30.25,120.17");
  add->add_flag_callback("--wholesale", [f] { f->party.set_wholesale(true); }, "a wholesaler: its sales must name the buyer");
  add->add_flag_callback("--producer", [f] { f->party.set_producer(true); }, "a food producer");
  add->add_flag_callback("--licence-exempt", [f] { f->party.set_licence_exempt(true); },
                         "farm-produce or pre-packaged-only seller without a licence (FSL 35)");
  add->add_option("--key-out", f->key_out, "where to write the new party's key file")->required();
  add->add_flag("--force", f->force, "overwrite an existing --key-out file");
  add->add_flag("--json", f->json, "machine-readable output");
  add->callback([f, exit_code] { *exit_code = AddParty(*f); });
}

}  // namespace foodtrace::app
