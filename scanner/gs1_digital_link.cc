// GS1 Digital Link URIs (uncompressed form):
//
//   scheme://host[/any/prefix]/{primary key}/{value}[/{qualifier}/{value}]...[?{AI}={value}&...]
//
// The primary key and qualifiers are numeric AIs or their short names (01 = gtin, 10 = lot,
// 21 = ser, 22 = cpv, ...); qualifiers must come in the order the standard gives. Query
// parameters whose key is all digits are AIs (data attributes such as 17 or 3103); others
// (linkType, context, ...) are ignored. Values are percent-decoded, then checked like any AI.
#include <array>
#include <string>

#include "scanner/gs1_parse.h"

namespace foodtrace::scanner::internal {
namespace {

struct KeyName {
  std::string_view name;
  std::string_view ai;
};

constexpr std::array<KeyName, 10> kShortNames = {{{"gtin", "01"},
                                                  {"cpv", "22"},
                                                  {"lot", "10"},
                                                  {"ser", "21"},
                                                  {"sscc", "00"},
                                                  {"gln", "414"},
                                                  {"glnx", "254"},
                                                  {"party", "417"},
                                                  {"ginc", "401"},
                                                  {"gsin", "402"}}};

// A primary key and its qualifiers in the order they must appear.
struct PrimaryKey {
  std::string_view ai;
  std::array<std::string_view, 3> qualifiers;
};

constexpr std::array<PrimaryKey, 6> kPrimaryKeys = {{{"01", {"22", "10", "21"}},
                                                     {"00", {}},
                                                     {"414", {"254"}},
                                                     {"417", {}},
                                                     {"401", {}},
                                                     {"402", {}}}};

Status Malformed(std::string_view uri, const std::string& why) {
  return Status::Invalid("DIGITAL_LINK_FORMAT",
                         "GS1 Digital Link '" + std::string(uri.substr(0, 120)) + "' " + why);
}

// The AI a path segment names, or "" when it is neither an AI number nor a short name.
std::string_view KeyAi(std::string_view segment) {
  for (const KeyName& k : kShortNames) {
    if (k.name == segment)
      return k.ai;
  }
  for (const KeyName& k : kShortNames) {
    if (k.ai == segment)
      return k.ai;
  }
  return {};
}

const PrimaryKey* FindPrimaryKey(std::string_view ai) {
  for (const PrimaryKey& key : kPrimaryKeys) {
    if (key.ai == ai)
      return &key;
  }
  return nullptr;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size())
      return false;
    const int high = HexValue(in[i + 1]);
    const int low = HexValue(in[i + 2]);
    if (high < 0 || low < 0)
      return false;
    out->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos)
      slash = path.size();
    if (slash > pos)
      segments.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return segments;
}

Status AddDecoded(std::string_view uri, std::string_view ai, std::string_view raw, int current_year,
                  std::vector<Gs1Element>* elements) {
  std::string value;
  if (!PercentDecode(raw, &value)) {
    return Malformed(uri, "has a bad percent-escape in '" + std::string(raw.substr(0, 40)) +
                              "': use %XX with two hex digits");
  }
  if (ai == "01" && (value.size() == 8 || value.size() == 12 || value.size() == 13) &&
      value.find_first_not_of("0123456789") == std::string::npos) {
    value.insert(0, 14 - value.size(), '0');  // the standard pads shorter GTINs to 14 digits
  }
  return AddElement(ai, value, current_year, elements);
}

Status ParsePath(std::string_view uri, std::string_view path, int current_year,
                 std::vector<Gs1Element>* elements) {
  const std::vector<std::string_view> segments = SplitPath(path);
  std::size_t first = segments.size();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (FindPrimaryKey(KeyAi(segments[i])) != nullptr && (segments.size() - i) % 2 == 0) {
      first = i;
      break;
    }
  }
  if (first == segments.size()) {
    return Malformed(uri,
                     "has no primary key in its path: expected /01/{GTIN} (or /gtin/, "
                     "/00/, /414/, /417/, /401/, /402/) followed by its value");
  }
  const PrimaryKey& key = *FindPrimaryKey(KeyAi(segments[first]));
  FT_RETURN_IF_ERROR(AddDecoded(uri, key.ai, segments[first + 1], current_year, elements));
  std::size_t next_rank = 0;
  for (std::size_t i = first + 2; i < segments.size(); i += 2) {
    const std::string_view ai = KeyAi(segments[i]);
    std::size_t rank = next_rank;
    while (rank < key.qualifiers.size() && (ai.empty() || key.qualifiers[rank] != ai)) ++rank;
    if (rank == key.qualifiers.size()) {
      return Malformed(uri, "has path key '" + std::string(segments[i].substr(0, 20)) +
                                "' that is not a qualifier of (" + std::string(key.ai) +
                                ") in the allowed order (for 01: 22/cpv, then 10/lot, then "
                                "21/ser)");
    }
    next_rank = rank + 1;
    FT_RETURN_IF_ERROR(AddDecoded(uri, ai, segments[i + 1], current_year, elements));
  }
  return Status::Ok();
}

Status ParseQuery(std::string_view uri, std::string_view query, int current_year,
                  std::vector<Gs1Element>* elements) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos)
      amp = query.size();
    const std::string_view param = query.substr(pos, amp - pos);
    pos = amp + 1;
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || eq == 0)
      continue;
    const std::string_view key = param.substr(0, eq);
    if (key.find_first_not_of("0123456789") != std::string_view::npos)
      continue;  // linkType...
    FT_RETURN_IF_ERROR(AddDecoded(uri, key, param.substr(eq + 1), current_year, elements));
  }
  return Status::Ok();
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != prefix[i])
      return false;
  }
  return true;
}

}  // namespace

Status ParseDigitalLink(std::string_view uri, int current_year, std::vector<Gs1Element>* elements) {
  std::string_view rest = uri;
  if (StartsWithNoCase(rest, "https://")) {
    rest.remove_prefix(8);
  } else if (StartsWithNoCase(rest, "http://")) {
    rest.remove_prefix(7);
  } else {
    return Malformed(uri, "must start with http:// or https://");
  }
  rest = rest.substr(0, rest.find('#'));
  const std::size_t host_end = rest.find_first_of("/?");
  if (host_end == 0 || rest.empty())
    return Malformed(uri, "has no host name");
  if (rest.substr(0, host_end).find_first_of(" \x1D") != std::string_view::npos) {
    return Malformed(uri, "has a space or control character in its host name");
  }
  if (host_end == std::string_view::npos)
    return Malformed(uri, "has no path after the host");
  rest.remove_prefix(host_end);
  const std::size_t question = rest.find('?');
  const std::string_view path = rest.substr(0, question);
  FT_RETURN_IF_ERROR(ParsePath(uri, path, current_year, elements));
  if (question == std::string_view::npos)
    return Status::Ok();
  return ParseQuery(uri, rest.substr(question + 1), current_year, elements);
}

}  // namespace foodtrace::scanner::internal
