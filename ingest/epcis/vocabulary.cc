// The CBV 2.0 vocabularies EPCIS events use (Core Business Vocabulary 2.0 §7.1 bizStep, §7.2
// disposition) and their URI forms.
#include <algorithm>
#include <array>

#include "ingest/epcis/internal.h"

namespace foodtrace::epcis {
namespace {

constexpr auto kBizSteps = std::to_array<std::string_view>({
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
    "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
    "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
    "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
    "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
    "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing",
    "transporting", "unloading", "unpacking", "void_shipping",
});

constexpr auto kDispositions = std::to_array<std::string_view>({
    "active", "available", "completeness_verified", "completeness_inferred", "conformant",
    "container_closed", "container_open", "damaged", "destroyed", "dispensed", "disposed",
    "encoded", "expired", "in_progress", "in_transit", "inactive", "mismatch_instance",
    "mismatch_class", "mismatch_quantity", "needs_replacement", "no_pedigree_match",
    "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved",
    "retail_sold", "returned", "sellable_accessible", "sellable_not_accessible", "stolen",
    "unavailable", "unknown",
});

constexpr std::string_view kWebPrefix = "https://ref.gs1.org/cbv/";
constexpr std::string_view kBizStepUrn = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kDispositionUrn = "urn:epcglobal:cbv:disp:";

}  // namespace

bool IsCbvBizStep(std::string_view bare) {
  return std::find(kBizSteps.begin(), kBizSteps.end(), bare) != kBizSteps.end();
}

bool IsCbvDisposition(std::string_view bare) {
  return std::find(kDispositions.begin(), kDispositions.end(), bare) != kDispositions.end();
}

std::string BizStepUri(std::string_view bare) { return std::string(kWebPrefix) + "BizStep-" + std::string(bare); }
std::string DispositionUri(std::string_view bare) { return std::string(kWebPrefix) + "Disp-" + std::string(bare); }

std::string BareCbvName(std::string_view value) {
  for (std::string_view prefix : {kBizStepUrn, kDispositionUrn}) {
    if (value.starts_with(prefix)) return std::string(value.substr(prefix.size()));
  }
  for (std::string_view prefix : {"https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-", "cbv:BizStep-",
                                  "cbv:Disp-", "gs1:BizStep-", "gs1:Disp-"}) {
    if (value.starts_with(prefix)) return std::string(value.substr(prefix.size()));
  }
  return std::string(value);
}

}  // namespace foodtrace::epcis
