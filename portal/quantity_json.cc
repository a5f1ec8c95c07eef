#include "portal/quantity_json.h"

#include "foodtrace/common/quantity.h"

namespace foodtrace::portal {
namespace {

Status WithPath(const std::string& path, const Status& st) {
  return Status(st.code(), st.reason(), path + "quantity: " + st.message());
}

// One object holding "quantity" and "unit".
Status NormalizeLine(json* line, const std::string& path) {
  if (!line->is_object() || !line->contains("quantity")) return Status::Ok();
  json& q = (*line)["quantity"];
  std::string text;
  if (q.is_number_float()) {
    text = q.dump();  // the shortest text that reads back as the number sent
  } else if (q.is_string()) {
    text = q.get<std::string>();
    if (text.find('.') == std::string::npos) return Status::Ok();  // Protobuf JSON reads "12"
  } else {
    return Status::Ok();  // integers, and anything else the Protobuf parser will name
  }
  const std::string unit = line->contains("unit") && (*line)["unit"].is_string() ? (*line)["unit"].get<std::string>() : "";
  auto parsed = ParseQuantity(text, unit);
  if (!parsed.ok()) return WithPath(path, parsed.status());
  q = parsed->amount;
  (*line)["unit"] = parsed->unit;
  return Status::Ok();
}

}  // namespace

Status NormalizeEntryQuantities(json* entry) {
  FT_RETURN_IF_ERROR(NormalizeLine(entry, ""));
  for (const char* list : {"inputs", "outputs"}) {
    if (!entry->contains(list) || !(*entry)[list].is_array()) continue;
    json& lines = (*entry)[list];
    for (std::size_t i = 0; i < lines.size(); ++i) {
      FT_RETURN_IF_ERROR(NormalizeLine(&lines[i], std::string(list) + "[" + std::to_string(i) + "]."));
    }
  }
  if (entry->contains("replacement") && (*entry)["replacement"].is_object()) {
    Status st = NormalizeEntryQuantities(&(*entry)["replacement"]);
    if (!st.ok()) return Status(st.code(), st.reason(), "replacement." + st.message());
  }
  return Status::Ok();
}

}  // namespace foodtrace::portal
