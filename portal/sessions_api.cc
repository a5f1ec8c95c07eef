// Signing in on the portal without pasting: a device redeems a one-time pairing code (or a
// pasted token) for a session kept in an HttpOnly, SameSite=Strict cookie, and signs out by
// ending it. `foodtrace token revoke` ends a session (or every session of a token) too.
//
// Cookie: ft_session=<session token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=<seconds
// left>; plus Secure when the request came through a TLS proxy (X-Forwarded-Proto: https).
// The session's text never appears in a page or an answer body.
#include "portal/server.h"

#include "portal/limits.h"

namespace foodtrace::portal {
namespace {

bool ViaTls(const httplib::Request& req) { return req.get_header_value("X-Forwarded-Proto") == "https"; }

std::string Cookie(const httplib::Request& req, const std::string& value, std::int64_t max_age_s) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(std::max<std::int64_t>(0, max_age_s)) + (ViaTls(req) ? "; Secure" : "");
}

json SessionJson(const TokenInfo& info) {
  return json{{"token_id", info.token_id}, {"role", RoleName(info.role)}, {"party_id", info.party_id},
              {"kind", TokenKindName(info.kind)}, {"expires_at_ms", info.expires_at_ms}};
}

// POST /api/v1/session {"code": "K7QM-2XPD"} or {"token": "ft_…"}.
void Start(Context& ctx, Call& call) {
  json body = json::parse(call.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return SendError(call.res, 400, "BAD_JSON", "send {\"code\": \"…\"} or {\"token\": \"…\"}");
  const std::string code = body.value("code", "");
  const std::string token = body.value("token", "");
  if (code.empty() == token.empty()) {
    return SendError(call.res, 400, "MISSING_PARAMETER", "send either the sign-in code or a token", "code");
  }
  if (code.size() > kTokenBytesMax || token.size() > kTokenBytesMax) {
    return SendError(call.res, 400, "PAIRING_CODE_FORMAT", "the code or token is too long", "code");
  }
  auto session = ctx.tokens->StartSession(code.empty() ? token : code);
  if (!session.ok()) {
    Status st = session.status();
    if (!token.empty() && st.field().empty()) st.WithField("token");
    return SendStatus(call.res, st);
  }
  const std::int64_t left_s = (session->info.expires_at_ms - NowMillis()) / 1000;
  call.res.set_header("Set-Cookie", Cookie(call.req, session->token, left_s));
  SendJson(call.res, 201, SessionJson(session->info));
}

// GET /api/v1/session: who this browser's cookie signs in, or {"signed_in": false} (with the
// reason when a cookie was sent: UNAUTHENTICATED for unknown or revoked, TOKEN_EXPIRED). Public,
// so a page asks without a 401 in its console.
void Current(Context& ctx, Call& call) {
  const std::string token = SessionCookieToken(call.req);
  if (token.empty()) return SendJson(call.res, 200, json{{"signed_in", false}});
  auto info = ctx.tokens->Authenticate(token);
  if (!info.ok()) return SendJson(call.res, 200, json{{"signed_in", false}, {"reason", info.status().reason()}});
  json out = SessionJson(*info);
  out["signed_in"] = true;
  SendJson(call.res, 200, out);
}

// POST /api/v1/session/end: the session behind the cookie is removed and the cookie cleared.
void End(Context& ctx, Call& call) {
  const TokenInfo& t = call.principal.token;
  if (t.kind == TokenKind::kSession) {
    IgnoreStatus(ctx.tokens->EndSession(t.token_id));  // already gone (revoked meanwhile) is fine
  }
  call.res.set_header("Set-Cookie", Cookie(call.req, "", 0));
  SendJson(call.res, 200, json{{"ok", true}});
}

}  // namespace

std::string SessionCookieToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  std::size_t at = 0;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
    const std::size_t end = std::min(header.find(';', at), header.size());
    if (header.compare(at, name.size(), name) == 0) return header.substr(at + name.size(), end - at - name.size());
    at = end;
  }
  return "";
}

bool SameOrigin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;  // not sent: a same-origin request of an older browser, or no browser
  const std::size_t scheme = origin.find("://");
  return scheme != std::string::npos && origin.substr(scheme + 3) == req.get_header_value("Host");
}

void AddSessionRoutes(Router& router) {
  router.Add("GET", "/api/v1/session", Access::kPublic, Current);
  router.Add("POST", "/api/v1/session", Access::kLookup, Start, BodyKind::kJson);
  router.Add("POST", "/api/v1/session/end", Access::kAnyToken, End);
}

}  // namespace foodtrace::portal
