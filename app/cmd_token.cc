// `foodtrace token create|rotate|revoke|list`: the portal's access tokens, sessions and
// one-time pairing codes, kept hashed in DATA/keys/tokens.json (see portal/portal.h). Works
// while `foodtrace serve` runs: the server re-reads the file when it changes.
#include <cstdio>
#include <fstream>

#include "app/app.h"
#include "foodtrace/portal/portal.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::app {
namespace {

struct TokenFlags {
  std::string data_dir = "var";
  std::string role;
  std::string party;
  std::string token;
  bool pairing = false;
  int expires_in_days = -1;  // -1 = the default lifetime
  std::string portal = "http://127.0.0.1:8080";
  std::string qr_out;
  bool json = false;
};

// A pairing code: the code and its sign-in link on stdout, a QR code of the link on stderr (or
// as an SVG file with --qr-out), for the vendor's phone.
int CreatePairing(const TokenFlags& flags, portal::Role role) {
  auto code = portal::CreatePairingCode(flags.data_dir, role, flags.party, std::max(0, flags.expires_in_days));
  if (!code.ok()) return Fail(code.status());
  const std::string link = flags.portal + "/signin.html?code=" + code->code;
  std::printf("%s\n%s\n", code->code.c_str(), link.c_str());
  auto qr = scanner::EncodeQr(link);
  if (!qr.ok()) return Fail(qr.status());
  if (!flags.qr_out.empty()) {
    std::ofstream out(flags.qr_out, std::ios::binary | std::ios::trunc);
    out << scanner::QrToSvg(*qr);
    if (!out) return Fail(Status::Io("cannot write " + flags.qr_out));
  } else {
    std::fprintf(stderr, "%s", scanner::QrToText(*qr).c_str());
  }
  std::fprintf(stderr,
               "foodtrace: one-time sign-in code %s (id %s) for %s %s; it works once, until %s. On the "
               "phone: open %s, or type the code on the sign-in page.\n",
               code->code.c_str(), code->code_id.c_str(), flags.role.c_str(), flags.party.c_str(),
               FormatInstant(code->expires_at_ms).c_str(), link.c_str());
  return 0;
}

int Create(const TokenFlags& flags) {
  auto role = portal::ParseRole(flags.role);
  if (!role.ok()) return Fail(role.status());
  if (flags.pairing) return CreatePairing(flags, *role);
  auto token = flags.expires_in_days < 0 ? portal::CreateToken(flags.data_dir, *role, flags.party)
                                         : portal::CreateToken(flags.data_dir, *role, flags.party, flags.expires_in_days);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->c_str());  // only the token: scripts capture it
  std::fprintf(stderr, "foodtrace: %s token for party %s created; it is shown only this once\n",
               flags.role.c_str(), flags.party.c_str());
  return 0;
}

int Rotate(const TokenFlags& flags) {
  auto token = portal::RotateToken(flags.data_dir, flags.token);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->c_str());
  std::fprintf(stderr, "foodtrace: token replaced; the old one and its sessions no longer work\n");
  return 0;
}

int Revoke(const TokenFlags& flags) {
  if (Status st = portal::RevokeToken(flags.data_dir, flags.token); !st.ok()) return Fail(st);
  std::fprintf(stderr, "foodtrace: revoked (with every session signed in with it)\n");
  return 0;
}

int List(const TokenFlags& flags) {
  auto tokens = portal::ListTokens(flags.data_dir);
  if (!tokens.ok()) return Fail(tokens.status());
  for (const auto& t : *tokens) {
    if (flags.json) {
      std::printf("%s\n", nlohmann::json{{"token_id", t.token_id}, {"kind", portal::TokenKindName(t.kind)},
                                         {"role", portal::RoleName(t.role)}, {"party_id", t.party_id},
                                         {"created_at_ms", t.created_at_ms}, {"expires_at_ms", t.expires_at_ms},
                                         {"parent_id", t.parent_id}, {"state", t.state}}
                              .dump()
                              .c_str());
      continue;
    }
    std::printf("%s %-8s %-9s %-20s %s  expires %s%s%s\n", t.token_id.c_str(), portal::TokenKindName(t.kind),
                portal::RoleName(t.role), t.party_id.c_str(), FormatInstant(t.created_at_ms).c_str(),
                t.expires_at_ms > 0 ? FormatInstant(t.expires_at_ms).c_str() : "never",
                t.parent_id.empty() ? "" : ("  from " + t.parent_id).c_str(),
                t.state.empty() ? "" : ("  " + t.state).c_str());
  }
  return 0;
}

}  // namespace

void AddTokenCommand(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<TokenFlags>();
  CLI::App* cmd = app->add_subcommand("token", "portal access: tokens, one-time sign-in codes, sessions");
  cmd->require_subcommand(1);
  CLI::App* create = cmd->add_subcommand(
      "create", "create a token (prints only the token) or, with --pairing, a one-time sign-in code and its QR code");
  create->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  create->add_option("--role", flags->role, "regulator or vendor")->required()->check(
      CLI::IsMember({"regulator", "vendor"}));
  create->add_option("--party", flags->party, "the party the token acts for")->required();
  create->add_option("--expires-in-days", flags->expires_in_days,
                     "lifetime in days (0 = never; default 90); with --pairing: of the session it signs in (default 30)");
  create->add_flag("--pairing", flags->pairing,
                   "make a one-time sign-in code (8 characters, valid 15 minutes) instead of a token: a vendor "
                   "types it, or scans its QR code, on the portal's sign-in page and stays signed in on that phone");
  create->add_option("--portal", flags->portal, "the portal's address, for the sign-in link in the QR code")
      ->capture_default_str();
  create->add_option("--qr-out", flags->qr_out, "with --pairing: write the QR code as an SVG file instead of to the terminal");
  create->callback([flags, exit_code] { *exit_code = Create(*flags); });
  CLI::App* rotate = cmd->add_subcommand("rotate", "replace a token by a new one (same role, party, lifetime); the old one stops working");
  rotate->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  rotate->add_option("token", flags->token, "the token, or its 8-character id")->required();
  rotate->callback([flags, exit_code] { *exit_code = Rotate(*flags); });
  CLI::App* revoke = cmd->add_subcommand(
      "revoke", "revoke a token, a session or a sign-in code (give the token or its id); its sessions end too");
  revoke->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  revoke->add_option("token", flags->token, "the token, or its 8-character id")->required();
  revoke->callback([flags, exit_code] { *exit_code = Revoke(*flags); });
  CLI::App* list = cmd->add_subcommand("list", "list tokens, sessions and sign-in codes: id, kind, role, party, created, expires");
  list->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  list->add_flag("--json", flags->json, "one JSON object per line");
  list->callback([flags, exit_code] { *exit_code = List(*flags); });
}

}  // namespace foodtrace::app
