// Proves the ledger's registries do their part on the write path: packs and piece contents
// declared on products convert quantities exactly, GLNs name parties (and are checked), EPCIS
// event ids are idempotent whatever else the retry says, registered products complete entries,
// aggregation moves nothing, and Verify still rebuilds every index from the log.
#include <catch2/catch.hpp>

#include "support/ledger_fixture.h"

using namespace foodtrace;
using namespace foodtrace::testing;
using E = v1::LedgerEntry;
using S = v1::ItemResult;

namespace {

constexpr char kGlnW1[] = "0614141000012";  // valid GS1 check digits
constexpr char kGlnV1[] = "6901234000016";

v1::Item ProductItem(const std::string& gtin) {
  v1::Item item;
  v1::Product* p = item.mutable_product();
  p->set_gtin(gtin);
  p->set_name("纯牛奶");
  p->set_specification("250ml");
  p->set_shelf_life_days(180);
  v1::PackSize* box = p->add_packs();
  box->set_name("箱");
  box->set_quantity(24);
  box->set_unit("H87");
  p->set_piece_quantity(250);
  p->set_piece_unit("MLT");
  return item;
}

struct Registry {
  TempDir dir;
  std::unique_ptr<ledger::Ledger> l = OpenLedger(dir.sub("db"));
  const std::string gtin = Gtin(77);
  Registry() {
    v1::Item w1 = PartyItem("W1", v1::Party::SUPPLIER);
    w1.mutable_party()->add_glns(kGlnW1);
    w1.mutable_party()->set_producer(true);
    v1::Item v1p = PartyItem("V1", v1::Party::VENDOR);
    v1p.mutable_party()->add_glns(kGlnV1);
    for (const auto& r : Write(*l, "operator", {w1, v1p})) FT_CHECK(r.status() == S::ACCEPTED);
    for (const auto& r : Write(*l, "W1", {ProductItem(gtin)})) FT_CHECK(r.status() == S::ACCEPTED);
  }
  std::int64_t OnHand(const std::string& party, const std::string& lot) {
    auto h = l->GetHolding(party, gtin, lot);
    FT_CHECK(h.ok());
    return h->quantity();
  }
};

}  // namespace

TEST_CASE("an entry counted in a product's declared packs is stored in the pack's contents", "[ledger][units]") {
  Registry r;
  v1::Item in = Entry(E::RECEIVE, "r1", Lot(r.gtin, "L1"), 0);
  in.mutable_entry()->clear_unit();
  in.mutable_entry()->set_pack("箱");
  in.mutable_entry()->set_pack_count(2);
  auto res = Write(*r.l, "V1", {in});
  INFO(res[0].message());
  REQUIRE(res[0].status() == S::ACCEPTED);
  CHECK(r.OnHand("V1", "L1") == 48);
  auto stored = r.l->ReadEvent(res[0].sequence());
  REQUIRE(stored.ok());
  CHECK(stored->entry().quantity() == 48);
  CHECK(stored->entry().unit() == "H87");
  CHECK(stored->entry().pack_count() == 2);  // what the vendor typed stays in the record

  v1::Item unknown = in;
  unknown.mutable_entry()->set_event_id("r2");
  unknown.mutable_entry()->set_pack("托盘");
  auto refused = Write(*r.l, "V1", {unknown});
  CHECK(refused[0].status() == S::REJECTED);
  CHECK(refused[0].code() == "PACK_UNKNOWN");
  // A pack word the product does not declare keeps the quantity sent with it (CSV "袋" = pieces).
  unknown.mutable_entry()->set_event_id("r3");
  unknown.mutable_entry()->set_quantity(5);
  unknown.mutable_entry()->set_unit("H87");
  CHECK(Write(*r.l, "V1", {unknown})[0].status() == S::ACCEPTED);
  CHECK(r.OnHand("V1", "L1") == 53);
}

TEST_CASE("a lot counted in pieces takes a sale in litres through the declared piece content", "[ledger][units]") {
  Registry r;
  REQUIRE(Write(*r.l, "V1", {Entry(E::RECEIVE, "r1", Lot(r.gtin, "L1"), 24)})[0].status() == S::ACCEPTED);
  v1::Item sale = Entry(E::SHIP, "s1", Lot(r.gtin, "L1"), 3, "", "2026-11-02", "LTR");
  auto res = Write(*r.l, "V1", {sale});
  INFO(res[0].message());
  REQUIRE(res[0].status() == S::ACCEPTED);
  CHECK(r.OnHand("V1", "L1") == 12);  // 3 litres are 12 bottles of 250 ml
  v1::Item odd = Entry(E::SHIP, "s2", Lot(r.gtin, "L1"), 1100, "", "2026-11-02", "MLT");
  auto refused = Write(*r.l, "V1", {odd});
  CHECK(refused[0].status() == S::REJECTED);
  CHECK(refused[0].code() == "QUANTITY_NOT_EXACT");
  CHECK(r.OnHand("V1", "L1") == 12);
}

TEST_CASE("a GLN names its party: owner and counterparty resolve, unknown and bad GLNs are refused", "[ledger][gln]") {
  Registry r;
  auto found = r.l->FindPartyByGln(kGlnW1);
  REQUIRE(found.ok());
  CHECK(found->party_id() == "W1");
  // The operator records a shipment at W1's location to V1's GLN: both resolve.
  v1::Item ship = Entry(E::SHIP, "s1", Lot(r.gtin, "L2"), 10);
  ship.mutable_entry()->set_to_consumers(false);
  ship.mutable_entry()->set_location_gln(kGlnW1);
  ship.mutable_entry()->mutable_counterparty()->set_gln(kGlnV1);
  auto res = Write(*r.l, "operator", {ship});
  INFO(res[0].message());
  REQUIRE(res[0].status() == S::ACCEPTED);
  auto flows = r.l->LotFlows(r.gtin, "L2");
  REQUIRE(flows.ok());
  REQUIRE(flows->size() == 1);
  CHECK((*flows)[0].from == "W1");
  CHECK((*flows)[0].to == "V1");

  v1::Item unknown = Entry(E::RECEIVE, "r9", Lot(r.gtin, "L2"), 1);
  unknown.mutable_entry()->clear_counterparty();
  unknown.mutable_entry()->mutable_counterparty()->set_gln("0614141999996");
  auto refused = Write(*r.l, "V1", {unknown});
  CHECK(refused[0].code() == "UNKNOWN_GLN");
  unknown.mutable_entry()->mutable_counterparty()->set_gln("0614141999997");
  CHECK(Write(*r.l, "V1", {unknown})[0].code() == "GLN_CHECK_DIGIT");
  v1::Item thief = PartyItem("V9", v1::Party::VENDOR);
  thief.mutable_party()->add_glns(kGlnW1);
  CHECK(Write(*r.l, "operator", {thief})[0].code() == "GLN_IN_USE");
  v1::Item elsewhere = Entry(E::RECEIVE, "r10", Lot(r.gtin, "L2"), 1);
  elsewhere.mutable_entry()->set_party_id("V1");
  elsewhere.mutable_entry()->set_location_gln(kGlnW1);
  CHECK(Write(*r.l, "V1", {elsewhere})[0].code() == "GLN_NOT_OF_PARTY");
}

TEST_CASE("an EPCIS event is recorded once, however the retry differs", "[ledger][epcis]") {
  Registry r;
  v1::Item in = Entry(E::RECEIVE, "urn:uuid:1", Lot(r.gtin, "L3"), 6);
  in.mutable_entry()->set_epcis_event_id("urn:uuid:1");
  auto first = Write(*r.l, "V1", {in});
  REQUIRE(first[0].status() == S::ACCEPTED);
  v1::Item again = in;
  again.mutable_entry()->set_event_id("epcis:other");
  again.mutable_entry()->clear_counterparty();  // would fail validation as a new entry
  auto second = Write(*r.l, "V1", {again});
  CHECK(second[0].status() == S::DUPLICATE);
  CHECK(second[0].sequence() == first[0].sequence());
  CHECK(r.OnHand("V1", "L3") == 6);
  auto line = r.l->FindEpcisEvent("urn:uuid:1");
  REQUIRE(line.ok());
  CHECK(line->sequence == first[0].sequence());
  CHECK(r.l->FindEntry("V1", "urn:uuid:1")->sequence == first[0].sequence());
  CHECK(r.l->FindEpcisEvent("urn:uuid:2").status().code() == Code::kNotFound);
}

TEST_CASE("a registered product completes an entry that names only its GTIN and lot", "[ledger][products]") {
  Registry r;
  v1::Item in = Entry(E::RECEIVE, "r1", Lot(r.gtin, "L4"), 2);
  v1::LotRef* lot = in.mutable_entry()->mutable_lot();
  lot->clear_product_name();
  lot->clear_specification();
  lot->clear_expires_on();  // the product's 180-day shelf life gives it
  auto res = Write(*r.l, "V1", {in});
  INFO(res[0].message());
  REQUIRE(res[0].status() == S::ACCEPTED);
  auto stored = r.l->GetLot(r.gtin, "L4");
  REQUIRE(stored.ok());
  CHECK(stored->ref().product_name() == "纯牛奶");
  CHECK(stored->ref().expires_on() == "2027-03-29");  // 2026-10-01 + 180 days − 1
  // An unknown GTIN keeps working as before: the label facts are required.
  v1::Item other = in;
  other.mutable_entry()->set_event_id("r2");
  other.mutable_entry()->mutable_lot()->set_gtin(Gtin(78));
  CHECK(Write(*r.l, "V1", {other})[0].code() == "FIELD_MISSING");
}

TEST_CASE("packing lots into a logistic unit moves nothing; a producer packs lots without inputs", "[ledger][epcis]") {
  Registry r;
  REQUIRE(Write(*r.l, "V1", {Entry(E::RECEIVE, "r1", Lot(r.gtin, "L5"), 24)})[0].status() == S::ACCEPTED);
  v1::Item agg;
  E* e = agg.mutable_entry();
  e->set_event_id("a1");
  e->set_kind(E::AGGREGATE);
  e->set_occurred_on("2026-11-03");
  e->set_parent_id("urn:epc:id:sscc:0614141.1234567890");
  v1::TransformLine* line = e->add_inputs();
  *line->mutable_lot() = Lot(r.gtin, "L5");
  line->set_quantity(24);
  line->set_unit("H87");
  auto res = Write(*r.l, "V1", {agg});
  INFO(res[0].message());
  CHECK(res[0].status() == S::ACCEPTED);
  CHECK(r.OnHand("V1", "L5") == 24);

  v1::Item pack;
  E* p = pack.mutable_entry();
  p->set_event_id("pack1");
  p->set_kind(E::TRANSFORM);
  p->set_occurred_on("2026-11-03");
  v1::TransformLine* out = p->add_outputs();
  *out->mutable_lot() = Lot(r.gtin, "P1");
  out->set_quantity(100);
  out->set_unit("H87");
  CHECK(Write(*r.l, "W1", {pack})[0].status() == S::ACCEPTED);  // W1 is a producer
  pack.mutable_entry()->set_event_id("pack2");
  CHECK(Write(*r.l, "V1", {pack})[0].code() == "TRANSFORM_LINES_MISSING");
  auto holding = r.l->GetHolding("W1", r.gtin, "P1");
  REQUIRE(holding.ok());
  CHECK(holding->quantity() == 100);

  const std::string path = r.dir.sub("db");
  r.l.reset();
  auto report = ledger::Ledger::Verify(path);
  REQUIRE(report.ok());
  INFO(report->problem);
  CHECK(report->first_bad_sequence == 0);
}
