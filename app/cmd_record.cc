// `foodtrace record receive|ship|dispose|stocktake|transform|correct`: one ledger entry.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "foodtrace/common/crypto.h"
#include "foodtrace/common/date.h"
#include "foodtrace/common/quantity.h"
#include "foodtrace/v1/records.pb.h"

namespace foodtrace::app {
namespace {

using E = v1::LedgerEntry;

struct RecordFlags {
  ClientFlags client;
  v1::LedgerEntry entry;
  std::string quantity;  // as typed: "12", "15.5" (converted exactly by common/quantity.h)
  std::vector<std::string> inputs, outputs;
  std::string output_name, output_spec, output_expires;
};

// Parses "GTIN_OR_CODE:LOT:QUANTITY:UNIT" for a transform line.
Result<v1::TransformLine> ParseLine(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = text.find(':', start)) != std::string::npos; start = pos + 1) {
    parts.push_back(text.substr(start, pos - start));
  }
  parts.push_back(text.substr(start));
  v1::TransformLine line;
  if (parts.size() != 4) {
    return Status::Invalid("USAGE", "transform line '" + text + "' must be GTIN:LOT:QUANTITY:UNIT");
  }
  const bool digits = parts[0].find_first_not_of("0123456789") == std::string::npos;
  if (digits) {
    line.mutable_lot()->set_gtin(parts[0]);
  } else {
    line.mutable_lot()->set_product_code(parts[0]);
  }
  line.mutable_lot()->set_lot(parts[1]);
  try {
    line.set_quantity(std::stoll(parts[2]));
  } catch (const std::exception&) {
    return Status::Invalid("USAGE", "transform line '" + text + "' has no whole-number quantity");
  }
  line.set_unit(parts[3]);
  return line;
}

int PrintResult(const ClientFlags& flags, const v1::ItemResult& r, const std::string& event_id) {
  const std::string status = v1::ItemResult::Status_Name(r.status());
  if (flags.json) {
    nlohmann::json out = {{"event_id", event_id}, {"status", status}};
    if (r.status() != v1::ItemResult::REJECTED) out["sequence"] = r.sequence();
    if (!r.code().empty()) out["code"] = r.code();
    if (!r.message().empty()) out["message"] = r.message();
    std::printf("%s\n", out.dump().c_str());
  } else if (r.status() == v1::ItemResult::REJECTED) {
    std::fprintf(stderr, "foodtrace: %s REJECTED %s: %s\n", event_id.c_str(), r.code().c_str(),
                 r.message().c_str());
  } else {
    std::printf("%s %s, sequence %llu\n", event_id.c_str(), status.c_str(),
                static_cast<unsigned long long>(r.sequence()));
  }
  return r.status() == v1::ItemResult::REJECTED ? 1 : 0;
}

// The typed quantity, in packs (--pack with --quantity counting them) or in --unit.
Status SetQuantity(RecordFlags& f) {
  v1::LedgerEntry& e = f.entry;
  if (f.quantity.empty()) {
    return e.kind() == E::TRANSFORM || e.kind() == E::CORRECT
               ? Status::Ok()
               : Status::Invalid("USAGE", "--quantity is required: how much, in --unit or in --pack");
  }
  if (!e.pack().empty()) {
    auto count = ParseQuantity(f.quantity, "H87");
    if (!count.ok()) return Status::Invalid("PACK_COUNT_INVALID", "--quantity counts whole packs (" + e.pack() + ") here");
    e.set_pack_count(count->amount);
    e.set_quantity(0);
    e.clear_unit();
    return Status::Ok();
  }
  auto q = ParseQuantity(f.quantity, e.unit());
  if (!q.ok()) return q.status();
  e.set_quantity(q->amount);
  e.set_unit(q->unit);
  return Status::Ok();
}

int Record(RecordFlags& f) {
  v1::LedgerEntry& e = f.entry;
  if (e.event_id().empty()) e.set_event_id("cli-" + RandomHex(8));
  if (Status st = SetQuantity(f); !st.ok()) return Fail(st);
  for (const auto& text : f.inputs) {
    auto line = ParseLine(text);
    if (!line.ok()) return Fail(line.status());
    *e.add_inputs() = *line;
  }
  for (const auto& text : f.outputs) {
    auto line = ParseLine(text);
    if (!line.ok()) return Fail(line.status());
    line->mutable_lot()->set_product_name(f.output_name);
    line->mutable_lot()->set_specification(f.output_spec);
    line->mutable_lot()->set_expires_on(f.output_expires);
    *e.add_outputs() = *line;
  }
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  if (e.occurred_on().empty()) {  // the market's today, as the server decides it
    auto clock = AskClock(**client);
    if (!clock.ok()) return Fail(clock.status());
    e.set_occurred_on(clock->today.ToString());
  }
  std::vector<v1::Item> items(1);
  *items[0].mutable_entry() = e;
  auto results = (*client)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  return PrintResult(f.client, (*results)[0], e.event_id());
}

template <class Setter>
CLI::Option* Opt(CLI::App* cmd, const std::string& name, const std::string& help, Setter setter) {
  return cmd->add_option_function<std::string>(name, setter, help);
}

void AddLotFlags(CLI::App* cmd, RecordFlags* f) {
  v1::LotRef* lot = f->entry.mutable_lot();
  Opt(cmd, "--gtin", "product GTIN (8, 12, 13 or 14 digits)", [lot](const std::string& v) { lot->set_gtin(v); });
  Opt(cmd, "--product-code", "registered code of a product without GTIN", [lot](const std::string& v) { lot->set_product_code(v); });
  Opt(cmd, "--lot", "lot / batch code (批号)", [lot](const std::string& v) { lot->set_lot(v); });
  Opt(cmd, "--name", "product name (商品名称)", [lot](const std::string& v) { lot->set_product_name(v); });
  Opt(cmd, "--spec", "specification (规格)", [lot](const std::string& v) { lot->set_specification(v); });
  Opt(cmd, "--produced-on", "production date YYYY-MM-DD", [lot](const std::string& v) { lot->set_produced_on(v); });
  Opt(cmd, "--expires-on", "expiry date (保质期至) YYYY-MM-DD", [lot](const std::string& v) { lot->set_expires_on(v); });
  cmd->add_option_function<int>("--shelf-life-days", [lot](int v) { lot->set_shelf_life_days(v); }, "shelf life in days");
  cmd->add_flag_callback("--farm-produce", [lot] { lot->set_farm_produce(true); }, "食用农产品 (rule 4 fields)");
  cmd->add_option("--quantity", f->quantity, "quantity in --unit (15.5 KGM is stored as 15500 GRM), or packs with --pack");
  Opt(cmd, "--unit", "KGM, GRM, LTR, MLT or H87 (pieces)", [f](const std::string& v) { f->entry.set_unit(v); });
  Opt(cmd, "--pack", "count --quantity in this pack declared on the product (箱, carton …; foodtrace product add --pack)",
      [f](const std::string& v) { f->entry.set_pack(v); });
  Opt(cmd, "--location-gln", "the GLN of the place it happened (one of the party's GLNs)",
      [f](const std::string& v) { f->entry.set_location_gln(v); });
}

void AddCounterpartyFlags(CLI::App* cmd, RecordFlags* f, const std::string& role) {
  v1::Counterparty* c = f->entry.mutable_counterparty();
  Opt(cmd, "--counterparty", "registered " + role + " party id", [c](const std::string& v) { c->set_party_id(v); });
  Opt(cmd, "--counterparty-name", role + " name if not registered", [c](const std::string& v) { c->set_name(v); });
  Opt(cmd, "--counterparty-address", role + " address", [c](const std::string& v) { c->set_address(v); });
  Opt(cmd, "--counterparty-contact", role + " contact", [c](const std::string& v) { c->set_contact(v); });
  Opt(cmd, "--counterparty-licence", role + " licence number", [c](const std::string& v) { c->set_licence(v); });
  Opt(cmd, "--counterparty-gln", role + " location GLN (a registered party's GLN names that party)",
      [c](const std::string& v) { c->set_gln(v); });
}

CLI::App* AddKind(CLI::App* record, int* exit_code, const std::string& name, const std::string& help,
                  E::Kind kind, std::shared_ptr<RecordFlags>* out) {
  auto f = std::make_shared<RecordFlags>();
  f->entry.set_kind(kind);
  f->entry.set_unit("H87");
  CLI::App* cmd = record->add_subcommand(name, help);
  AddClientFlags(cmd, &f->client);
  Opt(cmd, "--event-id", "your id for this entry (retries with it are never counted twice)",
      [f](const std::string& v) { f->entry.set_event_id(v); });
  Opt(cmd, "--date", "when it happened, YYYY-MM-DD (default today)", [f](const std::string& v) { f->entry.set_occurred_on(v); });
  Opt(cmd, "--party", "record for this party (markets for their vendors)", [f](const std::string& v) { f->entry.set_party_id(v); });
  cmd->add_option_function<std::vector<std::string>>("--document", [f](const std::vector<std::string>& v) {
    for (const auto& d : v) f->entry.add_documents(d);
  }, "certificate / test report reference (repeatable)");
  Opt(cmd, "--note", "free note", [f](const std::string& v) { f->entry.set_note(v); });
  cmd->callback([f, exit_code] { *exit_code = Record(*f); });
  *out = f;
  return cmd;
}

}  // namespace

void AddRecordCommand(CLI::App* app, int* exit_code) {
  CLI::App* record = app->add_subcommand("record", "record one ledger entry");
  record->require_subcommand(1);
  std::shared_ptr<RecordFlags> f;
  CLI::App* cmd = AddKind(record, exit_code, "receive", "a purchase (进货)", E::RECEIVE, &f);
  AddLotFlags(cmd, f.get());
  AddCounterpartyFlags(cmd, f.get(), "supplier");
  cmd = AddKind(record, exit_code, "ship", "a sale (销货)", E::SHIP, &f);
  AddLotFlags(cmd, f.get());
  AddCounterpartyFlags(cmd, f.get(), "buyer");
  auto* ship = f.get();
  cmd->add_flag_callback("--to-consumers", [ship] { ship->entry.set_to_consumers(true); }, "retail sales to consumers");
  cmd = AddKind(record, exit_code, "dispose", "destroyed, treated or returned goods", E::DISPOSE, &f);
  AddLotFlags(cmd, f.get());
  auto* dispose = f.get();
  Opt(cmd, "--method", "无害化处理 | 销毁 | 退货", [dispose](const std::string& v) { dispose->entry.set_dispose_method(v); });
  cmd = AddKind(record, exit_code, "stocktake", "counted stock on hand (盘点)", E::STOCKTAKE, &f);
  AddLotFlags(cmd, f.get());
  cmd = AddKind(record, exit_code, "transform", "cutting, repacking or mixing lots", E::TRANSFORM, &f);
  auto* t = f.get();
  cmd->add_option("--input", t->inputs, "consumed GTIN:LOT:QUANTITY:UNIT (repeatable)")->required();
  cmd->add_option("--output", t->outputs, "produced GTIN:LOT:QUANTITY:UNIT (repeatable)")->required();
  cmd->add_option("--output-name", t->output_name, "name of the produced goods")->required();
  cmd->add_option("--output-spec", t->output_spec, "specification of the produced goods");
  cmd->add_option("--output-expires-on", t->output_expires, "expiry date of the produced goods")->required();
  cmd = AddKind(record, exit_code, "correct", "reverse an earlier entry (the log keeps both)", E::CORRECT, &f);
  auto* c = f.get();
  Opt(cmd, "--corrects", "event id of the entry to reverse", [c](const std::string& v) { c->entry.set_corrects_event_id(v); })->required();
  Opt(cmd, "--reason", "why (kept in the audit trail)", [c](const std::string& v) { c->entry.set_reason(v); })->required();
}

}  // namespace foodtrace::app
