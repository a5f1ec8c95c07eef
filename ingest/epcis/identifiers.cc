// EPC and location identifier forms (GS1 EPC Tag Data Standard pure-identity URNs and GS1
// Digital Link URIs) and the time formats of EPCIS 2.0 events.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "ingest/epcis/internal.h"
#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/text.h"
#include "foodtrace/scanner/scanner.h"

namespace foodtrace::epcis {
namespace {

constexpr std::string_view kLgtinPrefix = "urn:epc:class:lgtin:";
constexpr std::string_view kSgtinPrefix = "urn:epc:id:sgtin:";
constexpr std::string_view kSglnPrefix = "urn:epc:id:sgln:";
constexpr std::string_view kPglnPrefix = "urn:epc:id:pgln:";
constexpr std::string_view kCodeClassPrefix = "urn:foodtrace:class:";
constexpr std::string_view kPartyPrefix = "urn:foodtrace:party:";
constexpr std::string_view kEntryPrefix = "urn:foodtrace:entry:";
// Exports assume a 7-digit GS1 company prefix: the ledger does not know prefix lengths, and a
// class URN parses back to the same GTIN whatever the split.
constexpr std::size_t kCompanyPrefixDigits = 7;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status EpcError(std::string_view uri, std::string_view why) {
  return Status::Invalid("EPC_FORMAT", "EPC '" + std::string(uri.substr(0, 120)) + "' " + std::string(why));
}

// "CP.IIR" of an LGTIN/SGTIN URN → GTIN-14 with its check digit computed (the URN has none).
Result<std::string> GtinFromUrnParts(std::string_view company, std::string_view indicator_item, std::string_view uri) {
  if (!AllDigits(company) || !AllDigits(indicator_item) || company.size() + indicator_item.size() != 13) {
    return EpcError(uri, "must hold a company prefix and an indicator + item reference of 13 digits together");
  }
  const std::string body = std::string(indicator_item.substr(0, 1)) + std::string(company) + std::string(indicator_item.substr(1));
  return body + std::to_string(Gs1CheckDigit(body));
}

// The path segments of a Digital Link URI after its host: "https://id.gs1.org/01/…" → {"01", …}.
std::optional<std::vector<std::string>> DigitalLinkSegments(std::string_view uri) {
  std::string_view rest;
  if (uri.starts_with("https://")) rest = uri.substr(8);
  else if (uri.starts_with("http://")) rest = uri.substr(7);
  else return std::nullopt;
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  rest = rest.substr(slash + 1, rest.find_first_of("?#", slash + 1) == std::string_view::npos
                                    ? std::string_view::npos
                                    : rest.find_first_of("?#", slash + 1) - slash - 1);
  std::vector<std::string> out;
  while (!rest.empty()) {
    const std::size_t at = rest.find('/');
    auto part = EpcUnescape(rest.substr(0, at));
    if (!part) return std::nullopt;
    out.push_back(*part);
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace

std::string EpcEscape(std::string_view s) {
  static const char* kSafe = "-_.!'()*+,:;=";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::strchr(kSafe, c) != nullptr) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::optional<std::string> EpcUnescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  if (!IsValidUtf8(out)) return std::nullopt;
  return out;
}

Result<LotId> ParseLotEpc(std::string_view uri) {
  LotId id;
  if (uri.starts_with(kLgtinPrefix) || uri.starts_with(kSgtinPrefix)) {
    const bool lgtin = uri.starts_with(kLgtinPrefix);
    std::string_view rest = uri.substr(lgtin ? kLgtinPrefix.size() : kSgtinPrefix.size());
    const std::size_t a = rest.find('.');
    const std::size_t b = a == std::string_view::npos ? a : rest.find('.', a + 1);
    if (b == std::string_view::npos) return EpcError(uri, "must be <company prefix>.<indicator + item reference>.<lot>");
    if (!lgtin) {
      return EpcError(uri, "is a serialised GTIN without a lot: foodtrace traces lots, so send a Digital Link "
                           "with the lot (…/01/<GTIN>/10/<lot>/21/<serial>) or a quantityList with the lot's class");
    }
    auto gtin = GtinFromUrnParts(rest.substr(0, a), rest.substr(a + 1, b - a - 1), uri);
    if (!gtin.ok()) return gtin.status();
    auto lot = EpcUnescape(rest.substr(b + 1));
    if (!lot || lot->empty()) return EpcError(uri, "has no lot or a bad %-escape in it");
    id.gtin = *gtin;
    id.lot = *lot;
    return id;
  }
  if (uri.starts_with(kCodeClassPrefix)) {
    std::string_view rest = uri.substr(kCodeClassPrefix.size());
    const std::size_t dot = rest.find('.');
    auto code = EpcUnescape(rest.substr(0, dot));
    auto lot = dot == std::string_view::npos ? std::nullopt : EpcUnescape(rest.substr(dot + 1));
    if (!code || !lot || code->empty() || lot->empty()) return EpcError(uri, "must be urn:foodtrace:class:<product code>.<lot>");
    id.product_code = *code;
    id.lot = *lot;
    return id;
  }
  if (!uri.starts_with("https://") && !uri.starts_with("http://")) {
    return EpcError(uri, "is not an LGTIN class (urn:epc:class:lgtin:…) or a GS1 Digital Link "
                         "(https://id.gs1.org/01/<GTIN>/10/<lot>)");
  }
  // A Digital Link is parsed by the scanner, the one home of GS1 Digital Link syntax.
  auto code = scanner::ParseCode(uri);
  if (!code.ok()) {
    return Status(code.status().code(), code.status().reason(),
                  "in EPC '" + std::string(uri.substr(0, 120)) + "': " + code.status().message());
  }
  if (code->gtin.empty()) return EpcError(uri, "has no /01/<GTIN> in its path");
  if (code->lot.empty()) return EpcError(uri, "names a product without a lot: foodtrace traces lots, add /10/<lot>");
  id.gtin = code->gtin;
  id.lot = code->lot;
  return id;
}

std::string LotClassUri(const v1::LotRef& lot) {
  const std::string& g = lot.gtin();
  if (g.size() != 14) return std::string(kCodeClassPrefix) + EpcEscape(lot.product_code()) + "." + EpcEscape(lot.lot());
  return std::string(kLgtinPrefix) + g.substr(1, kCompanyPrefixDigits) + "." + g.substr(0, 1) +
         g.substr(1 + kCompanyPrefixDigits, 12 - kCompanyPrefixDigits) + "." + EpcEscape(lot.lot());
}

Result<std::string> ParseLocationGln(std::string_view uri) {
  if (uri.starts_with(kPartyPrefix)) return std::string();
  auto bad = [&](std::string_view why) {
    return Status::Invalid("LOCATION_FORMAT", "location '" + std::string(uri.substr(0, 120)) + "' " + std::string(why));
  };
  std::string digits;
  if (uri.starts_with(kSglnPrefix) || uri.starts_with(kPglnPrefix)) {
    std::string_view rest = uri.substr(kSglnPrefix.size());  // both prefixes have one length
    const std::size_t a = rest.find('.');
    if (a == std::string_view::npos) return bad("must be <company prefix>.<location reference>[.<extension>]");
    const std::size_t b = rest.find('.', a + 1);
    const std::string_view company = rest.substr(0, a);
    const std::string_view reference = rest.substr(a + 1, b == std::string_view::npos ? b : b - a - 1);
    if (!AllDigits(company) || (!reference.empty() && !AllDigits(reference)) || company.size() + reference.size() != 12) {
      return bad("must hold a company prefix and a location reference of 12 digits together");
    }
    const std::string body = std::string(company) + std::string(reference);
    return body + std::to_string(Gs1CheckDigit(body));
  }
  auto segments = DigitalLinkSegments(uri);
  if (!segments || segments->size() < 2) {
    return bad("is not an SGLN (urn:epc:id:sgln:…), a PGLN, a GS1 Digital Link (https://id.gs1.org/414/<GLN>) "
               "or urn:foodtrace:party:<id>");
  }
  const auto& s = *segments;
  std::size_t at = 0;
  while (at + 1 < s.size() && s[at] != "414" && s[at] != "417") ++at;
  if (at + 1 >= s.size()) return bad("has no /414/<GLN> or /417/<GLN> in its path");
  auto gln = NormalizeGln(s[at + 1]);
  if (!gln.ok()) return Status(gln.status().code(), gln.status().reason(), "in location '" + std::string(uri.substr(0, 120)) + "': " + gln.status().message());
  return *gln;
}

std::optional<std::string> ParsePartyUri(std::string_view uri) {
  if (!uri.starts_with(kPartyPrefix)) return std::nullopt;
  auto id = EpcUnescape(uri.substr(kPartyPrefix.size()));
  if (!id || id->empty()) return std::nullopt;
  return id;
}

std::string PartyUri(std::string_view party_id) { return std::string(kPartyPrefix) + EpcEscape(party_id); }

std::optional<std::pair<std::string, std::string>> ParseEntryUri(std::string_view uri) {
  if (!uri.starts_with(kEntryPrefix)) return std::nullopt;
  std::string_view rest = uri.substr(kEntryPrefix.size());
  const std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto party = EpcUnescape(rest.substr(0, colon));
  auto event = EpcUnescape(rest.substr(colon + 1));
  if (!party || !event || party->empty() || event->empty()) return std::nullopt;
  return std::make_pair(*party, *event);
}

std::string EntryUri(std::string_view party_id, std::string_view event_id) {
  return std::string(kEntryPrefix) + EpcEscape(party_id) + ":" + EpcEscape(event_id);
}

std::string GlnUri(std::string_view gln) { return "https://id.gs1.org/414/" + std::string(gln); }

std::string CanonicalEpc(std::string_view uri) {
  if (auto lot = ParseLotEpc(uri); lot.ok() && !lot->gtin.empty()) {
    return "https://id.gs1.org/01/" + lot->gtin + "/10/" + EpcEscape(lot->lot);
  }
  if (auto gln = ParseLocationGln(uri); gln.ok() && !gln->empty()) return GlnUri(*gln);
  return std::string(uri);
}

// ---- times --------------------------------------------------------------------------------------

Result<int> ParseOffset(std::string_view z) {
  if (z == "Z") return 0;
  if (z.size() != 6 || (z[0] != '+' && z[0] != '-') || z[3] != ':' || !AllDigits(z.substr(1, 2)) || !AllDigits(z.substr(4, 2))) {
    return Status::Invalid("INVALID_TIME", "time zone offset '" + std::string(z.substr(0, 20)) + "' must be like +08:00 or -05:00");
  }
  const int hours = std::stoi(std::string(z.substr(1, 2)));
  const int minutes = std::stoi(std::string(z.substr(4, 2)));
  if (hours > 14 || minutes > 59) return Status::Invalid("INVALID_TIME", "time zone offset '" + std::string(z) + "' is out of range");
  return (z[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

Result<UnixMillis> ParseInstant(std::string_view t) {
  auto bad = [&] {
    return Status::Invalid("INVALID_TIME", "'" + std::string(t.substr(0, 40)) +
                                               "' is not an RFC 3339 time with a zone, e.g. 2026-12-04T10:30:00.000+08:00");
  };
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't') || t[13] != ':' || t[16] != ':') return bad();
  auto date = Date::Parse(t.substr(0, 10));
  if (!date.ok() || !AllDigits(t.substr(11, 2)) || !AllDigits(t.substr(14, 2)) || !AllDigits(t.substr(17, 2))) return bad();
  const int hour = std::stoi(std::string(t.substr(11, 2)));
  const int minute = std::stoi(std::string(t.substr(14, 2)));
  const int second = std::stoi(std::string(t.substr(17, 2)));
  if (hour > 23 || minute > 59 || second > 60) return bad();
  std::size_t i = 19;
  int millis = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    int digits = 0;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (digits < 3) millis = millis * 10 + (t[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return bad();
    for (int d = digits; d < 3; ++d) millis *= 10;
  }
  std::string zone(t.substr(i));
  if (zone == "z") zone = "Z";
  auto offset = ParseOffset(zone);
  if (!offset.ok()) return bad();
  const UnixMillis naive = static_cast<UnixMillis>(date->days()) * 86'400'000 +
                           (hour * 3600LL + minute * 60LL + std::min(second, 59)) * 1000 + millis;
  return naive - static_cast<UnixMillis>(*offset) * 60'000;
}

std::string FormatOffset(int offset_minutes) {
  char buf[24];
  const int a = (offset_minutes < 0 ? -offset_minutes : offset_minutes) % (24 * 60);
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string FormatWithOffset(UnixMillis at, int offset_minutes) {
  const UnixMillis local = at + static_cast<UnixMillis>(offset_minutes) * 60'000;
  const Date day = DateAt(local, 0);
  const UnixMillis in_day = local - static_cast<UnixMillis>(day.days()) * 86'400'000;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03d%s", day.ToString().c_str(), static_cast<int>(in_day / 3'600'000),
                static_cast<int>(in_day / 60'000 % 60), static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000),
                offset_minutes == 0 ? "Z" : FormatOffset(offset_minutes).c_str());
  return buf;
}

std::string FormatUtc(UnixMillis at) { return FormatWithOffset(at, 0); }

}  // namespace foodtrace::epcis
