#include "foodtrace/ledger/ledger.h"

namespace foodtrace::ledger {

std::string ProductKey(std::string_view gtin, std::string_view product_code) {
  if (!gtin.empty()) return std::string(gtin);
  return "C:" + std::string(product_code);
}

std::string ProductKey(const v1::LotRef& lot) { return ProductKey(lot.gtin(), lot.product_code()); }

}  // namespace foodtrace::ledger
