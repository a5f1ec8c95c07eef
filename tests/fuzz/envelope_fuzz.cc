// libFuzzer target: arbitrary bytes as a Request envelope, every item through the stateless
// validator. Must never crash; an accepted item must validate again to the same bytes
// (normalisation is idempotent), and a rejection always carries a reason code.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "foodtrace/common/check.h"
#include "foodtrace/v1/wire.pb.h"
#include "ledger/validate.h"

// Protobuf logs every string field that is not UTF-8; a fuzzer makes millions of those.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foodtrace;
  v1::Request request;
  if (size > static_cast<std::size_t>(INT32_MAX) ||
      !request.ParseFromArray(data, static_cast<int>(size))) {
    return 0;
  }
  ledger::ValidateContext ctx;
  ctx.today = Date::FromYmd(2025, 6, 1);
  for (int i = 0; i < request.items_size(); ++i) {
    v1::Item* item = request.mutable_items(i);
    ctx.recorder_wholesale = (i & 1) != 0;
    Status status = ledger::ValidateItem(item, ctx);
    if (!status.ok()) {
      FT_CHECK(!status.reason().empty());
      FT_CHECK(status.code() == Code::kInvalidArgument ||
               status.code() == Code::kResourceExhausted);
      continue;
    }
    const std::string once = item->SerializeAsString();
    FT_CHECK(ledger::ValidateItem(item, ctx).ok());
    FT_CHECK(item->SerializeAsString() == once);
  }
  return 0;
}
