// foodtrace portal: the HTTP JSON API, the GS1 Digital Link resolver, the static web pages
// (portal/web/), /healthz and /metrics, served from the ledger's read API.
//
// Portal::Start binds, starts a worker pool and returns once the socket listens; Stop (or the
// destructor) stops accepting, ends open alert streams and joins every thread. The portal reads
// the ledger concurrently with the ledger's writer and writes only through Ledger::Submit, so
// it sees exactly what ZeroMQ clients see. docs/api.md documents every endpoint.
//
// Access tokens (regulator and vendor roles) live in DATA/keys/tokens.json, never in RocksDB:
// the `foodtrace token` commands edit that file while the server holds the ledger's lock, and
// the portal re-reads it whenever its modification time changes. Only SHA-256 digests of tokens
// are stored; the token itself is shown once, at creation.
//
// No cpp-httplib type appears in this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "foodtrace/common/status.h"
#include "foodtrace/ledger/ledger.h"

namespace foodtrace::alerts {
class AlertEngine;
}  // namespace foodtrace::alerts

namespace foodtrace::portal {

struct PortalOptions {
  std::string host = "127.0.0.1";  // address to bind
  int port = 8080;                 // 0 picks a free port; Portal::port() tells which
  std::string web_dir;             // static files; empty = the source tree's portal/web
  std::string data_dir;            // where keys/tokens.json lives; empty = no tokens accepted
  int worker_threads = 0;          // 0 = sized to the machine (see portal/limits.h)
  // Public lookups per second per client address (token bucket); 0 = unlimited.
  double lookup_rate_per_second = 60;
  double lookup_burst = 120;
  // The alert engine, for the regulator's alert endpoints, the alert stream and recall
  // progress; null = those endpoints answer 503 UNAVAILABLE. Not owned; must outlive the portal.
  alerts::AlertEngine* alerts = nullptr;
  // The query handler the ZeroMQ gateway answers `foodtrace` CLI queries with (ledger and
  // alert queries chained): the portal answers trace, ledger and alert requests through it as
  // the token's party, so the JSON and the permission rules are the CLI's exactly. Null =
  // those endpoints answer 503 UNAVAILABLE.
  std::function<Result<std::string>(const std::string& caller_party_id, const ::foodtrace::v1::Query& query)> queries;
  // Optional gauges for /metrics, called at scrape time (e.g. the webhook outbox backlog).
  std::function<std::int64_t()> outbox_backlog;
};

// Thread-safe: every method may be called from any thread. The ledger must outlive the portal.
class Portal {
 public:
  // Binds options.host:options.port and starts serving. Errors: INVALID_ARGUMENT (bad options,
  // web_dir not a directory), UNAVAILABLE (the address cannot be bound).
  static Result<std::unique_ptr<Portal>> Start(ledger::Ledger* ledger, PortalOptions options);
  // Stops (idempotent).
  ~Portal();
  Portal(const Portal&) = delete;
  Portal& operator=(const Portal&) = delete;

  // The bound port and "http://host:port".
  int port() const;
  std::string url() const;
  // Stops accepting, closes alert streams, waits for in-flight requests. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit Portal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- access tokens (the `foodtrace token` commands) ------------------------------------------

enum class Role : std::uint8_t { kRegulator, kVendor };
// "regulator" / "vendor".
const char* RoleName(Role role);
// Errors: INVALID_ARGUMENT BAD_ROLE.
Result<Role> ParseRole(std::string_view name);

// What a stored credential is: a token made by `foodtrace token create` (pasted or used as a
// bearer), a browser session made when someone signed in on the portal (kept in an HttpOnly
// cookie), or a one-time pairing code that signs one device in.
enum class TokenKind : std::uint8_t { kToken, kSession, kPairing };
// "token" / "session" / "pairing".
const char* TokenKindName(TokenKind kind);

struct TokenInfo {
  std::string token_id;  // 8 hex characters; also the token's second part
  Role role = Role::kVendor;
  std::string party_id;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;  // 0 = never (tokens made before expiry existed)
  TokenKind kind = TokenKind::kToken;
  std::string parent_id;  // a session: the token or pairing code it was made from
  std::string state;      // a pairing code: "open", "used" or "revoked"; else ""
};

// Lifetimes (portal/limits.h holds the bounds): a token lives kTokenLifetimeDefaultDays unless
// created with another lifetime; a pairing code can be used once within kPairingCodeLifetimeMs;
// a session lasts kSessionLifetimeDefaultDays and never outlives the token it came from.
//
// Creates a token for `party_id` in `role` that expires `lifetime_days` from now (0 = never),
// stores its SHA-256 in DATA/keys/tokens.json (mode 0600, written to a temporary file and
// renamed) and returns the token text, which is shown once and never stored. Errors:
// INVALID_ARGUMENT (empty or over-long party id, negative lifetime), RESOURCE_EXHAUSTED
// TOO_MANY_TOKENS, IO.
Result<std::string> CreateToken(const std::string& data_dir, Role role, const std::string& party_id,
                                int lifetime_days);
Result<std::string> CreateToken(const std::string& data_dir, Role role, const std::string& party_id);

// A one-time sign-in code for `party_id` in `role` ("K7QM-2XPD": 8 characters of an alphabet
// without 0/O, 1/I/L), valid for kPairingCodeLifetimeMs; the device that redeems it gets a
// session of `session_days` (0 = the default). Only its SHA-256 is stored.
struct PairingCode {
  std::string code;     // shown once
  std::string code_id;  // 8 hex characters, for `token list` and `token revoke`
  std::int64_t expires_at_ms = 0;
};
Result<PairingCode> CreatePairingCode(const std::string& data_dir, Role role, const std::string& party_id,
                                      int session_days = 0);

// Replaces a token by a new one with the same role, party and lifetime; the old token and the
// sessions made from it stop working at once. Returns the new token text. Errors: NOT_FOUND,
// INVALID_ARGUMENT (not a token: sessions and pairing codes are revoked, not rotated), IO.
Result<std::string> RotateToken(const std::string& data_dir, const std::string& token_or_id);
// Removes the token, session or pairing code given as its full text or its id, and every
// session made from it (a revoked pairing code stays listed as "revoked" until it expires, so
// the portal can say so). Errors: NOT_FOUND, IO, CORRUPTION.
Status RevokeToken(const std::string& data_dir, const std::string& token_or_id);
// Every stored token, session and pairing code (never their texts). A missing file is an empty
// list.
Result<std::vector<TokenInfo>> ListTokens(const std::string& data_dir);

}  // namespace foodtrace::portal
