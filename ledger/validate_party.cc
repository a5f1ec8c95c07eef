// Validation of parties (REGULATION rules 19–23), recalls and webhook subscriptions.
#include <algorithm>
#include <cctype>
#include <string>

#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/text.h"
#include "ledger/limits.h"
#include "ledger/validate.h"
#include "ledger/validate_fields.h"

namespace foodtrace::ledger {
namespace {

using fields::IdSet;
using fields::Named;

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

Status CheckClass(std::string_view field, std::string* value) {
  FT_RETURN_IF_ERROR(fields::Text(field, value, kIdBytesMax));
  for (char& c : *value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (value->empty() || (value->size() == 1 && (*value)[0] >= 'A' && (*value)[0] <= 'D')) {
    return Status::Ok();
  }
  return Status::Invalid("CLASS_UNKNOWN",
                         std::string(field) + " '" + *value + "' must be A, B, C or D, or empty");
}

// Rule 21: a food business licence is valid for at most five years.
Status CheckLicenceValidity(v1::Party* party) {
  Result<std::optional<Date>> from =
      fields::OptionalDate("licence_valid_from", party->mutable_licence_valid_from());
  if (!from.ok())
    return from.status();
  Result<std::optional<Date>> to =
      fields::OptionalDate("licence_valid_to", party->mutable_licence_valid_to());
  if (!to.ok())
    return to.status();
  if (!*from || !*to)
    return Status::Ok();
  if (**to < **from) {
    return Status::Invalid("LICENCE_VALIDITY", "licence_valid_to " + party->licence_valid_to() +
                                                   " is before licence_valid_from " +
                                                   party->licence_valid_from() +
                                                   ": copy both dates from the licence");
  }
  if (**to > (*from)->AddYears(kLicenceValidityYearsMax)) {
    return Status::Invalid("LICENCE_VALIDITY",
                           "licence_valid_from " + party->licence_valid_from() +
                               " to licence_valid_to " + party->licence_valid_to() +
                               " is more than " + std::to_string(kLicenceValidityYearsMax) +
                               " years; a food business licence is valid for at most 5 years: "
                               "copy both dates from the licence");
  }
  return Status::Ok();
}

Status CheckCurveKey(const std::string& key) {
  if (key.empty())
    return Status::Ok();
  const bool alphabet = std::all_of(key.begin(), key.end(), [](char c) {
    return kZ85Alphabet.find(c) != std::string_view::npos;
  });
  if (key.size() == kCurvePublicKeyChars && alphabet)
    return Status::Ok();
  return Status::Invalid("CURVE_KEY_FORMAT",
                         "curve_public_key must be exactly " +
                             std::to_string(kCurvePublicKeyChars) +
                             " characters of the Z85 alphabet (a CURVE public key as written by "
                             "'foodtrace party add'); got " +
                             std::to_string(key.size()) + " characters");
}

// Vendors and suppliers trade under a licence unless exempt (FSL 35, rules 21 and 23).
Status CheckLicenceRequired(const v1::Party& party) {
  const bool trades = party.kind() == v1::Party::VENDOR || party.kind() == v1::Party::SUPPLIER;
  if (!trades || !party.licence().empty() || party.licence_exempt())
    return Status::Ok();
  return Status::Invalid(
      "LICENCE_MISSING",
      "party " + party.party_id() + " is a " + v1::Party::Kind_Name(party.kind()) + " without " +
          Named("licence") +
          ": give its 食品经营许可证 (JY + 14 digits) or 食品生产许可证 (SC + 14 digits) number, "
          "or set licence_exempt for farm-produce and pre-packaged-only sellers (FSL 35)");
}

Status CheckPartyText(v1::Party* party) {
  FT_RETURN_IF_ERROR(fields::RequiredText("name", party->mutable_name(), kNameBytesMax,
                                          "give the registered business or trader name"));
  FT_RETURN_IF_ERROR(fields::Text("filing_number", party->mutable_filing_number(), kIdBytesMax));
  FT_RETURN_IF_ERROR(fields::Id("market_id", party->mutable_market_id(), IdSet::kParty, false));
  FT_RETURN_IF_ERROR(fields::Text("stall", party->mutable_stall(), kIdBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("address", party->mutable_address(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("contact", party->mutable_contact(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("region", party->mutable_region(), kNameBytesMax));
  FT_RETURN_IF_ERROR(CheckClass("credit_class", party->mutable_credit_class()));
  return CheckClass("risk_level", party->mutable_risk_level());
}

Status CheckUrl(std::string* url) {
  FT_RETURN_IF_ERROR(fields::Text("url", url, kUrlBytesMax));
  std::string_view rest = *url;
  std::string scheme;
  for (std::string_view s : {"https://", "http://"}) {
    if (rest.size() >= s.size() && std::equal(s.begin(), s.end(), rest.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      scheme = s;
      rest.remove_prefix(s.size());
      break;
    }
  }
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  const bool host_ok =
      !host.empty() && host.front() != ':' && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (scheme.empty() || !host_ok) {
    return Status::Invalid("WEBHOOK_URL", "url '" + url->substr(0, 80) +
                                              "' must be http:// or https:// followed by a host "
                                              "name or address (no user name or password), e.g. "
                                              "https://alerts.example.gov.cn/foodtrace");
  }
  url->replace(0, scheme.size(), scheme);  // the scheme in lower case
  return Status::Ok();
}

Status CheckWebhookKinds(google::protobuf::RepeatedPtrField<std::string>* kinds) {
  FT_RETURN_IF_ERROR(
      fields::ListSize("kinds", static_cast<std::size_t>(kinds->size()), kWebhookKindsMax));
  for (int i = 0; i < kinds->size(); ++i) {
    std::string* kind = kinds->Mutable(i);
    FT_RETURN_IF_ERROR(fields::Text("kinds", kind, kIdBytesMax));
    for (char& c : *kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    v1::Alert::Kind parsed = v1::Alert::KIND_UNSPECIFIED;
    if (!v1::Alert::Kind_Parse(*kind, &parsed) || parsed == v1::Alert::KIND_UNSPECIFIED) {
      return Status::Invalid("ALERT_KIND_UNKNOWN",
                             "kinds[" + std::to_string(i) + "] '" + *kind +
                                 "' is not an alert kind: use names such as NEAR_EXPIRY, "
                                 "RECALLED_IN_STOCK or TEST_FAILED (docs/protocol.md)");
    }
  }
  return Status::Ok();
}

Status CheckRecallScope(v1::Recall* recall) {
  FT_RETURN_IF_ERROR(
      fields::ListSize("lots", static_cast<std::size_t>(recall->lots_size()), kRecallLotsMax));
  for (int i = 0; i < recall->lots_size(); ++i) {
    FT_RETURN_IF_ERROR(
        fields::Id("lots[" + std::to_string(i) + "]", recall->mutable_lots(i), IdSet::kLot, true));
  }
  Result<std::optional<Date>> from =
      fields::OptionalDate("produced_from", recall->mutable_produced_from());
  if (!from.ok())
    return from.status();
  Result<std::optional<Date>> to =
      fields::OptionalDate("produced_to", recall->mutable_produced_to());
  if (!to.ok())
    return to.status();
  const bool range = from->has_value() && to->has_value();
  const bool half_range = from->has_value() != to->has_value();
  if (half_range || (recall->lots().empty() && !range)) {
    return Status::Invalid("RECALL_SCOPE_MISSING",
                           "a recall names its lots, or a production-date range with both "
                           "produced_from and produced_to (YYYY-MM-DD)");
  }
  if (range && **to < **from) {
    return Status::Invalid("DATE_RANGE_REVERSED",
                           "produced_to " + recall->produced_to() + " is before produced_from " +
                               recall->produced_from() + ": swap or correct the dates");
  }
  return Status::Ok();
}

// Rule: a party's GLNs are real GLNs (GS1 check digit), at most kPartyGlnsMax, no repeats.
Status CheckGlns(v1::Party* party) {
  FT_RETURN_IF_ERROR(
      fields::ListSize("glns", static_cast<std::size_t>(party->glns_size()), kPartyGlnsMax));
  for (int i = 0; i < party->glns_size(); ++i) {
    const std::string field = "glns[" + std::to_string(i) + "]";
    FT_RETURN_IF_ERROR(fields::OptionalIdentifier(field, party->mutable_glns(i), &NormalizeGln));
    if (party->glns(i).empty()) return fields::Missing(field, "remove the empty GLN");
    for (int j = 0; j < i; ++j) {
      if (party->glns(j) == party->glns(i)) {
        return Status::Invalid("GLN_REPEATED", field + " " + party->glns(i) + " is listed twice");
      }
    }
  }
  if (party->has_geo()) {
    const double lat = party->geo().latitude();
    const double lon = party->geo().longitude();
    if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
      return Status::Invalid("GEO_RANGE", "geo must be a latitude in -90..90 and a longitude in "
                                          "-180..180 (decimal degrees, WGS 84)");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateParty(v1::Party* party, const ValidateContext& /*ctx*/) {
  FT_RETURN_IF_ERROR(fields::Id("party_id", party->mutable_party_id(), IdSet::kParty, true));
  if (party->kind() == v1::Party::KIND_UNSPECIFIED || !v1::Party::Kind_IsValid(party->kind())) {
    return Status::Invalid("KIND_UNKNOWN", "party " + party->party_id() +
                                               " has no known kind: use VENDOR, SUPPLIER, "
                                               "MARKET, KIOSK or REGULATOR");
  }
  FT_RETURN_IF_ERROR(CheckPartyText(party));
  FT_RETURN_IF_ERROR(
      fields::OptionalIdentifier("licence", party->mutable_licence(), &NormalizeLicence));
  FT_RETURN_IF_ERROR(fields::OptionalIdentifier("uscc", party->mutable_uscc(), &NormalizeUscc));
  FT_RETURN_IF_ERROR(
      fields::OptionalIdentifier("id_card", party->mutable_id_card(), &NormalizeIdCard));
  FT_RETURN_IF_ERROR(CheckLicenceValidity(party));
  FT_RETURN_IF_ERROR(CheckCurveKey(party->curve_public_key()));
  FT_RETURN_IF_ERROR(CheckGlns(party));
  return CheckLicenceRequired(*party);
}

Status ValidateRecall(v1::Recall* recall, const ValidateContext& /*ctx*/) {
  FT_RETURN_IF_ERROR(fields::Id("recall_id", recall->mutable_recall_id(), IdSet::kRecord, true));
  if (recall->level() == v1::Recall::LEVEL_UNSPECIFIED ||
      !v1::Recall::Level_IsValid(recall->level())) {
    return Status::Invalid("RECALL_LEVEL_MISSING",
                           "recall " + recall->recall_id() +
                               " needs a level: I (most serious, holders told within 24 h), "
                               "II (48 h) or III (72 h)");
  }
  FT_RETURN_IF_ERROR(
      fields::ProductId("", recall->mutable_gtin(), recall->mutable_product_code(), true));
  FT_RETURN_IF_ERROR(CheckRecallScope(recall));
  FT_RETURN_IF_ERROR(fields::RequiredText("reason", recall->mutable_reason(), kTextBytesMax,
                                          "say what is wrong with the food and the harm"));
  FT_RETURN_IF_ERROR(fields::Id("issuer_id", recall->mutable_issuer_id(), IdSet::kParty, false));
  Result<std::optional<Date>> complete_by =
      fields::OptionalDate("complete_by", recall->mutable_complete_by());
  if (!complete_by.ok())
    return complete_by.status();
  return fields::TextList("covered_lots", recall->mutable_covered_lots(), kRecallLotsMax,
                          2 * kIdBytesMax + 1);
}

Status ValidateWebhook(v1::Webhook* webhook, const ValidateContext& /*ctx*/) {
  FT_RETURN_IF_ERROR(fields::Id("webhook_id", webhook->mutable_webhook_id(), IdSet::kRecord, true));
  FT_RETURN_IF_ERROR(CheckUrl(webhook->mutable_url()));
  // The secret is a key: checked as given, never trimmed.
  const std::string& secret = webhook->secret();
  if (secret.size() < kWebhookSecretBytesMin || secret.size() > kWebhookSecretBytesMax) {
    return Status::Invalid("WEBHOOK_SECRET",
                           "secret is " + std::to_string(secret.size()) + " bytes; use " +
                               std::to_string(kWebhookSecretBytesMin) + " to " +
                               std::to_string(kWebhookSecretBytesMax) + " bytes of random text");
  }
  FT_RETURN_IF_ERROR(CheckTextField("secret", secret, kWebhookSecretBytesMax));
  FT_RETURN_IF_ERROR(CheckWebhookKinds(webhook->mutable_kinds()));
  FT_RETURN_IF_ERROR(fields::Id("market_id", webhook->mutable_market_id(), IdSet::kParty, false));
  return fields::Id("owner_id", webhook->mutable_owner_id(), IdSet::kParty, false);
}

}  // namespace foodtrace::ledger
