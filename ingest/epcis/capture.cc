// Capture: an EPCISDocument → one validated ledger entry per event (docs/epcis.md has the
// mapping table). The document is checked for shape first; then each event on its own, so one
// bad event never costs its neighbours.
#include <algorithm>
#include <map>

#include "ingest/epcis/capture_event.h"
#include "ingest/epcis/internal.h"
#include "foodtrace/common/text.h"

namespace foodtrace::epcis {
namespace {

// Nesting depth of `text` outside strings (nlohmann's parser has no depth limit of its own).
int MaxDepth(std::string_view text) {
  int depth = 0, max = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max = std::max(max, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  return max;
}

Status DocumentError(const std::string& message) { return Status::Invalid("EPCIS_DOCUMENT", message); }

}  // namespace

Result<CaptureDocument> ReadCaptureDocument(std::string_view text, const CaptureOptions& options) {
  if (text.size() > kDocumentBytesMax) {
    return Status::Exhausted("EPCIS_TOO_LARGE", "the EPCIS document is " + std::to_string(text.size()) +
                                                    " bytes; the limit is " + std::to_string(kDocumentBytesMax) +
                                                    " bytes: split it into several documents");
  }
  if (MaxDepth(text) > kJsonDepthMax) {
    return Status::Invalid("EPCIS_JSON", "the document nests deeper than " + std::to_string(kJsonDepthMax) +
                                             " levels; an EPCIS document needs far fewer");
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return Status::Invalid("EPCIS_JSON", std::string("the body is not JSON: ") + e.what());
  }
  if (!doc.is_object()) return DocumentError("the document must be a JSON object with \"type\": \"EPCISDocument\"");
  if (!doc.contains("type") || doc["type"] != "EPCISDocument") {
    return DocumentError("\"type\" must be \"EPCISDocument\" (EPCIS 2.0 §9: capture takes an EPCIS document)");
  }
  if (doc.contains("schemaVersion") && !doc["schemaVersion"].is_string()) {
    return DocumentError("\"schemaVersion\" must be a string such as \"2.0\"");
  }
  if (doc.contains("schemaVersion") && doc["schemaVersion"].get<std::string>().rfind("2.", 0) != 0) {
    return DocumentError("\"schemaVersion\" " + doc["schemaVersion"].get<std::string>() +
                         " is not EPCIS 2.x: send an EPCIS 2.0 JSON document");
  }
  const auto body = doc.find("epcisBody");
  if (body == doc.end() || !body->is_object() || !body->contains("eventList") || !(*body)["eventList"].is_array()) {
    return DocumentError("\"epcisBody\" must be an object with an array \"eventList\"");
  }
  const json& list = (*body)["eventList"];
  if (list.size() > kDocumentEventsMax) {
    return Status::Exhausted("EPCIS_TOO_MANY_EVENTS", "the document has " + std::to_string(list.size()) +
                                                          " events; the limit is " + std::to_string(kDocumentEventsMax) +
                                                          ": split it into several documents");
  }
  CaptureDocument out;
  out.events.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) out.events.push_back(ReadEvent(list[i], i, options));
  return out;
}

}  // namespace foodtrace::epcis
