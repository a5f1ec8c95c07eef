// `foodtrace head get|verify|list`: the ledger's signed heads (foodtrace/ledger/heads.h). A
// regulator, vendor or journalist keeps the head the portal publishes (`head get --out`) and
// later proves the server's ledger still holds it unchanged (`head verify`).
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/app.h"
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/merkle.h"
#include "foodtrace/common/text.h"
#include "foodtrace/ledger/heads.h"

namespace foodtrace::app {
namespace {

constexpr std::size_t kHeadFileBytesMax = 64 << 10;  // a kept head is ~400 bytes of JSON

struct HeadFlags {
  std::string portal = "http://127.0.0.1:8080";
  std::string data_dir = "var";
  std::string out;
  std::string public_key;  // hex; pins the key the heads must be signed with
  std::vector<std::string> files;
  bool json = false;
  int timeout_ms = 10000;
};

Result<std::string> HeadHttpGet(const HeadFlags& flags, const std::string& path) {
  httplib::Client client(flags.portal);
  client.set_connection_timeout(std::chrono::milliseconds(flags.timeout_ms));
  client.set_read_timeout(std::chrono::milliseconds(flags.timeout_ms));
  auto res = client.Get(path);
  if (!res) {
    return Status::Unavailable("cannot reach the portal at " + flags.portal + ": " + httplib::to_string(res.error()));
  }
  if (res->status != 200) {
    const auto j = nlohmann::json::parse(res->body, nullptr, false);
    std::string message = j.is_object() && j.contains("error") ? Str(j["error"], "message") : res->body.substr(0, 200);
    return Status(res->status == 404 ? Code::kNotFound : Code::kUnavailable, "PORTAL_ERROR",
                  "the portal answered " + std::to_string(res->status) + " to " + path + ": " + message);
  }
  return res->body;
}

Status CheckHeadKey(const HeadFlags& flags, const ledger::SignedHead& head, const std::string& what) {
  if (!ledger::HeadSignatureValid(head)) {
    return Status::Corruption(what + " does not verify: its signature is not its key's");
  }
  if (!flags.public_key.empty() && HexEncode(head.public_key) != flags.public_key) {
    return Status::Corruption(what + " is signed by key " + HexEncode(head.public_key) + ", not by --public-key " +
                              flags.public_key);
  }
  return Status::Ok();
}

Result<ledger::SignedHead> FetchHead(const HeadFlags& flags) {
  auto body = HeadHttpGet(flags, "/api/v1/ledger/head");
  if (!body.ok()) return body.status();
  auto head = ledger::HeadFromJson(*body);
  if (!head.ok()) return head.status();
  FT_RETURN_IF_ERROR(CheckHeadKey(flags, *head, "the portal's head"));
  return head;
}

Result<std::string> ReadKeptHead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::string text(kHeadFileBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kHeadFileBytesMax) return Status::Invalid("HEAD_FORMAT", path + " is too large to be a head");
  return text;
}

std::vector<std::string> ProofHashes(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || !j[key].is_array()) return out;
  for (const auto& h : j[key]) out.push_back(h.is_string() ? HexDecode(h.get<std::string>()).value_or("") : "");
  return out;
}

std::string DescribeHead(const ledger::SignedHead& head) {
  return "head " + std::to_string(head.sequence) + " (signed " + FormatInstant(head.signed_at_ms) + ")";
}

// "" when `kept` is part of `current` on the server; else what is wrong.
Result<std::string> CheckKept(const HeadFlags& flags, const ledger::SignedHead& kept,
                              const ledger::SignedHead& current) {
  if (kept.public_key != current.public_key) {
    return "the server now signs with key " + HexEncode(current.public_key) + ", not with the kept head's key " +
           HexEncode(kept.public_key);
  }
  if (kept.sequence > current.sequence) {
    return "the server's newest " + DescribeHead(current) + " covers fewer records than the kept " + DescribeHead(kept) +
           ": records " + std::to_string(current.sequence + 1) + "-" + std::to_string(kept.sequence) +
           " are gone from its ledger";
  }
  auto body = HeadHttpGet(flags, "/api/v1/ledger/proof?sequence=" + std::to_string(kept.sequence) +
                                 "&tree_size=" + std::to_string(current.sequence));
  if (!body.ok()) return body.status();
  const auto j = nlohmann::json::parse(*body, nullptr, false);
  if (!j.is_object() || !j.contains("head")) return Status::Internal("the portal's proof is malformed");
  auto proof_head = ledger::HeadFromJson(j["head"].dump());
  if (!proof_head.ok()) return proof_head.status();
  const auto event = HexDecode(Str(j, "event")).value_or("");
  const auto prev = HexDecode(Str(j, "prev_hash")).value_or("");
  const auto chain = HexDecode(Str(j, "chain_hash")).value_or("");
  if (proof_head->sequence != current.sequence || proof_head->merkle_root != current.merkle_root) {
    return std::string("the proof is for another head than the server's newest");
  }
  if (Sha256Concat(prev, event) != chain || chain != kept.chain_hash) {
    return "record " + std::to_string(kept.sequence) + " on the server is not the one the kept head names";
  }
  if (!merkle::VerifyInclusion(merkle::LeafHash(event), kept.sequence - 1, current.sequence, ProofHashes(j, "inclusion"),
                               current.merkle_root)) {
    return "the server cannot prove record " + std::to_string(kept.sequence) + " is in its newest head";
  }
  if (!merkle::VerifyConsistency(kept.sequence, current.sequence, kept.merkle_root, current.merkle_root,
                                 ProofHashes(j, "consistency"))) {
    return "the server's history up to record " + std::to_string(kept.sequence) +
           " is not the one the kept head signed: it was rewritten";
  }
  return std::string();
}

int Get(const HeadFlags& flags) {
  auto head = FetchHead(flags);
  if (!head.ok()) return Fail(head.status());
  const std::string text = ledger::HeadToJson(*head) + "\n";
  if (!flags.out.empty()) {
    std::ofstream out(flags.out, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Fail(Status::Io("cannot write " + flags.out));
    std::fprintf(stderr, "foodtrace: kept %s in %s\n", DescribeHead(*head).c_str(), flags.out.c_str());
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}

int Verify(const HeadFlags& flags) {
  auto current = FetchHead(flags);
  if (!current.ok()) return Fail(current.status());
  nlohmann::json results = nlohmann::json::array();
  bool all_ok = true;
  for (const std::string& file : flags.files) {
    std::string problem;
    std::uint64_t sequence = 0;
    auto text = ReadKeptHead(file);
    if (!text.ok()) return Fail(text.status());
    auto kept = ledger::HeadFromJson(*text);
    if (!kept.ok()) return Fail(Status::Invalid("HEAD_FORMAT", file + ": " + kept.status().message()));
    sequence = kept->sequence;
    if (Status st = CheckHeadKey(flags, *kept, "the kept head in " + file); !st.ok()) {
      problem = st.message();
    } else {
      auto checked = CheckKept(flags, *kept, *current);
      if (!checked.ok()) return Fail(checked.status());
      problem = *checked;
    }
    all_ok = all_ok && problem.empty();
    results.push_back({{"file", file}, {"sequence", sequence}, {"ok", problem.empty()}, {"problem", problem}});
    if (flags.json) continue;
    if (problem.empty()) {
      std::printf("OK %s: %s is part of the server's %s; nothing up to record %llu was removed or rewritten\n",
                  file.c_str(), DescribeHead(*kept).c_str(), DescribeHead(*current).c_str(),
                  static_cast<unsigned long long>(sequence));
    } else {
      std::printf("FAILED %s: %s\n", file.c_str(), problem.c_str());
    }
  }
  if (flags.json) {
    std::printf("%s\n", nlohmann::json{{"ok", all_ok},
                                       {"server_head", nlohmann::json::parse(ledger::HeadToJson(*current))},
                                       {"heads", results}}
                            .dump()
                            .c_str());
  }
  return all_ok ? 0 : 3;
}

int List(const HeadFlags& flags) {
  auto heads = ledger::ReadHeadsFile(ledger::HeadsFilePath(flags.data_dir));
  if (!heads.ok()) return Fail(heads.status());
  for (const auto& head : *heads) {
    if (flags.json) {
      std::printf("%s\n", ledger::HeadToJson(head).c_str());
    } else {
      std::printf("%10llu  %s  root %s  %s\n", static_cast<unsigned long long>(head.sequence),
                  FormatInstant(head.signed_at_ms).c_str(), HexEncode(head.merkle_root).substr(0, 16).c_str(),
                  ledger::HeadSignatureValid(head) ? "signature ok" : "SIGNATURE INVALID");
    }
  }
  return 0;
}

void AddHeadPortalFlags(CLI::App* cmd, HeadFlags* flags) {
  cmd->add_option("--portal", flags->portal, "the server's portal address")->capture_default_str();
  cmd->add_option("--public-key", flags->public_key,
                  "hex Ed25519 key the heads must be signed with (pin the key you trust)");
  cmd->add_option("--timeout-ms", flags->timeout_ms, "time to wait for each answer")->check(CLI::Range(100, 600000));
}

}  // namespace

void AddHeadCommand(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<HeadFlags>();
  CLI::App* cmd = app->add_subcommand("head", "signed ledger heads: keep one, later prove history was not rewritten");
  cmd->require_subcommand(1);
  CLI::App* get = cmd->add_subcommand("get", "fetch the server's newest signed head, check its signature, print it");
  AddHeadPortalFlags(get, flags.get());
  get->add_option("--out", flags->out, "also keep it in this file (for `head verify` later)");
  get->callback([flags, exit_code] { *exit_code = Get(*flags); });
  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "prove that the server's ledger still holds each kept head unchanged (exit 0), or say what was lost or "
      "rewritten (exit 3)");
  AddHeadPortalFlags(verify, flags.get());
  verify->add_option("head_files", flags->files, "kept heads (JSON of `head get` / GET /api/v1/ledger/head)")
      ->required()
      ->check(CLI::ExistingFile);
  verify->add_flag("--json", flags->json, "machine-readable output");
  verify->callback([flags, exit_code] { *exit_code = Verify(*flags); });
  CLI::App* list = cmd->add_subcommand("list", "list the heads a data directory signed (oldest first)");
  list->add_option("--data", flags->data_dir, "data directory")->capture_default_str();
  list->add_flag("--json", flags->json, "one head per line as JSON");
  list->callback([flags, exit_code] { *exit_code = List(*flags); });
}

}  // namespace foodtrace::app
