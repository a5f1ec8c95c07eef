// Public endpoints (no token): lookup by code and by photo, recalls, published test results,
// party public profiles. Shapes in docs/api.md.
#include <algorithm>

#include "foodtrace/scanner/scanner.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/lookup.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

void Lookup(Context& ctx, Call& call) {
  AnswerLookup(ctx, call, Param(call.req, "code").value_or(""), Param(call.req, "party").value_or(""));
}

int ImageErrorStatus(const Status& st) {
  const std::string& r = st.reason();
  if (r == "IMAGE_TOO_LARGE") return 413;
  if (r == "IMAGE_FORMAT") return 415;
  if (r == "NO_CODE_FOUND") return 422;
  if (r == "DECODER_TIMEOUT") return 504;
  if (r == "DECODER_UNAVAILABLE" || r == "DECODER_CRASHED") return 503;
  return HttpStatusFor(st) >= 500 ? 500 : 400;
}

void LookupImage(Context& ctx, Call& call) {
  const std::string type = call.req.get_header_value("Content-Type");
  if (!call.req.is_multipart_form_data() && type.rfind("image/", 0) != 0 &&
      type.rfind("application/octet-stream", 0) != 0) {
    return SendError(call.res, 415, "UNSUPPORTED_MEDIA_TYPE",
                     "send the photo as image/jpeg, image/png or multipart/form-data with a field 'image'");
  }
  if (call.body.empty()) return SendError(call.res, 400, "MISSING_PARAMETER", "the photo is empty");
  auto codes = scanner::DecodeImage(call.body);
  if (!codes.ok()) {
    return SendError(call.res, ImageErrorStatus(codes.status()), codes.status().reason(), codes.status().message());
  }
  Status last = Status(Code::kNotFound, "NO_CODE_FOUND", "no product barcode was found in the photo");
  for (const scanner::DecodedCode& code : *codes) {
    auto parsed = scanner::ParseDecodedCode(code);
    if (!parsed.ok()) {
      last = parsed.status();
      continue;
    }
    if (parsed->gtin.empty()) continue;
    auto answer = LookupJson(ctx, *parsed, Param(call.req, "party").value_or(""));
    if (!answer.ok()) return SendStatus(call.res, answer.status());
    (*answer)["decoded"] = {{"symbology", code.symbology}, {"text", code.text}};
    return SendJson(call.res, 200, *answer);
  }
  SendError(call.res, last.reason() == "NO_CODE_FOUND" ? 422 : 400, last.reason(),
            "a barcode was found but cannot be read as a product code: " + last.message());
}


void ListRecalls(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  auto offset = PageOffset(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  if (!offset.ok()) return SendStatus(call.res, offset.status());
  std::string product;
  if (Param(call.req, "gtin") || Param(call.req, "product_code")) {
    auto p = ProductParam(call.req);
    if (!p.ok()) return SendStatus(call.res, p.status());
    product = *p;
  }
  std::vector<v1::Recall> recalls = ctx.ledger->ListRecalls();
  std::erase_if(recalls, [&](const v1::Recall& r) {
    return !product.empty() && ledger::ProductKey(r.gtin(), r.product_code()) != product;
  });
  std::stable_sort(recalls.begin(), recalls.end(),
                   [](const auto& a, const auto& b) { return a.issued_at_ms() > b.issued_at_ms(); });
  json list = json::array();
  for (std::size_t i = *offset; i < recalls.size() && list.size() < *limit; ++i) {
    list.push_back(RecallPublicJson(ctx, recalls[i]));
  }
  json out{{"recalls", list}};
  if (auto next = NextCursor(*offset, list.size(), recalls.size()); !next.empty()) out["next_cursor"] = next;
  SendJson(call.res, 200, out);
}

void GetRecall(Context& ctx, Call& call) {
  auto recall = ctx.ledger->GetRecall(call.params[0]);
  if (!recall.ok()) return SendStatus(call.res, recall.status());
  SendJson(call.res, 200, RecallPublicJson(ctx, *recall));
}

void ListTests(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  auto offset = PageOffset(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  if (!offset.ok()) return SendStatus(call.res, offset.status());
  Result<std::vector<v1::TestResult>> tests = std::vector<v1::TestResult>{};
  if (Param(call.req, "lot")) {
    auto product = ProductParam(call.req);
    if (!product.ok()) return SendStatus(call.res, product.status());
    tests = ctx.ledger->LotTestResults(*product, *Param(call.req, "lot"), kExportRowsMax);
  } else {
    tests = ctx.ledger->ListTestResults(kExportRowsMax);
  }
  if (!tests.ok()) return SendStatus(call.res, tests.status());
  std::erase_if(*tests, [](const v1::TestResult& t) { return !t.published(); });
  std::stable_sort(tests->begin(), tests->end(),
                   [](const auto& a, const auto& b) { return a.tested_on() > b.tested_on(); });
  json list = json::array();
  for (std::size_t i = *offset; i < tests->size() && list.size() < *limit; ++i) {
    json j = ProtoToJson((*tests)[i]);
    if (auto p = ctx.ledger->GetParty((*tests)[i].party_id()); p.ok()) j["party_name"] = p->name();
    list.push_back(std::move(j));
  }
  json out{{"test_results", list}};
  if (auto next = NextCursor(*offset, list.size(), tests->size()); !next.empty()) out["next_cursor"] = next;
  SendJson(call.res, 200, out);
}

void PublicParty(Context& ctx, Call& call) {
  auto party = ctx.ledger->GetParty(call.params[0]);
  if (!party.ok()) return SendStatus(call.res, party.status());
  SendJson(call.res, 200, PublicPartyJson(*party, ctx.Today()));
}

}  // namespace

json RecallPublicJson(const Context& ctx, const v1::Recall& r) {
  json j = ProtoToJson(r);
  j.erase("known_at_ms");
  if (auto p = ctx.ledger->GetProduct(ledger::ProductKey(r.gtin(), r.product_code())); p.ok()) {
    j["product_name"] = p->name();
  } else if (r.covered_lots_size() > 0) {
    const std::string& first = r.covered_lots(0);
    const auto bar = first.find('|');
    if (bar != std::string::npos) {
      if (auto lot = ctx.ledger->GetLot(first.substr(0, bar), first.substr(bar + 1)); lot.ok()) {
        j["product_name"] = lot->ref().product_name();
      }
    }
  }
  return j;
}

void AddPublicRoutes(Router& router) {
  router.Add("GET", "/api/v1/lookup", Access::kLookup, Lookup);
  router.Add("POST", "/api/v1/lookup/image", Access::kLookup, LookupImage, BodyKind::kUpload);
  router.Add("GET", "/api/v1/recalls", Access::kPublic, ListRecalls);
  router.Add("GET", "/api/v1/recalls/{}", Access::kPublic, GetRecall);
  router.Add("GET", "/api/v1/test-results", Access::kPublic, ListTests);
  router.Add("GET", "/api/v1/parties/{}", Access::kPublic, PublicParty);
}

}  // namespace foodtrace::portal
