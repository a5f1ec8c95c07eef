// JSON answers, errors and query-parameter parsing shared by every handler.
#include "portal/http.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>

#include "foodtrace/common/identifiers.h"
#include "portal/limits.h"

namespace foodtrace::portal {

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

json ErrorJson(std::string_view code, std::string_view message, std::string_view field, const json& details) {
  return json{{"code", code}, {"message", message}, {"field", field},
              {"details", details.is_object() ? details : json::object()}};
}

void SendError(httplib::Response& res, int status, std::string_view code, std::string_view message,
               std::string_view field, const json& details) {
  SendJson(res, status, json{{"error", ErrorJson(code, message, field, details)}});
}

json StatusErrorJson(const Status& status) {
  json details = json::object();
  for (const auto& [key, value] : status.details()) details[key] = value;
  return ErrorJson(status.reason().empty() ? CodeName(status.code()) : status.reason(), status.message(),
                   status.field(), details);
}

json ItemErrorJson(const v1::ItemResult& result) {
  json details = json::object();
  for (const auto& [key, value] : result.details()) details[key] = value;
  return ErrorJson(result.code(), result.message(), result.field(), details);
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kPermissionDenied: return 403;
    case Code::kUnauthenticated: return 401;
    case Code::kResourceExhausted:
      return status.reason() == "RATE_LIMITED" ? 429 : 413;
    case Code::kFailedPrecondition: return 409;
    case Code::kUnavailable: return 503;
    case Code::kDeadlineExceeded: return 504;
    case Code::kIo:
    case Code::kCorruption:
    case Code::kInternal: return 500;
  }
  return 500;
}

void SendStatus(httplib::Response& res, const Status& status) {
  SendJson(res, HttpStatusFor(status), json{{"error", StatusErrorJson(status)}});
}

json ProtoToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return json::object();
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

Status JsonToProto(std::string_view text, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto st = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), message, options);
  if (!st.ok()) {
    return Status::Invalid("BAD_JSON", "the body is not a valid " + message->GetDescriptor()->name() +
                                           " in Protobuf JSON: " + std::string(st.message()));
  }
  return Status::Ok();
}

json PublicPartyJson(const v1::Party& party, Date today) {
  bool valid = party.licence_valid_to().empty();
  if (auto to = Date::Parse(party.licence_valid_to()); to.ok()) valid = today <= *to;
  if (party.licence().empty() && !party.licence_exempt()) valid = false;
  return json{{"party_id", party.party_id()},
              {"name", party.name()},
              {"kind", v1::Party::Kind_Name(party.kind())},
              {"licence", party.licence()},
              {"filing_number", party.filing_number()},
              {"licence_exempt", party.licence_exempt()},
              {"licence_valid_from", party.licence_valid_from()},
              {"licence_valid_to", party.licence_valid_to()},
              {"licence_valid", valid},
              {"market_id", party.market_id()},
              {"stall", party.stall()},
              {"region", party.region()}};
}

std::optional<std::string> Param(const httplib::Request& req, const char* name) {
  auto it = req.params.find(name);
  if (it == req.params.end()) return std::nullopt;
  return it->second;
}

Result<std::string> RequiredParam(const httplib::Request& req, const char* name) {
  auto value = Param(req, name);
  if (!value || value->empty()) {
    return Status::Invalid("MISSING_PARAMETER", std::string("the query parameter '") + name + "' is required")
        .WithField(name);
  }
  return *value;
}

Result<Date> DateParam(const httplib::Request& req, const char* name, Date fallback) {
  auto value = Param(req, name);
  if (!value || value->empty()) return fallback;
  auto date = Date::Parse(*value);
  if (!date.ok()) {
    return Status::Invalid("BAD_PARAMETER", std::string("'") + name + "' must be a date YYYY-MM-DD: " +
                                                date.status().message())
        .WithField(name)
        .WithDetail("expected", "YYYY-MM-DD")
        .WithDetail("got", *value);
  }
  return date;
}

Result<long long> IntParam(const httplib::Request& req, const char* name, long long fallback,
                           long long min, long long max) {
  auto value = Param(req, name);
  if (!value || value->empty()) return fallback;
  long long n = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, n);
  if (ec != std::errc() || ptr != end || n < min || n > max) {
    return Status::Invalid("BAD_PARAMETER", std::string("'") + name + "' must be a whole number from " +
                                                std::to_string(min) + " to " + std::to_string(max))
        .WithField(name)
        .WithDetail("min", std::to_string(min))
        .WithDetail("max", std::to_string(max))
        .WithDetail("got", *value);
  }
  return n;
}

Result<std::size_t> PageLimit(const httplib::Request& req) {
  auto n = IntParam(req, "limit", kPageSizeDefault, 1, kPageSizeMax);
  if (!n.ok()) return n.status();
  return static_cast<std::size_t>(*n);
}

Result<std::size_t> PageOffset(const httplib::Request& req) {
  auto n = IntParam(req, "cursor", 0, 0, 1'000'000'000);
  if (!n.ok()) {
    return Status::Invalid("BAD_PARAMETER", "'cursor' must be a next_cursor from an earlier page").WithField("cursor");
  }
  return static_cast<std::size_t>(*n);
}

std::string NextCursor(std::size_t offset, std::size_t count, std::size_t total) {
  return offset + count < total ? std::to_string(offset + count) : std::string();
}

Result<std::string> ProductParam(const httplib::Request& req) {
  if (auto code = Param(req, "product_code"); code && !code->empty()) {
    if (code->size() > 64) {
      return Status::Invalid("BAD_PARAMETER", "'product_code' is longer than 64 bytes")
          .WithField("product_code")
          .WithDetail("max", "64");
    }
    return ledger::ProductKey("", *code);
  }
  auto gtin = RequiredParam(req, "gtin");
  if (!gtin.ok()) {
    return Status::Invalid("MISSING_PARAMETER", "name the product with 'gtin' (or 'product_code' for bulk goods)")
        .WithField("gtin");
  }
  auto normal = NormalizeGtin(*gtin);
  if (!normal.ok()) {
    Status st = normal.status();
    return st.WithField("gtin");
  }
  return *normal;
}

void SetProductFields(json* out, std::string_view product_key) {
  if (product_key.rfind("C:", 0) == 0) {
    (*out)["product_code"] = std::string(product_key.substr(2));
  } else {
    (*out)["gtin"] = std::string(product_key);
  }
}

}  // namespace foodtrace::portal
