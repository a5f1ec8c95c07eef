// `foodtrace product add|list`: the product registry (GTIN or bulk produce code, name,
// specification, category, shelf life, producer, packs and the content of one piece).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/common/quantity.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::app {
namespace {

struct ProductFlags {
  ClientFlags client;
  v1::Product product;
  std::vector<std::string> packs;  // "箱=24H87"
  std::string piece;               // "250MLT"
};

// "NAME=QUANTITYUNIT" (箱=24H87, carton=12H87, 件=2.5KGM) → a pack. Errors: USAGE and those of
// ParseQuantityWithUnit.
Result<v1::PackSize> ParsePack(const std::string& text) {
  const std::size_t eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::Invalid("USAGE", "--pack '" + text + "' must be NAME=QUANTITYUNIT, e.g. 箱=24H87 or carton=12H87");
  }
  auto contents = ParseQuantityWithUnit(text.substr(eq + 1));
  if (!contents.ok()) return contents.status();
  v1::PackSize pack;
  pack.set_name(text.substr(0, eq));
  pack.set_quantity(contents->amount);
  pack.set_unit(contents->unit);
  return pack;
}

int AddProduct(ProductFlags& f) {
  for (const std::string& text : f.packs) {
    auto pack = ParsePack(text);
    if (!pack.ok()) return Fail(pack.status());
    *f.product.add_packs() = *pack;
  }
  if (!f.piece.empty()) {
    auto piece = ParseQuantityWithUnit(f.piece);
    if (!piece.ok()) return Fail(piece.status());
    f.product.set_piece_quantity(piece->amount);
    f.product.set_piece_unit(piece->unit);
  }
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  std::vector<v1::Item> items(1);
  *items[0].mutable_product() = f.product;
  auto results = (*client)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  const v1::ItemResult& r = (*results)[0];
  const std::string id = f.product.gtin().empty() ? f.product.product_code() : f.product.gtin();
  if (f.client.json) {
    nlohmann::json out = {{"product", id}, {"status", v1::ItemResult::Status_Name(r.status())}};
    if (r.status() != v1::ItemResult::REJECTED) out["sequence"] = r.sequence();
    if (!r.code().empty()) out["code"] = r.code();
    if (!r.message().empty()) out["message"] = r.message();
    std::printf("%s\n", out.dump().c_str());
  } else if (r.status() == v1::ItemResult::REJECTED) {
    std::fprintf(stderr, "foodtrace: product %s REJECTED %s: %s\n", id.c_str(), r.code().c_str(), r.message().c_str());
  } else {
    std::printf("product %s (%s) %s, sequence %llu\n", id.c_str(), f.product.name().c_str(),
                v1::ItemResult::Status_Name(r.status()).c_str(), static_cast<unsigned long long>(r.sequence()));
  }
  return r.status() == v1::ItemResult::REJECTED ? 1 : 0;
}

int ListProducts(const ClientFlags& flags, std::uint32_t limit) {
  v1::Query q;
  q.set_kind(v1::Query::PRODUCTS);
  q.set_limit(limit);
  auto answer = AskJson(flags, q);
  if (!answer.ok()) return Fail(answer.status());
  if (flags.json) {
    std::printf("%s\n", answer->dump().c_str());
    return 0;
  }
  std::printf("%-16s %-24s %-14s %-10s %6s  %s\n", "GTIN/CODE", "NAME", "SPEC", "CATEGORY", "DAYS", "PACKS");
  for (const auto& p : *answer) {
    std::string packs;
    if (p.contains("packs")) {
      for (const auto& k : p["packs"]) packs += (packs.empty() ? "" : ", ") + Str(k, "name") + "=" + Str(k, "quantity") + Str(k, "unit");
    }
    const std::string id = Str(p, "gtin").empty() ? Str(p, "product_code") : Str(p, "gtin");
    std::printf("%-16s %-24s %-14s %-10s %6s  %s\n", id.c_str(), Str(p, "name").c_str(), Str(p, "specification").c_str(),
                Str(p, "category").c_str(), Str(p, "shelf_life_days").c_str(), packs.c_str());
  }
  return 0;
}

}  // namespace

void AddProductCommand(CLI::App* app, int* exit_code) {
  CLI::App* product = app->add_subcommand("product", "the product registry: GTINs and bulk produce codes");
  product->require_subcommand(1);
  auto f = std::make_shared<ProductFlags>();
  CLI::App* add = product->add_subcommand("add", "register (or update) a product");
  AddClientFlags(add, &f->client);
  v1::Product* p = &f->product;
  add->add_option_function<std::string>("--gtin", [p](const std::string& v) { p->set_gtin(v); }, "GTIN (8, 12, 13 or 14 digits)");
  add->add_option_function<std::string>("--product-code", [p](const std::string& v) { p->set_product_code(v); },
                                        "code of bulk produce without a barcode, e.g. VEG-青菜");
  add->add_option_function<std::string>("--name", [p](const std::string& v) { p->set_name(v); }, "product name (商品名称)")->required();
  add->add_option_function<std::string>("--spec", [p](const std::string& v) { p->set_specification(v); }, "specification (规格), e.g. 250ml×24");
  add->add_option_function<std::string>("--category", [p](const std::string& v) { p->set_category(v); }, "category (类别)");
  add->add_option_function<int>("--shelf-life-days", [p](int v) { p->set_shelf_life_days(v); }, "shelf life in days (保质期)");
  add->add_flag_callback("--no-shelf-life", [p] { p->set_no_shelf_life(true); }, "无明确保质期: no stated shelf life");
  add->add_option_function<std::string>("--producer", [p](const std::string& v) { p->set_producer(v); }, "producer (生产者)");
  add->add_flag_callback("--bulk", [p] { p->set_bulk(true); }, "散装: sold loose");
  add->add_flag_callback("--farm-produce", [p] { p->set_farm_produce(true); }, "食用农产品");
  add->add_option("--pack", f->packs, "a pack entries may count in: NAME=QUANTITYUNIT, e.g. 箱=24H87 (repeatable)");
  add->add_option("--piece", f->piece, "net content of one piece, e.g. 250MLT: pieces and ml then convert exactly");
  add->callback([f, exit_code] { *exit_code = AddProduct(*f); });

  auto l = std::make_shared<ClientFlags>();
  auto limit = std::make_shared<std::uint32_t>(1000);
  CLI::App* list = product->add_subcommand("list", "list registered products");
  AddClientFlags(list, l.get());
  list->add_option("--limit", *limit, "at most this many (default 1000)");
  list->callback([l, limit, exit_code] { *exit_code = ListProducts(*l, *limit); });
}

}  // namespace foodtrace::app
