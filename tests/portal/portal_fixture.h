// Test support for the portal: a real `foodtrace serve` on free loopback ports with a small
// market registered over ZeroMQ, tokens made with `foodtrace token create`, and an
// httplib::Client on its HTTP port.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "foodtrace/ingest/client.h"
#include "foodtrace/ingest/keys.h"
#include "support/ledger_fixture.h"
#include "support/process.h"

namespace foodtrace::testing {

using nlohmann::json;

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Today's local date (Asia/Shanghai), as the server sees it.
inline Date Today() { return DateAt(NowMillis(), kChinaUtcOffsetMinutes); }

// Walks `j` and returns the first key named in `forbidden`, or "".
inline std::string FindKey(const json& j, const std::vector<std::string>& forbidden) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      for (const auto& f : forbidden) {
        if (it.key() == f) return f;
      }
      if (auto found = FindKey(it.value(), forbidden); !found.empty()) return found;
    }
  } else if (j.is_array()) {
    for (const auto& e : j) {
      if (auto found = FindKey(e, forbidden); !found.empty()) return found;
    }
  }
  return "";
}

class Portal {
 public:
  // Starts the server with `extra` serve flags (unlimited lookups unless given).
  explicit Portal(std::vector<std::string> extra = {"--lookup-rate", "0"})
      : server_(dir_.sub("data"), std::move(extra)), http_(Host(), Port()) {
    http_.set_read_timeout(30, 0);
    http_.set_keep_alive(true);
  }

  httplib::Client& http() { return http_; }
  std::string data() const { return dir_.sub("data"); }
  std::string url() const { return server_.endpoint("http"); }

  // `foodtrace token create`; REQUIREs success and returns the printed token.
  std::string Token(const std::string& role, const std::string& party) {
    auto r = RunCommand({FoodtraceBinary(), "token", "create", "--data", data(), "--role", role, "--party", party});
    FT_CHECK(r.exit_code == 0);
    return Trim(r.out);
  }

  // Submits records as the operator over ZeroMQ; every one must be accepted.
  void AsOperator(std::vector<v1::Item> items) {
    auto op = ingest::ReadKeyFile(data() + "/keys/operator.key");
    FT_CHECK(op.ok());
    ingest::ClientOptions o;
    o.key = *op;
    o.endpoint = server_.endpoint("ingest");
    o.timeout_ms = 10000;
    auto client = ingest::Client::Connect(o);
    FT_CHECK(client.ok());
    auto results = (*client)->Submit(std::move(items));
    FT_CHECK(results.ok());
    for (const auto& r : *results) {
      if (r.status() == v1::ItemResult::REJECTED) {
        std::fprintf(stderr, "rejected %s: %s %s\n", r.id().c_str(), r.code().c_str(), r.message().c_str());
      }
      FT_CHECK(r.status() != v1::ItemResult::REJECTED);
    }
  }

  // GET with optional bearer token; the answer's status and parsed JSON (null if not JSON).
  struct Answer {
    int status = 0;
    json body;
    std::string text;
    httplib::Headers headers;
  };
  Answer Get(const std::string& path, const std::string& token = "", httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return Wrap(http_.Get(path.c_str(), headers));
  }
  Answer Post(const std::string& path, const std::string& body, const std::string& token = "",
              const std::string& type = "application/json") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return Wrap(http_.Post(path.c_str(), headers, body, type.c_str()));
  }

 private:
  static Answer Wrap(const httplib::Result& r) {
    Answer a;
    if (!r) return a;  // status 0: no answer
    a.status = r->status;
    a.text = r->body;
    a.headers = r->headers;
    a.body = json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    return a;
  }
  std::string Host() const { return "127.0.0.1"; }
  int Port() const {
    const std::string& u = server_.endpoint("http");
    return std::stoi(u.substr(u.rfind(':') + 1));
  }

  TempDir dir_;
  ServerProcess server_;
  httplib::Client http_;
};

}  // namespace foodtrace::testing

namespace foodtrace::testing {

// Protobuf JSON of a record (the request bodies the API takes).
inline std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  FT_CHECK(google::protobuf::util::MessageToJsonString(m, &out, o).ok());
  return out;
}

// A small market on a running portal: supplier S1 buys lots from an outside producer and ships
// them to vendor V1 (who records the receipt); vendor V2 and regulator REG1 are registered.
// Lots of GTIN `gtin`: "L-OK" (fresh), "L-NEAR" (3 days to expiry), "L-RC" and "L-TF"
// (for recall and test cases), all with V1 holding 10 pieces.
struct Market {
  explicit Market(Portal& p) : portal(p) {
    const Date today = Today();
    v1::Item s1 = PartyItem("S1", v1::Party::SUPPLIER);
    s1.mutable_party()->set_name("杭州乳品批发");
    v1::Item v1p = PartyItem("V1", v1::Party::VENDOR, "M1");
    v1p.mutable_party()->set_credit_class("D");
    v1p.mutable_party()->set_risk_level("C");
    v1p.mutable_party()->set_stall("A-12");
    v1::Item reg = PartyItem("REG1", v1::Party::REGULATOR);
    p.AsOperator({PartyItem("M1", v1::Party::MARKET), s1, v1p, PartyItem("V2", v1::Party::VENDOR, "M1"), reg});
    regulator = p.Token("regulator", "REG1");
    supplier = p.Token("vendor", "S1");
    vendor = p.Token("vendor", "V1");
    for (const char* lot : {"L-OK", "L-NEAR", "L-RC", "L-TF"}) {
      const v1::LotRef ref = Ref(lot);
      const std::string on = today.AddDays(-2).ToString();
      Record(supplier, Entry(v1::LedgerEntry::RECEIVE, std::string("in-") + lot, ref, 50, "", on));
      Record(supplier, Entry(v1::LedgerEntry::SHIP, std::string("out-") + lot, ref, 10, "V1", on));
      Record(vendor, Entry(v1::LedgerEntry::RECEIVE, std::string("rx-") + lot, ref, 10, "S1", on));
    }
  }
  // POST /api/v1/entries with one entry; REQUIREs acceptance.
  void Record(const std::string& token, const v1::Item& item) {
    auto a = portal.Post("/api/v1/entries", ToJson(item.entry()), token);
    if (a.status != 200 || a.body["results"][0]["status"] != "ACCEPTED") {
      std::fprintf(stderr, "entry refused: %d %s\n", a.status, a.text.c_str());
    }
    FT_CHECK(a.status == 200 && a.body["results"][0]["status"] == "ACCEPTED");
  }
  // The label of one of the market's lots, as recorded.
  v1::LotRef Ref(const std::string& lot) const {
    v1::LotRef ref = Lot(gtin, lot, Today().AddDays(lot == "L-NEAR" ? 3 : 200).ToString());
    ref.set_produced_on(Today().AddDays(-100).ToString());
    return ref;
  }
  std::string Code(const std::string& lot) const { return "(01)" + gtin + "(10)" + lot; }

  Portal& portal;
  const std::string gtin = Gtin(4242);
  std::string regulator, supplier, vendor;
};

}  // namespace foodtrace::testing
