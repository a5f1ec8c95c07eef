// Validation of ledger entries and the lots they name (REGULATION rules 1, 3, 4, 9).
#include <cctype>
#include <string>

#include "foodtrace/common/identifiers.h"
#include "ledger/limits.h"
#include "ledger/validate.h"
#include "ledger/validate_fields.h"

namespace foodtrace::ledger {
namespace {

using fields::IdSet;
using fields::Named;

// The supplier of a RECEIVE or the buyer of a wholesale SHIP: a registered party, or an
// outside business with name, address and contact (FSL 53).
Status RequireCounterparty(const v1::Counterparty& party, std::string_view role,
                           std::string_view reason) {
  // A GLN is resolved to a registered party by the ledger (or refused UNKNOWN_GLN there).
  if (!party.party_id().empty() || !party.gln().empty())
    return Status::Ok();
  std::string missing;
  auto note = [&missing](const std::string& value, std::string_view field) {
    if (!value.empty())
      return;
    missing += (missing.empty() ? "" : ", ") + Named(field);
  };
  note(party.name(), "counterparty.name");
  note(party.address(), "counterparty.address");
  note(party.contact(), "counterparty.contact");
  if (missing.empty())
    return Status::Ok();
  return Status::Invalid(std::string(reason),
                         "the " + std::string(role) +
                             " needs counterparty.party_id (a registered " +
                             "party) or its name, address and contact; missing: " + missing)
      .WithField("counterparty");
}

Status ValidateCounterparty(v1::Counterparty* party) {
  FT_RETURN_IF_ERROR(
      fields::Id("counterparty.party_id", party->mutable_party_id(), IdSet::kParty, false));
  FT_RETURN_IF_ERROR(fields::Text("counterparty.name", party->mutable_name(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("counterparty.address", party->mutable_address(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("counterparty.contact", party->mutable_contact(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::OptionalIdentifier("counterparty.licence", party->mutable_licence(),
                                                &NormalizeLicence));
  FT_RETURN_IF_ERROR(
      fields::OptionalIdentifier("counterparty.gln", party->mutable_gln(), &NormalizeGln));
  return fields::OptionalIdentifier("counterparty.uscc", party->mutable_uscc(), &NormalizeUscc);
}

// The lot names a product and a lot: a lot code or, failing that, a production date.
Status RequireLotIdentified(const v1::LotRef& lot, std::string_view prefix) {
  const std::string p(prefix);
  if (lot.gtin().empty() && lot.product_code().empty())
    return fields::ProductMissing(prefix);
  if (lot.lot().empty() && lot.produced_on().empty()) {
    return Status::Invalid("LOT_MISSING", Named(p + "lot") + " or " + Named(p + "produced_on") +
                                              " is required: copy the lot/batch code or the "
                                              "production date printed on the package")
        .WithField(p + "lot");
  }
  return Status::Ok();
}

// After ValidateLotRef: the lot has a known last sellable day, or says it has none (rule 9).
Status RequireExpiry(const v1::LotRef& lot, std::string_view prefix) {
  if (!lot.expires_on().empty() || lot.no_shelf_life())
    return Status::Ok();
  const std::string p(prefix);
  if (lot.produced_on().empty()) {
    return Status::Invalid("EXPIRY_UNKNOWN",
                           "无法计算到期日 (cannot compute the expiry date): lot '" + lot.lot() +
                               "' has no production date; give " + Named(p + "expires_on") +
                               " from the label, or " + Named(p + "produced_on"))
        .WithField(p + "expires_on");
  }
  return Status::Invalid("SHELF_LIFE_MISSING",
                         Named(p + "expires_on") + ", " + Named(p + "shelf_life_days") +
                             " or no_shelf_life (无明确保质期) is required: copy the expiry date "
                             "or the shelf life from the label")
      .WithField(p + "expires_on");
}

Status EntryQuantity(v1::LedgerEntry* entry, bool zero_allowed) {
  return fields::PackedQuantity("", entry->mutable_pack(), entry->pack_count(), entry->quantity(),
                                entry->mutable_unit(), zero_allowed);
}

Status CheckReceive(v1::LedgerEntry* entry) {
  const v1::LotRef& lot = entry->lot();
  const bool farm = lot.farm_produce();  // rule 4: specification, lot and dates optional
  if (lot.gtin().empty() && lot.product_code().empty())
    return fields::ProductMissing("lot.");
  if (lot.product_name().empty()) {
    return fields::Missing("lot.product_name", "copy the food's name from the label");
  }
  if (!farm && lot.specification().empty()) {
    return fields::Missing("lot.specification", "copy the package size, e.g. 500g/袋");
  }
  FT_RETURN_IF_ERROR(EntryQuantity(entry, false));
  if (!farm) {
    FT_RETURN_IF_ERROR(RequireLotIdentified(lot, "lot."));
    FT_RETURN_IF_ERROR(RequireExpiry(lot, "lot."));
  }
  FT_RETURN_IF_ERROR(
      RequireCounterparty(entry->counterparty(), "supplier (供货者)", "SUPPLIER_INCOMPLETE"));
  // Both are valid ISO dates by now, so text order is date order.
  if (!lot.produced_on().empty() && lot.produced_on() > entry->occurred_on()) {
    return Status::Invalid("PRODUCED_AFTER_RECEIPT",
                           Named("lot.produced_on") + " " + lot.produced_on() +
                               " is after the receipt date " + entry->occurred_on() +
                               ": check both dates")
        .WithField("lot.produced_on")
        .WithDetail("latest", entry->occurred_on())
        .WithDetail("got", lot.produced_on());
  }
  return Status::Ok();
}

Status CheckShip(v1::LedgerEntry* entry, const ValidateContext& ctx) {
  FT_RETURN_IF_ERROR(RequireLotIdentified(entry->lot(), "lot."));
  FT_RETURN_IF_ERROR(EntryQuantity(entry, false));
  if (ctx.recorder_wholesale && !entry->to_consumers()) {
    FT_RETURN_IF_ERROR(
        RequireCounterparty(entry->counterparty(), "buyer (购货者)", "BUYER_INCOMPLETE"));
  }
  return Status::Ok();
}

Status CheckDispose(v1::LedgerEntry* entry) {
  FT_RETURN_IF_ERROR(RequireLotIdentified(entry->lot(), "lot."));
  FT_RETURN_IF_ERROR(EntryQuantity(entry, false));
  if (entry->dispose_method().empty()) {
    return Status::Invalid("DISPOSE_METHOD_MISSING",
                           Named("dispose_method") +
                               " is required: say how the goods were disposed of, e.g. "
                               "无害化处理 (harmless treatment), 销毁 (destroyed) or 退货 "
                               "(returned to the supplier)")
        .WithField("dispose_method");
  }
  return Status::Ok();
}

Status CheckStocktake(v1::LedgerEntry* entry) {
  FT_RETURN_IF_ERROR(RequireLotIdentified(entry->lot(), "lot."));
  return EntryQuantity(entry, true);
}

Status CheckTransformLine(v1::TransformLine* line, const std::string& prefix, bool output,
                          const ValidateContext& ctx) {
  FT_RETURN_IF_ERROR(ValidateLotRef(line->mutable_lot(), prefix + "lot", ctx));
  const v1::LotRef& lot = line->lot();
  FT_RETURN_IF_ERROR(RequireLotIdentified(lot, prefix + "lot."));
  FT_RETURN_IF_ERROR(fields::PackedQuantity(prefix, line->mutable_pack(), line->pack_count(),
                                             line->quantity(), line->mutable_unit(), false));
  if (!output)
    return Status::Ok();
  // An output is a new lot: it states its own name and expiry; nothing is inherited.
  if (lot.product_name().empty()) {
    return fields::Missing(prefix + "lot.product_name", "name the product that was made");
  }
  if (lot.farm_produce())
    return Status::Ok();
  return RequireExpiry(lot, prefix + "lot.");
}

Status CheckTransformLines(google::protobuf::RepeatedPtrField<v1::TransformLine>* lines,
                           std::string_view name, bool output, const ValidateContext& ctx,
                           bool empty_allowed = false) {
  if (lines->empty() && empty_allowed)
    return Status::Ok();
  if (lines->empty()) {
    return Status::Invalid("TRANSFORM_LINES_MISSING",
                           std::string(name) +
                               " is empty: a TRANSFORM needs at least one input "
                               "lot and one output lot (only a producer records initial "
                               "packing without inputs), an AGGREGATE at least one input");
  }
  FT_RETURN_IF_ERROR(
      fields::ListSize(name, static_cast<std::size_t>(lines->size()), kTransformLinesMax));
  for (int i = 0; i < lines->size(); ++i) {
    const std::string prefix = std::string(name) + "[" + std::to_string(i) + "].";
    FT_RETURN_IF_ERROR(CheckTransformLine(lines->Mutable(i), prefix, output, ctx));
  }
  return Status::Ok();
}

Status CheckCorrect(v1::LedgerEntry* entry, const ValidateContext& ctx) {
  if (entry->corrects_event_id().empty()) {
    return fields::Missing("corrects_event_id", "give the event id of the entry to correct");
  }
  if (entry->reason().empty()) {
    return fields::Missing("reason", "say why the entry is corrected (FSL 53 如实记录)");
  }
  if (entry->corrects_event_id() == entry->event_id()) {
    return Status::Invalid("CORRECTION_ID_REUSED",
                           "a correction needs its own event_id, not that of the entry it "
                           "corrects (" +
                               entry->event_id() + ")");
  }
  if (!entry->has_replacement())
    return Status::Ok();  // a reversal only
  v1::LedgerEntry* replacement = entry->mutable_replacement();
  if (replacement->kind() == v1::LedgerEntry::CORRECT) {
    return Status::Invalid("CORRECTION_NESTED",
                           "replacement.kind is CORRECT: a replacement is the amended entry "
                           "itself (RECEIVE, SHIP, TRANSFORM, DISPOSE or STOCKTAKE)");
  }
  if (replacement->event_id().empty())
    replacement->set_event_id(entry->event_id() + "#r");
  Status status = ValidateEntry(replacement, ctx);
  if (!status.ok()) {
    return Status(status.code(), status.reason(), "replacement: " + status.message());
  }
  if (replacement->event_id() == entry->event_id() ||
      replacement->event_id() == entry->corrects_event_id()) {
    return Status::Invalid("CORRECTION_ID_REUSED",
                           "replacement.event_id '" + replacement->event_id() +
                               "' repeats an id already used; leave it empty to get '" +
                               entry->event_id() + "#r'");
  }
  return Status::Ok();
}

// Lots packed into a logistic unit: the unit's id and at least one line (REGULATION-neutral:
// nothing moves between holders).
Status CheckAggregate(v1::LedgerEntry* entry, const ValidateContext& ctx) {
  if (entry->parent_id().empty()) {
    return fields::Missing("parent_id", "give the logistic unit the lots are packed into (an SSCC)");
  }
  if (!entry->outputs().empty()) {
    return Status::Invalid("AGGREGATE_OUTPUTS", "an AGGREGATE lists its lots in inputs only");
  }
  return CheckTransformLines(entry->mutable_inputs(), "inputs", false, ctx);
}

// The EPCIS facts an entry keeps: event id, action, instant and offset, logistic unit.
Status CheckEpcisFields(v1::LedgerEntry* entry) {
  FT_RETURN_IF_ERROR(fields::Text("epcis_event_id", entry->mutable_epcis_event_id(), kEpcisIdBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("parent_id", entry->mutable_parent_id(), kEpcisIdBytesMax));
  FT_RETURN_IF_ERROR(fields::Text("epcis_action", entry->mutable_epcis_action(), kIdBytesMax));
  const std::string& action = entry->epcis_action();
  if (!action.empty() && action != "ADD" && action != "OBSERVE" && action != "DELETE") {
    return Status::Invalid("EPCIS_ACTION", "epcis_action '" + action + "' must be ADD, OBSERVE or DELETE");
  }
  if (entry->occurred_at_ms() < 0) {
    return Status::Invalid("INVALID_TIME", "occurred_at_ms must be a Unix time in milliseconds, not negative");
  }
  FT_RETURN_IF_ERROR(fields::Text("time_zone_offset", entry->mutable_time_zone_offset(), kIdBytesMax));
  const std::string& z = entry->time_zone_offset();
  const bool offset_ok = z.empty() || (z.size() == 6 && (z[0] == '+' || z[0] == '-') && z[3] == ':' &&
                                       std::isdigit(static_cast<unsigned char>(z[1])) &&
                                       std::isdigit(static_cast<unsigned char>(z[2])) &&
                                       std::isdigit(static_cast<unsigned char>(z[4])) &&
                                       std::isdigit(static_cast<unsigned char>(z[5])) &&
                                       (z[1] - '0') * 10 + (z[2] - '0') <= 14 && z[4] <= '5');
  if (!offset_ok) {
    return Status::Invalid("INVALID_TIME", "time_zone_offset '" + z + "' must be like +08:00 or -05:00");
  }
  return fields::OptionalIdentifier("location_gln", entry->mutable_location_gln(), &NormalizeGln);
}

// Fields every entry kind shares: ids, counterparty, lot, dates, documents, free text.
Status CheckCommon(v1::LedgerEntry* entry, const ValidateContext& ctx) {
  FT_RETURN_IF_ERROR(fields::Id("party_id", entry->mutable_party_id(), IdSet::kParty, false));
  FT_RETURN_IF_ERROR(ValidateCounterparty(entry->mutable_counterparty()));
  FT_RETURN_IF_ERROR(CheckEpcisFields(entry));
  if (entry->has_lot())
    FT_RETURN_IF_ERROR(ValidateLotRef(entry->mutable_lot(), "lot", ctx));
  if (entry->kind() == v1::LedgerEntry::CORRECT) {
    Result<std::optional<Date>> on =
        fields::OptionalDate("occurred_on", entry->mutable_occurred_on());
    if (!on.ok())
      return on.status();
    if (!on->has_value())
      entry->set_occurred_on(ctx.today.ToString());  // a correction is dated the market's today
  } else {
    Result<Date> on = fields::RequiredDate("occurred_on", entry->mutable_occurred_on());
    if (!on.ok())
      return on.status();
    FT_RETURN_IF_ERROR(fields::NotInFuture("occurred_on", *on, ctx));
  }
  FT_RETURN_IF_ERROR(
      fields::TextList("documents", entry->mutable_documents(), kDocumentsMax, kNameBytesMax));
  FT_RETURN_IF_ERROR(
      fields::Text("dispose_method", entry->mutable_dispose_method(), kNameBytesMax));
  FT_RETURN_IF_ERROR(
      fields::Id("corrects_event_id", entry->mutable_corrects_event_id(), IdSet::kRecord, false));
  FT_RETURN_IF_ERROR(fields::Text("reason", entry->mutable_reason(), kTextBytesMax));
  return fields::Text("note", entry->mutable_note(), kTextBytesMax);
}

}  // namespace

Status ValidateLotRef(v1::LotRef* lot, std::string_view field, const ValidateContext& ctx) {
  const std::string p = std::string(field) + ".";
  FT_RETURN_IF_ERROR(fields::ProductId(p, lot->mutable_gtin(), lot->mutable_product_code(), false));
  FT_RETURN_IF_ERROR(fields::Id(p + "lot", lot->mutable_lot(), IdSet::kLot, false));
  FT_RETURN_IF_ERROR(fields::Text(p + "product_name", lot->mutable_product_name(), kNameBytesMax));
  FT_RETURN_IF_ERROR(
      fields::Text(p + "specification", lot->mutable_specification(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::Text(p + "category", lot->mutable_category(), kNameBytesMax));
  FT_RETURN_IF_ERROR(fields::ShelfLife(p + "shelf_life_days", lot->shelf_life_days()));
  Result<std::optional<Date>> produced =
      fields::OptionalDate(p + "produced_on", lot->mutable_produced_on());
  if (!produced.ok())
    return produced.status();
  Result<std::optional<Date>> expires =
      fields::OptionalDate(p + "expires_on", lot->mutable_expires_on());
  if (!expires.ok())
    return expires.status();
  if (*produced)
    FT_RETURN_IF_ERROR(fields::NotInFuture(p + "produced_on", **produced, ctx));
  if (lot->no_shelf_life() && (*expires || lot->shelf_life_days() > 0)) {
    return Status::Invalid("SHELF_LIFE_CONFLICT",
                           Named(p + "expires_on") + " or " + Named(p + "shelf_life_days") +
                               " is given although no_shelf_life (无明确保质期) is set: keep one")
        .WithField(p + "expires_on");
  }
  if (*produced && *expires && **expires < **produced) {
    return Status::Invalid("EXPIRY_BEFORE_PRODUCTION",
                           Named(p + "expires_on") + " " + lot->expires_on() + " is before " +
                               Named(p + "produced_on") + " " + lot->produced_on() +
                               ": check both dates on the label")
        .WithField(p + "expires_on")
        .WithDetail("earliest", lot->produced_on())
        .WithDetail("got", lot->expires_on());
  }
  if (*produced && !*expires && lot->shelf_life_days() > 0) {
    // Rule 9: the last sellable day is the production date plus the shelf life, minus one.
    lot->set_expires_on((*produced)->AddDays(lot->shelf_life_days() - 1).ToString());
  }
  return Status::Ok();
}

Status ValidateEntry(v1::LedgerEntry* entry, const ValidateContext& ctx) {
  FT_RETURN_IF_ERROR(fields::Id("event_id", entry->mutable_event_id(), IdSet::kRecord, true));
  if (entry->kind() == v1::LedgerEntry::KIND_UNSPECIFIED ||
      !v1::LedgerEntry::Kind_IsValid(entry->kind())) {
    return Status::Invalid("KIND_UNKNOWN", "entry " + entry->event_id() +
                                               " has no known kind: use RECEIVE, SHIP, "
                                               "TRANSFORM, DISPOSE, STOCKTAKE, AGGREGATE or "
                                               "CORRECT");
  }
  FT_RETURN_IF_ERROR(CheckCommon(entry, ctx));
  switch (entry->kind()) {
    case v1::LedgerEntry::RECEIVE:
      return CheckReceive(entry);
    case v1::LedgerEntry::SHIP:
      return CheckShip(entry, ctx);
    case v1::LedgerEntry::DISPOSE:
      return CheckDispose(entry);
    case v1::LedgerEntry::STOCKTAKE:
      return CheckStocktake(entry);
    case v1::LedgerEntry::TRANSFORM:
      FT_RETURN_IF_ERROR(CheckTransformLines(entry->mutable_inputs(), "inputs", false, ctx,
                                             ctx.recorder_producer));
      return CheckTransformLines(entry->mutable_outputs(), "outputs", true, ctx);
    case v1::LedgerEntry::AGGREGATE:
      return CheckAggregate(entry, ctx);
    case v1::LedgerEntry::CORRECT:
      return CheckCorrect(entry, ctx);
    default:
      return Status::Internal("unreachable entry kind");
  }
}

}  // namespace foodtrace::ledger
