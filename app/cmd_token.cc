// `foodtrace token create|revoke|list`: the portal's access tokens, kept hashed in
// DATA/keys/tokens.json (see portal/portal.h). Works while `foodtrace serve` runs: the server
// re-reads the file when it changes.
#include <cstdio>

#include "app/app.h"
#include "foodtrace/portal/portal.h"

namespace foodtrace::app {
namespace {

struct TokenFlags {
  std::string data_dir = "var";
  std::string role;
  std::string party;
  std::string token;
  bool json = false;
};

int Create(const TokenFlags& flags) {
  auto role = portal::ParseRole(flags.role);
  if (!role.ok()) return Fail(role.status());
  auto token = portal::CreateToken(flags.data_dir, *role, flags.party);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->c_str());  // only the token: scripts capture it
  std::fprintf(stderr, "foodtrace: %s token for party %s created; it is shown only this once\n",
               flags.role.c_str(), flags.party.c_str());
  return 0;
}

int Revoke(const TokenFlags& flags) {
  if (Status st = portal::RevokeToken(flags.data_dir, flags.token); !st.ok()) return Fail(st);
  std::fprintf(stderr, "foodtrace: token revoked\n");
  return 0;
}

int List(const TokenFlags& flags) {
  auto tokens = portal::ListTokens(flags.data_dir);
  if (!tokens.ok()) return Fail(tokens.status());
  for (const auto& t : *tokens) {
    std::printf("%s %-9s %-20s %s\n", t.token_id.c_str(), portal::RoleName(t.role), t.party_id.c_str(),
                FormatInstant(t.created_at_ms).c_str());
  }
  return 0;
}

}  // namespace

void AddTokenCommand(CLI::App* app, int* exit_code) {
  auto flags = std::make_shared<TokenFlags>();
  CLI::App* cmd = app->add_subcommand("token", "portal access tokens (regulator and vendor roles)");
  cmd->require_subcommand(1);
  CLI::App* create = cmd->add_subcommand("create", "create a token; prints only the token");
  create->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  create->add_option("--role", flags->role, "regulator or vendor")->required()->check(
      CLI::IsMember({"regulator", "vendor"}));
  create->add_option("--party", flags->party, "the party the token acts for")->required();
  create->callback([flags, exit_code] { *exit_code = Create(*flags); });
  CLI::App* revoke = cmd->add_subcommand("revoke", "revoke a token (give the token or its id)");
  revoke->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  revoke->add_option("token", flags->token, "the token, or its 8-character id")->required();
  revoke->callback([flags, exit_code] { *exit_code = Revoke(*flags); });
  CLI::App* list = cmd->add_subcommand("list", "list tokens: id, role, party, created");
  list->add_option("--data", flags->data_dir, "data directory of the server")->capture_default_str();
  list->callback([flags, exit_code] { *exit_code = List(*flags); });
}

}  // namespace foodtrace::app
