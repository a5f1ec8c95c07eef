#include "scanner/kiosk/recall_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scanner/limits.h"

namespace foodtrace::scanner::kiosk {
namespace {

using Json = nlohmann::json;

constexpr char kFormat[] = "foodtrace-kiosk-recalls/1";

std::string Text(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Texts(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array())
    return out;
  for (const Json& e : *it) {
    if (e.is_string())
      out.push_back(e.get<std::string>());
  }
  return out;
}

CachedRecall RecallFromJson(const Json& j) {
  CachedRecall r;
  r.recall_id = Text(j, "recall_id");
  r.gtin = Text(j, "gtin");
  r.lots = Texts(j, "lots");
  r.covered_lots = Texts(j, "covered_lots");
  r.produced_from = Text(j, "produced_from");
  r.produced_to = Text(j, "produced_to");
  r.reason = Text(j, "reason");
  return r;
}

Json RecallToJson(const CachedRecall& r) {
  return Json{{"recall_id", r.recall_id},
              {"gtin", r.gtin},
              {"lots", r.lots},
              {"covered_lots", r.covered_lots},
              {"produced_from", r.produced_from},
              {"produced_to", r.produced_to},
              {"reason", r.reason}};
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Status FormatError(const std::string& path, const std::string& why) {
  return Status(Code::kCorruption, "RECALL_CACHE_FORMAT",
                "the recall cache " + path + " is not a foodtrace kiosk recall list (" + why +
                    "): delete it; the next portal answer writes a fresh one");
}

Result<std::string> ReadSmallFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error))
    return Status::NotFound("no recall cache at " + path + " yet");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error)
    return Status::Io("cannot read the recall cache " + path + ": " + error.message());
  if (size > kKioskRecallCacheBytesMax) {
    return Status::Exhausted("RECALL_CACHE_TOO_LARGE",
                             "the recall cache " + path + " is " + std::to_string(size) +
                                 " bytes; the limit is " +
                                 std::to_string(kKioskRecallCacheBytesMax));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in)
    return Status::Io("cannot read the recall cache " + path);
  return bytes;
}

}  // namespace

const CachedRecall* RecallCache::Find(const std::string& gtin, const std::string& lot,
                                      const std::string& produced_on) const {
  if (gtin.empty())
    return nullptr;
  const std::string key = gtin + "|" + lot;
  for (const CachedRecall& r : recalls) {
    if (!lot.empty() &&
        (Contains(r.covered_lots, key) || (r.gtin == gtin && Contains(r.lots, lot))))
      return &r;
    // ISO dates compare as text.
    const bool in_range = !r.produced_from.empty() && !r.produced_to.empty() &&
                          !produced_on.empty() && r.produced_from <= produced_on &&
                          produced_on <= r.produced_to;
    if (r.gtin == gtin && in_range)
      return &r;
  }
  return nullptr;
}

Result<RecallCache> ReadRecallCache(const std::string& path) {
  Result<std::string> bytes = ReadSmallFile(path);
  if (!bytes.ok())
    return bytes.status();
  const Json j = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return FormatError(path, "not JSON");
  if (Text(j, "format") != kFormat)
    return FormatError(path, "format is not " + std::string(kFormat));
  auto recalls = j.find("recalls");
  auto fetched = j.find("fetched_at_ms");
  if (recalls == j.end() || !recalls->is_array() || fetched == j.end() ||
      !fetched->is_number_integer()) {
    return FormatError(path, "no recalls or fetched_at_ms");
  }
  if (recalls->size() > kKioskRecallsMax)
    return FormatError(path, "more than kKioskRecallsMax recalls");
  RecallCache cache;
  cache.portal = Text(j, "portal");
  cache.fetched_at_ms = fetched->get<std::int64_t>();
  for (const Json& r : *recalls) {
    if (r.is_object())
      cache.recalls.push_back(RecallFromJson(r));
  }
  return cache;
}

Status WriteRecallCache(const std::string& path, const RecallCache& cache) {
  Json recalls = Json::array();
  for (const CachedRecall& r : cache.recalls) recalls.push_back(RecallToJson(r));
  const Json j{{"format", kFormat},
               {"portal", cache.portal},
               {"fetched_at_ms", cache.fetched_at_ms},
               {"recalls", std::move(recalls)}};
  const std::string bytes = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::error_code error;
  const std::filesystem::path target(path);
  if (target.has_parent_path())
    std::filesystem::create_directories(target.parent_path(), error);
  const std::string temporary = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return Status::Io("cannot write the recall cache " + temporary + ": " + std::strerror(errno));
    }
  }
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::remove(temporary.c_str());
    return Status::Io("cannot replace the recall cache " + path + ": " + error.message());
  }
  return Status::Ok();
}

Status ParseRecallPage(const std::string& body, std::vector<CachedRecall>* out,
                       std::string* next_cursor) {
  const Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto recalls = j.is_object() ? j.find("recalls") : j.end();
  if (j.is_discarded() || !j.is_object() || recalls == j.end() || !recalls->is_array()) {
    return Status::Invalid("RECALL_LIST_FORMAT",
                           "the portal's /api/v1/recalls answer has no \"recalls\" list");
  }
  if (out->size() + recalls->size() > kKioskRecallsMax) {
    return Status::Exhausted("RECALL_LIST_TOO_LONG", "the portal lists more than " +
                                                         std::to_string(kKioskRecallsMax) +
                                                         " recalls (kKioskRecallsMax)");
  }
  for (const Json& r : *recalls) {
    if (r.is_object())
      out->push_back(RecallFromJson(r));
  }
  *next_cursor = Text(j, "next_cursor");
  return Status::Ok();
}

}  // namespace foodtrace::scanner::kiosk
