// Private to the EPCIS component: the JSON helpers, vocabulary and identifier forms the capture,
// hash and export files share.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "foodtrace/epcis/epcis.h"

namespace foodtrace::epcis {

using nlohmann::json;

// JSON nesting accepted in a capture document (checked before parsing).
inline constexpr int kJsonDepthMax = 32;
// Members of one event's lists (epcList, quantityList, sourceList …).
inline constexpr std::size_t kEventListItemsMax = 1000;
// Length of an identifier or vocabulary value.
inline constexpr std::size_t kUriBytesMax = 512;

// The CBV 2.0 bizStep and disposition names (bare), for validation.
bool IsCbvBizStep(std::string_view bare);
bool IsCbvDisposition(std::string_view bare);
// "https://ref.gs1.org/cbv/BizStep-<name>" / "Disp-<name>" (the hash's canonical form).
std::string BizStepUri(std::string_view bare);
std::string DispositionUri(std::string_view bare);

// urn:foodtrace:party:<id> → the id ("ext:<name>" for an outside business); nullopt otherwise.
std::optional<std::string> ParsePartyUri(std::string_view uri);
std::string PartyUri(std::string_view party_id);
// urn:foodtrace:entry:<party>:<event_id> → {party, event_id}; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> ParseEntryUri(std::string_view uri);
std::string EntryUri(std::string_view party_id, std::string_view event_id);
// The Digital Link of a GLN location (the hash's canonical form) and the SGLN-free DL form
// exports use: https://id.gs1.org/414/<gln>.
std::string GlnUri(std::string_view gln);
// Canonical Digital Link of an EPC the hash uses (LGTIN/SGTIN/SGLN/SSCC → id.gs1.org); other
// URIs unchanged.
std::string CanonicalEpc(std::string_view uri);
// %XX escaping for EPC pure-identity URIs, and its inverse (nullopt on a bad escape).
std::string EpcEscape(std::string_view s);
std::optional<std::string> EpcUnescape(std::string_view s);

// RFC 3339 instant with offset (or Z) → Unix ms. Errors: INVALID_TIME.
Result<UnixMillis> ParseInstant(std::string_view text);
// "2026-12-04T02:00:00.000Z" and "2026-12-04T10:00:00.000+08:00".
std::string FormatUtc(UnixMillis at);
std::string FormatWithOffset(UnixMillis at, int offset_minutes);
std::string FormatOffset(int offset_minutes);
// "+08:00" → 480. Errors: INVALID_TIME.
Result<int> ParseOffset(std::string_view text);

// The §8.9 event hash of one event: "ni:///sha-256;<hex>?ver=CBV2.0".
std::string EventHash(const json& event);

}  // namespace foodtrace::epcis
