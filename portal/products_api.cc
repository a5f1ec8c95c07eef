// The product registry over HTTP (docs/api.md "Products"):
//   GET  /api/v1/products?after=&limit=   registered products, in product key order (any token)
//   GET  /api/v1/products/{gtin|C:code}   one product (public: it is what the package says)
//   POST /api/v1/products                 register or update products (regulator tokens)
// Registration goes through Ledger::Submit like every record; a product sent again unchanged is
// DUPLICATE. Pack contents and the piece content may be typed with decimals ("2.5" KGM).
#include "foodtrace/common/identifiers.h"
#include "foodtrace/common/quantity.h"
#include "portal/api_util.h"
#include "portal/limits.h"
#include "portal/server.h"

namespace foodtrace::portal {
namespace {

constexpr std::size_t kProductsPerRequestMax = 1000;  // = ledger kBatchItemsMax

// "quantity" + "unit" members typed with decimals → the base unit (common/quantity.h).
Status NormalizeAmount(json* object, const char* quantity, const char* unit, const std::string& path) {
  if (!object->is_object() || !object->contains(quantity)) return Status::Ok();
  json& q = (*object)[quantity];
  std::string text;
  if (q.is_number_float()) text = q.dump();
  else if (q.is_string() && q.get<std::string>().find('.') != std::string::npos) text = q.get<std::string>();
  else return Status::Ok();
  const std::string u = object->contains(unit) && (*object)[unit].is_string() ? (*object)[unit].get<std::string>() : "";
  auto parsed = ParseQuantity(text, u);
  if (!parsed.ok()) return Status(parsed.status().code(), parsed.status().reason(), path + quantity + ": " + parsed.status().message());
  q = parsed->amount;
  (*object)[unit] = parsed->unit;
  return Status::Ok();
}

void List(Context& ctx, Call& call) {
  auto limit = PageLimit(call.req);
  if (!limit.ok()) return SendStatus(call.res, limit.status());
  const std::string after = Param(call.req, "after").value_or("");
  auto products = ctx.ledger->ListProducts(after, *limit + 1);
  if (!products.ok()) return SendStatus(call.res, products.status());
  json rows = json::array();
  std::string next;
  for (std::size_t i = 0; i < products->size() && i < *limit; ++i) rows.push_back(ProtoToJson((*products)[i]));
  if (products->size() > *limit) {
    const v1::Product& last = (*products)[*limit - 1];
    next = ledger::ProductKey(last.gtin(), last.product_code());
  }
  SendJson(call.res, 200, json{{"products", std::move(rows)}, {"next_after", next}});
}

void GetOne(Context& ctx, Call& call) {
  std::string key = call.params.at(0);
  if (key.rfind("C:", 0) != 0) {
    auto gtin = NormalizeGtin(key);
    if (!gtin.ok()) return SendStatus(call.res, gtin.status());
    key = *gtin;
  }
  auto product = ctx.ledger->GetProduct(key);
  if (!product.ok()) {
    return SendError(call.res, 404, "PRODUCT_UNKNOWN", "no product " + key.substr(0, 40) + " is registered");
  }
  SendJson(call.res, 200, ProtoToJson(*product));
}

void Register(Context& ctx, Call& call) {
  json body = json::parse(call.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return SendError(call.res, 400, "BAD_JSON", "the body must be a JSON object");
  std::vector<json> products;
  if (body.contains("products")) {
    if (!body["products"].is_array()) return SendError(call.res, 400, "BAD_JSON", "'products' must be an array");
    for (const json& p : body["products"]) products.push_back(p);
  } else {
    products.push_back(body);
  }
  if (products.empty() || products.size() > kProductsPerRequestMax) {
    return SendError(call.res, products.empty() ? 400 : 413, products.empty() ? "BAD_JSON" : "TOO_MANY_PRODUCTS",
                     "send 1 to " + std::to_string(kProductsPerRequestMax) + " products");
  }
  std::vector<v1::Item> items;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const std::string where = "product " + std::to_string(i) + ": ";
    json& p = products[i];
    Status st = NormalizeAmount(&p, "piece_quantity", "piece_unit", where);
    if (st.ok() && p.is_object() && p.contains("packs") && p["packs"].is_array()) {
      for (std::size_t k = 0; st.ok() && k < p["packs"].size(); ++k) {
        st = NormalizeAmount(&p["packs"][k], "quantity", "unit", where + "packs[" + std::to_string(k) + "].");
      }
    }
    if (!st.ok()) return SendStatus(call.res, st);
    if (Status parsed = JsonToProto(p.dump(), items.emplace_back().mutable_product()); !parsed.ok()) {
      return SendError(call.res, 400, "BAD_JSON", where + parsed.message());
    }
  }
  auto results = SubmitItems(ctx, call.principal.token.party_id, std::move(items));
  if (!results.ok()) return SendStatus(call.res, results.status());
  json rows = json::array();
  bool any_ok = false;
  for (const v1::ItemResult& r : *results) {
    any_ok = any_ok || r.status() != v1::ItemResult::REJECTED;
    rows.push_back(ProtoToJson(r));
  }
  SendJson(call.res, any_ok ? 200 : 422, json{{"results", std::move(rows)}});
}

}  // namespace

void AddProductRoutes(Router& router) {
  router.Add("GET", "/api/v1/products", Access::kAnyToken, List);
  router.Add("GET", "/api/v1/products/{}", Access::kPublic, GetOne);
  router.Add("POST", "/api/v1/products", Access::kRegulator, Register, BodyKind::kJson);
}

}  // namespace foodtrace::portal
