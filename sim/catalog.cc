// The simulated region's vocabulary (catalog.h): identifiers, products, names.
#include "sim/catalog.h"

#include <array>
#include <cstdio>

#include "foodtrace/common/identifiers.h"

namespace foodtrace::sim {
namespace {

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kUsccWeights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr std::array<int, 8> kOrgCodeWeights = {3, 7, 9, 10, 5, 8, 4, 2};

std::string Digits(std::uint64_t value, int width) {
  std::string out(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out;
}

// GB 11714 organization code: 8 digits and a check character (10 → X, 11 → 0).
std::string OrganizationCode(std::uint64_t serial) {
  std::string body = Digits(serial, 8);
  int sum = 0;
  for (std::size_t i = 0; i < body.size(); ++i) sum += (body[i] - '0') * kOrgCodeWeights[i];
  const int check = 11 - sum % 11;
  return body + (check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check));
}

struct ProductRow {
  const char* name;
  const char* spec;
  const char* category;
  const char* unit;
  int shelf_life_days;
  Trade trade;
  Source source;
  int producer;
  int daily_demand;
};

// shelf lives: leafy vegetables 3–5 days, chilled meat 5–7, tofu 3, dairy 7–21, eggs 30,
// packaged goods 180–720; bulk produce without GTIN (食用农产品) bought from farmers.
constexpr ProductRow kRows[] = {
    {"菠菜", "400g/袋", "叶菜类蔬菜", "H87", 4, Trade::kGreens, Source::kProducer, 0, 20},
    {"生菜", "300g/袋", "叶菜类蔬菜", "H87", 3, Trade::kGreens, Source::kProducer, 0, 20},
    {"小白菜", "500g/袋", "叶菜类蔬菜", "H87", 5, Trade::kGreens, Source::kProducer, 0, 15},
    {"冷鲜猪后腿肉", "散称", "冷鲜畜肉", "KGM", 6, Trade::kMeat, Source::kProducer, 1, 30},
    {"冷鲜猪五花肉", "散称", "冷鲜畜肉", "KGM", 5, Trade::kMeat, Source::kProducer, 1, 20},
    {"冷鲜牛腩", "散称", "冷鲜畜肉", "KGM", 7, Trade::kMeat, Source::kProducer, 1, 10},
    {"精切猪肉块", "500g/盒", "冷鲜畜肉分割品", "H87", 3, Trade::kMeat, Source::kPortion, -1, 16},
    {"内酯豆腐", "400g/盒", "豆制品", "H87", 3, Trade::kTofu, Source::kProducer, 2, 30},
    {"老豆腐", "500g/盒", "豆制品", "H87", 3, Trade::kTofu, Source::kProducer, 2, 25},
    {"鲜鸡蛋", "30枚/盒", "鲜蛋", "H87", 30, Trade::kTofu, Source::kProducer, 4, 8},
    {"鲜牛奶", "950ml/瓶", "乳制品", "H87", 7, Trade::kGrocery, Source::kProducer, 3, 12},
    {"原味酸奶", "100g×8杯/组", "乳制品", "H87", 21, Trade::kGrocery, Source::kProducer, 3, 6},
    {"东北大米", "5kg/袋", "粮食加工品", "H87", 365, Trade::kGrocery, Source::kProducer, 5, 4},
    {"压榨菜籽油", "5L/桶", "食用油", "H87", 540, Trade::kGrocery, Source::kProducer, 5, 2},
    {"酿造酱油", "500ml/瓶", "调味品", "H87", 720, Trade::kGrocery, Source::kProducer, 5, 3},
    {"红烧牛肉面", "120g/袋", "方便食品", "H87", 180, Trade::kGrocery, Source::kProducer, 5, 10},
    {"苏打饼干", "400g/袋", "饼干", "H87", 270, Trade::kGrocery, Source::kProducer, 5, 3},
    {"上海青", "散装", "叶菜类蔬菜", "KGM", 4, Trade::kGreens, Source::kFarmer, -1, 15},
    {"西红柿", "散装", "茄果类蔬菜", "KGM", 7, Trade::kGreens, Source::kFarmer, -1, 12},
    {"黄瓜", "散装", "瓜类蔬菜", "KGM", 5, Trade::kGreens, Source::kFarmer, -1, 10},
    {"土豆", "散装", "根茎类蔬菜", "KGM", 30, Trade::kGreens, Source::kFarmer, -1, 10},
};

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                           "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
const char* kGivenNames[] = {"建国", "秀英", "伟", "芳", "军", "丽", "强", "敏", "磊", "静", "洋", "艳"};
const char* kDistricts[] = {"城东", "城西", "河坊", "望江", "湖滨", "拱宸", "三墩", "九堡",
                            "闸弄口", "彭埠", "四季青", "笕桥"};
const char* kStreets[] = {"解放路", "庆春路", "凤起路", "文三路", "秋涛路", "建国路", "中河路", "莫干山路"};

}  // namespace

std::string MakeGtin14(int prefix, int company, int item) {
  std::string body = "69" + Digits(static_cast<std::uint64_t>(prefix), 1) +
                     Digits(static_cast<std::uint64_t>(company), 4) + Digits(static_cast<std::uint64_t>(item), 5);
  return "0" + body + static_cast<char>('0' + Gs1CheckDigit("0" + body));
}

char UsccCheckCharacter(std::string_view first17) {
  FT_CHECK(first17.size() == 17);
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const std::size_t v = kUsccAlphabet.find(first17[i]);
    FT_CHECK(v != std::string_view::npos);
    sum += static_cast<int>(v) * kUsccWeights[i];
  }
  return kUsccAlphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
}

std::string MakeUscc(std::string_view kind, std::uint64_t serial) {
  std::string first17 = std::string(kind) + kRegionArea + OrganizationCode(serial);
  return first17 + UsccCheckCharacter(first17);
}

std::string MakeBusinessLicence(std::uint64_t serial) {
  return "JY1" + Digits(kRegionProvince, 2) + "0102" + Digits(serial, 7);
}

std::string MakeProductionLicence(int category, std::uint64_t serial) {
  return "SC1" + Digits(static_cast<std::uint64_t>(category), 2) + kRegionArea +
         Digits(serial % 10000, 4) + Digits(serial % 7, 1);
}

const char* TradeName(Trade trade) {
  switch (trade) {
    case Trade::kGreens: return "蔬菜";
    case Trade::kMeat: return "鲜肉";
    case Trade::kTofu: return "豆制品禽蛋";
    case Trade::kGrocery: return "粮油副食";
  }
  return "";
}

const std::vector<ProducerSpec>& Producers() {
  static const std::vector<ProducerSpec> kProducers = {
      {"绿源蔬菜专业合作社", "浙江省杭州市萧山区衙前镇绿源路8号", 24},
      {"鲜丰肉类食品有限公司", "浙江省杭州市余杭区仁和街道肉联路1号", 4},
      {"白玉豆制品有限公司", "浙江省杭州市拱墅区康桥路66号", 11},
      {"晨露乳业有限公司", "浙江省杭州市临平区乳业路3号", 5},
      {"田园禽蛋养殖场", "浙江省杭州市富阳区新登镇田园村", 26},
      {"丰谷粮油食品有限公司", "浙江省杭州市钱塘区粮油路18号", 1},
  };
  return kProducers;
}

std::vector<CatalogProduct> BuildCatalog() {
  std::vector<CatalogProduct> out;
  int item = 0;
  for (const ProductRow& row : kRows) {
    CatalogProduct p;
    p.unit = row.unit;
    p.shelf_life_days = row.shelf_life_days;
    p.trade = row.trade;
    p.source = row.source;
    p.producer = row.producer;
    p.daily_demand = row.daily_demand;
    p.production_period_days = row.shelf_life_days <= 7 ? 1 : row.shelf_life_days <= 30 ? 5 : 10;
    ++item;
    if (row.source == Source::kFarmer) {
      p.product.set_product_code("NC-" + Digits(static_cast<std::uint64_t>(item), 4));
      p.product.set_farm_produce(true);
      p.product.set_bulk(true);
    } else {
      const int company = row.producer >= 0 ? 1200 + 37 * row.producer : 8800;  // portions: market packs
      p.product.set_gtin(MakeGtin14(row.producer >= 0 ? row.producer : 9, company, item));
      if (row.source == Source::kProducer) p.product.set_producer(Producers()[static_cast<std::size_t>(row.producer)].name);
    }
    p.product.set_name(row.name);
    p.product.set_specification(row.spec);
    p.product.set_category(row.category);
    p.product.set_shelf_life_days(row.shelf_life_days);
    out.push_back(std::move(p));
  }
  return out;
}

std::string MarketName(int index) {
  const int n = static_cast<int>(std::size(kDistricts));
  std::string name = kDistricts[index % n];
  if (index >= n) name += std::to_string(index / n + 1) + "号";
  return name + "农贸市场";
}

std::string WholesalerName(int index) {
  return std::string(kSurnames[(index * 7) % std::size(kSurnames)]) + "氏农副产品批发商行" +
         (index > 0 ? std::to_string(index + 1) + "部" : "");
}

std::string VendorName(Rng& rng, Trade trade) {
  return std::string(kSurnames[rng.Below(static_cast<int>(std::size(kSurnames)))]) + "记" + TradeName(trade);
}

std::string PersonName(Rng& rng) {
  return std::string(kSurnames[rng.Below(static_cast<int>(std::size(kSurnames)))]) +
         kGivenNames[rng.Below(static_cast<int>(std::size(kGivenNames)))];
}

std::string PhoneNumber(Rng& rng) {
  return "13" + Digits(static_cast<std::uint64_t>(rng.Range(5, 9)), 1) +
         Digits(rng.Next() % 100000000ULL, 8);
}

std::string StreetAddress(Rng& rng) {
  return std::string("浙江省杭州市") + kStreets[rng.Below(static_cast<int>(std::size(kStreets)))] +
         std::to_string(rng.Range(1, 399)) + "号";
}

}  // namespace foodtrace::sim
