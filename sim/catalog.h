// The simulated region's vocabulary: identifiers with valid check characters (REGULATION rules
// 19, 21, 22; GS1 check digits), the product catalogue with Chinese names, specifications and
// realistic shelf lives, and name lists. Pure functions and constant data; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "foodtrace/v1/records.pb.h"
#include "sim/rng.h"

namespace foodtrace::sim {

namespace v1 = ::foodtrace::v1;

// The province of the simulated region (GB/T 2260: 33 浙江) and its county-level area code.
inline constexpr int kRegionProvince = 33;
inline constexpr char kRegionArea[] = "330102";

// GTIN-14 ("0" + EAN-13 "69d" + company + item + check digit), prefix 690–699 by `prefix`.
std::string MakeGtin14(int prefix /*0..9*/, int company /*0..9999*/, int item /*0..99999*/);
// The GB 32100 check character of the first 17 characters of a USCC.
char UsccCheckCharacter(std::string_view first17);
// A 统一社会信用代码: `kind` "91" (enterprise) or "92" (individual business), the region's area,
// an organization code with its GB 11714 check character, and the mod-31 check character.
std::string MakeUscc(std::string_view kind, std::uint64_t serial);
// 食品经营许可证: "JY" + form 1 (sales) + province + 11 digits from `serial`.
std::string MakeBusinessLicence(std::uint64_t serial);
// 食品生产许可证: "SC" + category 1xx (food) + area code (province first) + 4-digit sequence + a
// final digit.
std::string MakeProductionLicence(int category /*0..99*/, std::uint64_t serial);

// What a vendor trades; decides its assortment.
enum class Trade { kGreens = 0, kMeat = 1, kTofu = 2, kGrocery = 3 };
inline constexpr int kTradeCount = 4;
const char* TradeName(Trade trade);  // 蔬菜, 鲜肉, 豆制品禽蛋, 粮油副食

// Who makes a product.
enum class Source { kProducer, kFarmer, kPortion };

struct CatalogProduct {
  v1::Product product;     // master record: gtin or product_code, name, spec, category …
  std::string unit;        // KGM or H87 (one unit per product: lots never change unit)
  int shelf_life_days = 0;
  Trade trade = Trade::kGreens;
  Source source = Source::kProducer;
  int producer = -1;       // index into Producers() for kProducer
  int daily_demand = 0;    // a typical vendor's daily sales, in `unit`
  int production_period_days = 1;  // a producer makes a new lot every this many days
  bool has_gtin() const { return !product.gtin().empty(); }
};

struct ProducerSpec {
  const char* name;
  const char* address;
  int licence_category;  // SC category digits after the leading 1
};
const std::vector<ProducerSpec>& Producers();

// The catalogue, in a fixed order (indices are stable for a build).
std::vector<CatalogProduct> BuildCatalog();

// Names: markets, wholesalers, vendors (surname + trade), farmers, phone numbers.
std::string MarketName(int index);
std::string WholesalerName(int index);
std::string VendorName(Rng& rng, Trade trade);
std::string PersonName(Rng& rng);
std::string PhoneNumber(Rng& rng);
std::string StreetAddress(Rng& rng);

}  // namespace foodtrace::sim
