// Proves each stateless record rule (REGULATION rules 1–4, 9, 19–23) rejects with its reason
// code and a message naming the field, and that valid records are normalised.
#include "ledger/validate.h"

#include <catch2/catch.hpp>
#include <string>

#include "ledger/limits.h"

using namespace foodtrace;
using namespace foodtrace::ledger;

namespace {

ValidateContext Ctx(bool wholesale = false) {
  ValidateContext ctx;
  ctx.today = Date::FromYmd(2025, 6, 1);
  ctx.recorder_wholesale = wholesale;
  return ctx;
}

// A complete purchase by a market vendor: every rule-1 field filled.
v1::LedgerEntry Receive() {
  v1::LedgerEntry e;
  e.set_event_id("r-0001");
  e.set_kind(v1::LedgerEntry::RECEIVE);
  e.set_occurred_on("2025-05-30");
  v1::LotRef* lot = e.mutable_lot();
  lot->set_gtin("6901234567892");
  lot->set_lot("B20250501");
  lot->set_product_name("红烧牛肉面");
  lot->set_specification("120g/袋");
  lot->set_produced_on("2025-05-01");
  lot->set_shelf_life_days(180);
  e.set_quantity(48);
  e.set_unit("H87");
  v1::Counterparty* cp = e.mutable_counterparty();
  cp->set_name("杭州联华食品批发有限公司");
  cp->set_address("杭州市上城区望江路1号");
  cp->set_contact("0571-86001234");
  cp->set_licence("JY13301020012345");
  e.add_documents("出厂检验合格证 2025-0501");
  return e;
}

v1::LedgerEntry Movement(v1::LedgerEntry::Kind kind) {
  v1::LedgerEntry e;
  e.set_event_id("m-0001");
  e.set_kind(kind);
  e.set_occurred_on("2025-05-31");
  e.mutable_lot()->set_gtin("6920000123452");
  e.mutable_lot()->set_lot("L0425");
  e.set_quantity(10);
  e.set_unit("KGM");
  return e;
}

v1::Party Vendor() {
  v1::Party p;
  p.set_party_id("v-hz-0012");
  p.set_kind(v1::Party::VENDOR);
  p.set_name("王记干货店");
  p.set_licence("jy13301020012345");
  p.set_uscc("91350100M000100Y43");
  p.set_address("杭州市上城区农贸市场12号");
  p.set_contact("13800001234");
  return p;
}

Status Check(v1::LedgerEntry* e, const ValidateContext& ctx = Ctx()) {
  return ValidateEntry(e, ctx);
}

bool Has(const Status& s, std::string_view text) {
  return s.message().find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("a complete purchase with Chinese text is accepted and normalised", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_product_name("  红烧牛肉面 ");
  e.mutable_counterparty()->set_licence(" jy13301020012345");
  e.set_unit("h87");
  REQUIRE(Check(&e).ok());
  CHECK(e.lot().gtin() == "06901234567892");
  CHECK(e.lot().product_name() == "红烧牛肉面");
  CHECK(e.counterparty().licence() == "JY13301020012345");
  CHECK(e.unit() == "H87");
  CHECK(e.lot().expires_on() == "2025-10-27");  // 2025-05-01 + 180 days − 1
}

TEST_CASE("expiry is the production date plus the shelf life minus one day", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_produced_on("2025-01-01");
  e.mutable_lot()->set_shelf_life_days(365);
  REQUIRE(Check(&e).ok());
  CHECK(e.lot().expires_on() == "2025-12-31");
  e = Receive();
  e.mutable_lot()->set_shelf_life_days(1);
  REQUIRE(Check(&e).ok());
  CHECK(e.lot().expires_on() == "2025-05-01");
}

TEST_CASE("the expiry date printed on the label wins over the computed one", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_expires_on("2025-09-30");
  REQUIRE(Check(&e).ok());
  CHECK(e.lot().expires_on() == "2025-09-30");
}

TEST_CASE("a purchase without supplier contact is rejected naming the missing field",
          "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_counterparty()->clear_contact();
  Status s = Check(&e);
  CHECK(s.reason() == "SUPPLIER_INCOMPLETE");
  CHECK(s.code() == Code::kInvalidArgument);
  CHECK(Has(s, "counterparty.contact"));
  CHECK_FALSE(Has(s, "counterparty.name"));
  e.mutable_counterparty()->clear_address();
  s = Check(&e);
  CHECK(Has(s, "counterparty.address"));
  CHECK(Has(s, "counterparty.contact"));
}

TEST_CASE("a purchase from a registered supplier needs no name or address", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.clear_counterparty();
  CHECK(Check(&e).reason() == "SUPPLIER_INCOMPLETE");
  e.mutable_counterparty()->set_party_id("s-lianhua");
  CHECK(Check(&e).ok());
}

TEST_CASE("a purchase without name or specification names the missing field", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_specification("  ");
  Status s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "lot.specification (规格)"));
  e = Receive();
  e.mutable_lot()->clear_product_name();
  s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "lot.product_name"));
}

TEST_CASE("a purchase names its product by GTIN or by product code", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->clear_gtin();
  Status s = Check(&e);
  CHECK(s.reason() == "PRODUCT_MISSING");
  CHECK(Has(s, "lot.gtin"));
  CHECK(Has(s, "lot.product_code"));
  e.mutable_lot()->set_product_code("BULK-SOYBEAN-01");
  CHECK(Check(&e).ok());
}

TEST_CASE("a GTIN with a wrong check digit is rejected with the expected digit", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_gtin("6901234567891");
  Status s = Check(&e);
  CHECK(s.reason() == "GTIN_CHECK_DIGIT");
  CHECK(Has(s, "lot.gtin"));
  CHECK(Has(s, "expected 2"));
  e.mutable_lot()->set_gtin("69012345678");
  CHECK(Check(&e).reason() == "GTIN_FORMAT");
}

TEST_CASE("a purchase without lot code and production date is rejected", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->clear_lot();
  e.mutable_lot()->clear_produced_on();
  e.mutable_lot()->set_expires_on("2025-12-01");
  Status s = Check(&e);
  CHECK(s.reason() == "LOT_MISSING");
  CHECK(Has(s, "lot.lot (批号)"));
  CHECK(Has(s, "lot.produced_on (生产日期)"));
  e.mutable_lot()->set_lot("B1");
  CHECK(Check(&e).ok());
}

TEST_CASE("a lot code without production or expiry date cannot compute its expiry", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->clear_produced_on();
  Status s = Check(&e);
  CHECK(s.reason() == "EXPIRY_UNKNOWN");
  CHECK(Has(s, "无法计算到期日"));
  CHECK(Has(s, "lot.expires_on"));
  e.mutable_lot()->set_expires_on("2025-11-30");
  CHECK(Check(&e).ok());
}

TEST_CASE("a purchase with a production date needs an expiry, a shelf life or no shelf life",
          "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_shelf_life_days(0);
  Status s = Check(&e);
  CHECK(s.reason() == "SHELF_LIFE_MISSING");
  CHECK(Has(s, "lot.shelf_life_days"));
  e.mutable_lot()->set_no_shelf_life(true);
  REQUIRE(Check(&e).ok());
  CHECK(e.lot().expires_on().empty());
}

TEST_CASE("no shelf life together with an expiry date is a conflict", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_no_shelf_life(true);
  Status s = Check(&e);
  CHECK(s.reason() == "SHELF_LIFE_CONFLICT");
  CHECK(Has(s, "lot.shelf_life_days"));
}

TEST_CASE("an expiry date before the production date is rejected", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_expires_on("2025-04-30");
  Status s = Check(&e);
  CHECK(s.reason() == "EXPIRY_BEFORE_PRODUCTION");
  CHECK(Has(s, "2025-04-30"));
  CHECK(Has(s, "lot.produced_on"));
}

TEST_CASE("goods produced after the purchase date are rejected", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_produced_on("2025-05-31");
  Status s = Check(&e);
  CHECK(s.reason() == "PRODUCED_AFTER_RECEIPT");
  CHECK(Has(s, "lot.produced_on"));
}

TEST_CASE("a date more than two days after today is rejected as in the future", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.set_occurred_on("2025-06-03");  // today + kFutureDaysMax
  CHECK(Check(&e).ok());
  e.set_occurred_on("2026-06-01");
  Status s = Check(&e);
  CHECK(s.reason() == "DATE_IN_FUTURE");
  CHECK(Has(s, "occurred_on"));
  CHECK(Has(s, "2025-06-01"));
  e = Receive();
  e.mutable_lot()->set_produced_on("2025-07-01");
  CHECK(Check(&e).reason() == "DATE_IN_FUTURE");
}

TEST_CASE("a missing or impossible date names the field", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.clear_occurred_on();
  Status s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "occurred_on"));
  e.set_occurred_on("2025-02-30");
  s = Check(&e);
  CHECK(s.reason() == "INVALID_DATE");
  CHECK(Has(s, "occurred_on"));
  e = Receive();
  e.mutable_lot()->set_produced_on("2025/05/01");
  s = Check(&e);
  CHECK(s.reason() == "INVALID_DATE");
  CHECK(Has(s, "lot.produced_on"));
}

TEST_CASE("quantities must be positive and within the limit", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.set_quantity(0);
  Status s = Check(&e);
  CHECK(s.reason() == "QUANTITY_INVALID");
  CHECK(Has(s, "quantity (数量)"));
  e.set_quantity(-3);
  CHECK(Check(&e).reason() == "QUANTITY_INVALID");
  e.set_quantity(kQuantityMax + 1);
  s = Check(&e);
  CHECK(s.reason() == "QUANTITY_TOO_LARGE");
  CHECK(s.code() == Code::kResourceExhausted);
  e.set_quantity(kQuantityMax);
  CHECK(Check(&e).ok());
}

TEST_CASE("an unknown unit is rejected with the list of allowed units", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.set_unit("BOX");
  Status s = Check(&e);
  CHECK(s.reason() == "UNIT_UNKNOWN");
  CHECK(Has(s, "'BOX'"));
  for (const char* unit : {"KGM", "GRM", "LTR", "MLT", "H87"}) CHECK(Has(s, unit));
  e.clear_unit();
  CHECK(Check(&e).reason() == "UNIT_UNKNOWN");
  e.set_unit(" kgm ");
  REQUIRE(Check(&e).ok());
  CHECK(e.unit() == "KGM");
}

TEST_CASE("a shelf life outside 0 to 20 years is rejected", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_shelf_life_days(kShelfLifeDaysMax + 1);
  Status s = Check(&e);
  CHECK(s.reason() == "SHELF_LIFE_RANGE");
  CHECK(Has(s, "lot.shelf_life_days"));
  e.mutable_lot()->set_shelf_life_days(-1);
  CHECK(Check(&e).reason() == "SHELF_LIFE_RANGE");
}

TEST_CASE("a farm-produce purchase needs no specification or dates but a supplier", "[validate]") {
  v1::LedgerEntry e;
  e.set_event_id("veg-0601-01");
  e.set_kind(v1::LedgerEntry::RECEIVE);
  e.set_occurred_on("2025-06-01");
  e.mutable_lot()->set_product_code("VEG-QINGCAI");
  e.mutable_lot()->set_product_name("上海青");
  e.mutable_lot()->set_farm_produce(true);
  e.set_quantity(25);
  e.set_unit("KGM");
  e.mutable_counterparty()->set_name("李建国");
  e.mutable_counterparty()->set_address("萧山区瓜沥镇");
  e.add_documents("承诺达标合格证 330109-0601-017");
  Status s = Check(&e);
  CHECK(s.reason() == "SUPPLIER_INCOMPLETE");
  CHECK(Has(s, "counterparty.contact"));
  e.mutable_counterparty()->set_contact("13905710001");
  CHECK(Check(&e).ok());
  e.mutable_lot()->set_farm_produce(false);
  CHECK(Check(&e).reason() == "FIELD_MISSING");
}

TEST_CASE("a supplier's licence and credit code are checked by their standards", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_counterparty()->set_licence("JY93301020012345");
  Status s = Check(&e);
  CHECK(s.reason() == "LICENCE_FORMAT");
  CHECK(Has(s, "counterparty.licence"));
  e = Receive();
  e.mutable_counterparty()->set_uscc("91350100M000100Y44");
  s = Check(&e);
  CHECK(s.reason() == "USCC_CHECK_CHARACTER");
  CHECK(Has(s, "counterparty.uscc"));
  e.mutable_counterparty()->set_uscc("91350100m000100y43");
  REQUIRE(Check(&e).ok());
  CHECK(e.counterparty().uscc() == "91350100M000100Y43");
}

TEST_CASE("a wholesaler's sale must name its buyer; retail sales need not", "[validate]") {
  v1::LedgerEntry e = Movement(v1::LedgerEntry::SHIP);
  CHECK(Check(&e).ok());
  Status s = Check(&e, Ctx(true));
  CHECK(s.reason() == "BUYER_INCOMPLETE");
  CHECK(Has(s, "counterparty.name"));
  e.set_to_consumers(true);
  CHECK(Check(&e, Ctx(true)).ok());
  e.set_to_consumers(false);
  e.mutable_counterparty()->set_name("城东农贸市场 刘记");
  e.mutable_counterparty()->set_address("城东路8号");
  e.mutable_counterparty()->set_contact("13700002222");
  CHECK(Check(&e, Ctx(true)).ok());
}

TEST_CASE("a sale, disposal or stocktake must identify the lot", "[validate]") {
  for (auto kind : {v1::LedgerEntry::SHIP, v1::LedgerEntry::DISPOSE, v1::LedgerEntry::STOCKTAKE}) {
    v1::LedgerEntry e = Movement(kind);
    e.set_dispose_method("销毁");
    e.mutable_lot()->clear_lot();
    Status s = Check(&e);
    CHECK(s.reason() == "LOT_MISSING");
    CHECK(Has(s, "lot.lot"));
    e.mutable_lot()->set_produced_on("2025-05-01");
    CHECK(Check(&e).ok());
    e.mutable_lot()->clear_gtin();
    CHECK(Check(&e).reason() == "PRODUCT_MISSING");
  }
}

TEST_CASE("a disposal without a method suggests the allowed methods", "[validate]") {
  v1::LedgerEntry e = Movement(v1::LedgerEntry::DISPOSE);
  Status s = Check(&e);
  CHECK(s.reason() == "DISPOSE_METHOD_MISSING");
  CHECK(Has(s, "dispose_method"));
  CHECK(Has(s, "无害化处理"));
  CHECK(Has(s, "退货"));
  e.set_dispose_method("无害化处理");
  CHECK(Check(&e).ok());
}

TEST_CASE("a stocktake may count zero but not less", "[validate]") {
  v1::LedgerEntry e = Movement(v1::LedgerEntry::STOCKTAKE);
  e.set_quantity(0);
  CHECK(Check(&e).ok());
  e.set_quantity(-1);
  CHECK(Check(&e).reason() == "QUANTITY_INVALID");
  e = Movement(v1::LedgerEntry::SHIP);
  e.set_quantity(0);
  CHECK(Check(&e).reason() == "QUANTITY_INVALID");
}

namespace {
v1::LedgerEntry Transform() {
  v1::LedgerEntry e;
  e.set_event_id("x-0001");
  e.set_kind(v1::LedgerEntry::TRANSFORM);
  e.set_occurred_on("2025-06-01");
  v1::TransformLine* in = e.add_inputs();
  in->mutable_lot()->set_gtin("6934567000019");
  in->mutable_lot()->set_lot("P0530");
  in->set_quantity(20);
  in->set_unit("KGM");
  v1::TransformLine* out = e.add_outputs();
  out->mutable_lot()->set_product_code("PORK-MINCE-500");
  out->mutable_lot()->set_lot("X0601");
  out->mutable_lot()->set_product_name("猪肉馅");
  out->mutable_lot()->set_produced_on("2025-06-01");
  out->mutable_lot()->set_shelf_life_days(3);
  out->set_quantity(38);
  out->set_unit("H87");
  return e;
}
}  // namespace

TEST_CASE("a transformation needs inputs and outputs, each a valid lot line", "[validate]") {
  v1::LedgerEntry e = Transform();
  REQUIRE(Check(&e).ok());
  CHECK(e.outputs(0).lot().expires_on() == "2025-06-03");
  e = Transform();
  e.clear_inputs();
  Status s = Check(&e);
  CHECK(s.reason() == "TRANSFORM_LINES_MISSING");
  CHECK(Has(s, "inputs"));
  e = Transform();
  e.mutable_inputs(0)->set_unit("BAG");
  s = Check(&e);
  CHECK(s.reason() == "UNIT_UNKNOWN");
  CHECK(Has(s, "inputs[0].unit"));
  e = Transform();
  for (std::size_t i = 0; i < kTransformLinesMax; ++i) *e.add_inputs() = e.inputs(0);
  s = Check(&e);
  CHECK(s.reason() == "LIST_TOO_LONG");
  CHECK(s.code() == Code::kResourceExhausted);
}

TEST_CASE("a transformation output states its own name and expiry; nothing is inherited",
          "[validate]") {
  v1::LedgerEntry e = Transform();
  e.mutable_outputs(0)->mutable_lot()->set_shelf_life_days(0);
  Status s = Check(&e);
  CHECK(s.reason() == "SHELF_LIFE_MISSING");
  CHECK(Has(s, "outputs[0].lot.expires_on"));
  e = Transform();
  e.mutable_outputs(0)->mutable_lot()->clear_product_name();
  s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "outputs[0].lot.product_name"));
  e = Transform();
  e.mutable_outputs(0)->mutable_lot()->clear_produced_on();
  CHECK(Check(&e).reason() == "EXPIRY_UNKNOWN");
}

TEST_CASE("a correction needs the corrected event id and a reason", "[validate]") {
  v1::LedgerEntry e;
  e.set_event_id("c-0001");
  e.set_kind(v1::LedgerEntry::CORRECT);
  Status s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "corrects_event_id"));
  e.set_corrects_event_id("r-0001");
  s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "reason"));
  e.set_reason("数量录入错误");
  CHECK(Check(&e).ok());  // a reversal only
  e.set_corrects_event_id("c-0001");
  CHECK(Check(&e).reason() == "CORRECTION_ID_REUSED");
}

TEST_CASE("a correction's replacement is validated as an entry and gets its own id", "[validate]") {
  v1::LedgerEntry e;
  e.set_event_id("c-0002");
  e.set_kind(v1::LedgerEntry::CORRECT);
  e.set_corrects_event_id("r-0001");
  e.set_reason("数量应为24袋");
  *e.mutable_replacement() = Receive();
  e.mutable_replacement()->clear_event_id();
  e.mutable_replacement()->set_quantity(24);
  REQUIRE(Check(&e).ok());
  CHECK(e.replacement().event_id() == "c-0002#r");
  CHECK(e.replacement().lot().gtin() == "06901234567892");
  e.mutable_replacement()->set_quantity(0);
  Status s = Check(&e);
  CHECK(s.reason() == "QUANTITY_INVALID");
  CHECK(Has(s, "replacement: quantity"));
  e.mutable_replacement()->set_quantity(24);
  e.mutable_replacement()->set_event_id("r-0001");
  CHECK(Check(&e).reason() == "CORRECTION_ID_REUSED");
  e.mutable_replacement()->set_kind(v1::LedgerEntry::CORRECT);
  CHECK(Check(&e).reason() == "CORRECTION_NESTED");
}

TEST_CASE("identifiers are limited to their safe character sets", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.set_event_id("r 0001");
  Status s = Check(&e);
  CHECK(s.reason() == "ID_FORMAT");
  CHECK(Has(s, "event_id"));
  e.set_event_id("");
  CHECK(Check(&e).reason() == "FIELD_MISSING");
  e = Receive();
  e.mutable_lot()->set_lot("批次2025-05(A)");
  CHECK(Check(&e).ok());
  e.mutable_lot()->set_lot("B 05");
  s = Check(&e);
  CHECK(s.reason() == "ID_FORMAT");
  CHECK(Has(s, "lot.lot"));
  e.mutable_lot()->set_lot("B|05");
  CHECK(Check(&e).reason() == "ID_FORMAT");
  e = Receive();
  e.mutable_counterparty()->set_party_id("s/lianhua");
  s = Check(&e);
  CHECK(s.reason() == "ID_FORMAT");
  CHECK(Has(s, "counterparty.party_id"));
  e = Receive();
  e.set_event_id(std::string(kIdBytesMax + 1, 'a'));
  s = Check(&e);
  CHECK(s.reason() == "FIELD_TOO_LONG");
  CHECK(s.code() == Code::kResourceExhausted);
}

TEST_CASE("text fields must be UTF-8 without control characters and within limits", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.mutable_lot()->set_product_name(std::string(kNameBytesMax + 1, 'x'));
  Status s = Check(&e);
  CHECK(s.reason() == "FIELD_TOO_LONG");
  CHECK(Has(s, "lot.product_name"));
  e = Receive();
  e.mutable_counterparty()->set_address("望江路\x01号");
  s = Check(&e);
  CHECK(s.reason() == "FIELD_ENCODING");
  CHECK(Has(s, "counterparty.address"));
  e = Receive();
  e.set_note("\xff\xfe");
  CHECK(Check(&e).reason() == "FIELD_ENCODING");
}

TEST_CASE("document references are bounded and none may be empty", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.add_documents("  ");
  Status s = Check(&e);
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "documents[1]"));
  e = Receive();
  for (std::size_t i = 0; i < kDocumentsMax; ++i) e.add_documents("检验报告 " + std::to_string(i));
  s = Check(&e);
  CHECK(s.reason() == "LIST_TOO_LONG");
  CHECK(Has(s, "documents"));
}

TEST_CASE("an entry without a known kind is rejected", "[validate]") {
  v1::LedgerEntry e = Receive();
  e.set_kind(v1::LedgerEntry::KIND_UNSPECIFIED);
  CHECK(Check(&e).reason() == "KIND_UNKNOWN");
  e.set_kind(static_cast<v1::LedgerEntry::Kind>(99));
  CHECK(Check(&e).reason() == "KIND_UNKNOWN");
}

TEST_CASE("an item dispatches to its body and an empty item is rejected", "[validate]") {
  v1::Item item;
  Status s = ValidateItem(&item, Ctx());
  CHECK(s.reason() == "ITEM_EMPTY");
  *item.mutable_entry() = Receive();
  REQUIRE(ValidateItem(&item, Ctx()).ok());
  CHECK(item.entry().lot().gtin() == "06901234567892");
  *item.mutable_party() = Vendor();
  item.mutable_party()->clear_name();
  CHECK(ValidateItem(&item, Ctx()).reason() == "FIELD_MISSING");
}

TEST_CASE("a registered vendor is normalised and its identifiers checked", "[validate]") {
  v1::Party p = Vendor();
  p.set_id_card("11010519491231002x");
  REQUIRE(ValidateParty(&p, Ctx()).ok());
  CHECK(p.licence() == "JY13301020012345");
  CHECK(p.id_card() == "11010519491231002X");
  p = Vendor();
  p.set_uscc("91350100M000100Y44");
  Status s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "USCC_CHECK_CHARACTER");
  CHECK(Has(s, "uscc"));
  p = Vendor();
  p.set_id_card("110105194912310021");
  CHECK(ValidateParty(&p, Ctx()).reason() == "ID_CARD_CHECK_CHARACTER");
  p = Vendor();
  p.set_licence("JY1330102001234");
  s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "LICENCE_FORMAT");
  CHECK(Has(s, "licence"));
  p = Vendor();
  p.set_party_id("v hz");
  CHECK(ValidateParty(&p, Ctx()).reason() == "ID_FORMAT");
  p = Vendor();
  p.set_kind(v1::Party::KIND_UNSPECIFIED);
  CHECK(ValidateParty(&p, Ctx()).reason() == "KIND_UNKNOWN");
}

TEST_CASE("a vendor or supplier without a licence must be licence-exempt", "[validate]") {
  v1::Party p = Vendor();
  p.clear_licence();
  Status s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "LICENCE_MISSING");
  CHECK(Has(s, "licence"));
  CHECK(Has(s, "licence_exempt"));
  p.set_licence_exempt(true);
  CHECK(ValidateParty(&p, Ctx()).ok());
  p = Vendor();
  p.clear_licence();
  p.set_kind(v1::Party::KIOSK);
  CHECK(ValidateParty(&p, Ctx()).ok());
}

TEST_CASE("a licence valid for more than five years is rejected", "[validate]") {
  v1::Party p = Vendor();
  p.set_licence_valid_from("2021-03-01");
  p.set_licence_valid_to("2026-03-01");
  CHECK(ValidateParty(&p, Ctx()).ok());
  p.set_licence_valid_to("2026-03-02");
  Status s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "LICENCE_VALIDITY");
  CHECK(Has(s, "licence_valid_to"));
  p.set_licence_valid_to("2021-02-28");
  CHECK(ValidateParty(&p, Ctx()).reason() == "LICENCE_VALIDITY");
  p.set_licence_valid_to("2021-02-30");
  CHECK(ValidateParty(&p, Ctx()).reason() == "INVALID_DATE");
}

TEST_CASE("a CURVE public key must be 40 Z85 characters", "[validate]") {
  v1::Party p = Vendor();
  p.set_curve_public_key("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7");
  CHECK(ValidateParty(&p, Ctx()).ok());
  p.set_curve_public_key("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf");
  Status s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "CURVE_KEY_FORMAT");
  CHECK(Has(s, "curve_public_key"));
  p.set_curve_public_key("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf\"");
  CHECK(ValidateParty(&p, Ctx()).reason() == "CURVE_KEY_FORMAT");
}

TEST_CASE("credit and risk classes are A to D", "[validate]") {
  v1::Party p = Vendor();
  p.set_credit_class("b");
  REQUIRE(ValidateParty(&p, Ctx()).ok());
  CHECK(p.credit_class() == "B");
  p.set_risk_level("E");
  Status s = ValidateParty(&p, Ctx());
  CHECK(s.reason() == "CLASS_UNKNOWN");
  CHECK(Has(s, "risk_level"));
}

TEST_CASE("a product needs an identity, a name and a shelf life in range", "[validate]") {
  v1::Product p;
  p.set_name("纯牛奶");
  Status s = ValidateProduct(&p, Ctx());
  CHECK(s.reason() == "PRODUCT_MISSING");
  p.set_gtin("6948800102033");
  REQUIRE(ValidateProduct(&p, Ctx()).ok());
  CHECK(p.gtin() == "06948800102033");
  p.set_shelf_life_days(-5);
  CHECK(ValidateProduct(&p, Ctx()).reason() == "SHELF_LIFE_RANGE");
  p.set_shelf_life_days(180);
  p.clear_name();
  s = ValidateProduct(&p, Ctx());
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "product_name"));
}

TEST_CASE("a scan keeps its raw code with group separators within the limit", "[validate]") {
  v1::Scan scan;
  scan.set_event_id("k1-000042");
  Status s = ValidateScan(&scan, Ctx());
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "raw_code"));
  scan.set_raw_code(
      "0106901234567892\x1d"
      "10B20250501\x1d"
      "17251027");
  scan.set_gtin("6901234567892");
  REQUIRE(ValidateScan(&scan, Ctx()).ok());
  CHECK(scan.gtin() == "06901234567892");
  scan.set_raw_code(std::string(kScanCodeBytesMax + 1, '0'));
  s = ValidateScan(&scan, Ctx());
  CHECK(s.reason() == "FIELD_TOO_LONG");
  CHECK(Has(s, "raw_code"));
  scan.set_raw_code("0106901234567892\n");
  CHECK(ValidateScan(&scan, Ctx()).reason() == "FIELD_ENCODING");
}

namespace {
v1::Recall Recall() {
  v1::Recall r;
  r.set_recall_id("HZ-2025-017");
  r.set_level(v1::Recall::II);
  r.set_gtin("6901234567892");
  r.add_lots("B20250501");
  r.set_reason("菌落总数超标");
  return r;
}
}  // namespace

TEST_CASE("a recall needs a level, a product, a scope and a reason", "[validate]") {
  v1::Recall r = Recall();
  REQUIRE(ValidateRecall(&r, Ctx()).ok());
  r.set_level(v1::Recall::LEVEL_UNSPECIFIED);
  Status s = ValidateRecall(&r, Ctx());
  CHECK(s.reason() == "RECALL_LEVEL_MISSING");
  CHECK(Has(s, "24 h"));
  r = Recall();
  r.clear_lots();
  CHECK(ValidateRecall(&r, Ctx()).reason() == "RECALL_SCOPE_MISSING");
  r.set_produced_from("2025-05-01");
  s = ValidateRecall(&r, Ctx());
  CHECK(s.reason() == "RECALL_SCOPE_MISSING");
  CHECK(Has(s, "produced_to"));
  r.set_produced_to("2025-05-20");
  CHECK(ValidateRecall(&r, Ctx()).ok());
  r.set_produced_to("2025-04-20");
  CHECK(ValidateRecall(&r, Ctx()).reason() == "DATE_RANGE_REVERSED");
  r = Recall();
  r.clear_reason();
  s = ValidateRecall(&r, Ctx());
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "reason"));
  r = Recall();
  r.clear_gtin();
  CHECK(ValidateRecall(&r, Ctx()).reason() == "PRODUCT_MISSING");
}

TEST_CASE("a test result names party, product, lot, item and a past date", "[validate]") {
  v1::TestResult t;
  t.set_test_id("T-20250601-03");
  t.set_party_id("v-hz-0012");
  t.set_product_code("VEG-QINGCAI");
  t.set_lot("20250601");
  t.set_item("农药残留 (有机磷)");
  t.set_tested_on("2025-06-01");
  REQUIRE(ValidateTestResult(&t, Ctx()).ok());
  t.clear_lot();
  Status s = ValidateTestResult(&t, Ctx());
  CHECK(s.reason() == "FIELD_MISSING");
  CHECK(Has(s, "lot"));
  t.set_lot("20250601");
  t.set_tested_on("2025-07-01");
  CHECK(ValidateTestResult(&t, Ctx()).reason() == "DATE_IN_FUTURE");
}

TEST_CASE("a webhook needs an http(s) URL with a host and a 16 to 128 byte secret", "[validate]") {
  v1::Webhook w;
  w.set_webhook_id("wh-hz-1");
  w.set_url("HTTPS://alerts.example.gov.cn:8443/foodtrace?x=1");
  w.set_secret(std::string(kWebhookSecretBytesMin, 's'));
  w.add_kinds("recalled_in_stock");
  REQUIRE(ValidateWebhook(&w, Ctx()).ok());
  CHECK(w.url() == "https://alerts.example.gov.cn:8443/foodtrace?x=1");
  CHECK(w.kinds(0) == "RECALLED_IN_STOCK");
  for (const char* url :
       {"ftp://example.cn/x", "https:///path", "http://user@host/", "alerts.example.cn"}) {
    w.set_url(url);
    Status s = ValidateWebhook(&w, Ctx());
    CHECK(s.reason() == "WEBHOOK_URL");
    CHECK(Has(s, "url"));
  }
  w.set_url("http://10.0.0.8/hook");
  w.set_secret(std::string(kWebhookSecretBytesMin - 1, 's'));
  CHECK(ValidateWebhook(&w, Ctx()).reason() == "WEBHOOK_SECRET");
  w.set_secret(std::string(kWebhookSecretBytesMax + 1, 's'));
  CHECK(ValidateWebhook(&w, Ctx()).reason() == "WEBHOOK_SECRET");
  w.set_secret(std::string(kWebhookSecretBytesMax, 's'));
  w.add_kinds("EVERYTHING");
  Status s = ValidateWebhook(&w, Ctx());
  CHECK(s.reason() == "ALERT_KIND_UNKNOWN");
  CHECK(Has(s, "kinds[1]"));
}
