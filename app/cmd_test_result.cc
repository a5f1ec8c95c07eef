// `foodtrace test-result add`: a market rapid test or laboratory result (regulator, market or
// operator key). A failed test stops the lot and raises TEST_FAILED naming the supplier.
#include <cstdio>

#include "app/app.h"
#include "foodtrace/common/crypto.h"

namespace foodtrace::app {
namespace {

struct TestFlags {
  ClientFlags client;
  v1::TestResult test;
  bool passed = false, failed = false;
};

int Add(TestFlags& f) {
  v1::TestResult& t = f.test;
  if (f.passed == f.failed) return Fail(Status::Invalid("USAGE", "give exactly one of --passed and --failed"));
  t.set_passed(f.passed);
  if (t.test_id().empty()) t.set_test_id("test-" + RandomHex(6));
  auto client = Connect(f.client);
  if (!client.ok()) return Fail(client.status());
  if (t.tested_on().empty()) {  // the market's today, as the server decides it
    auto clock = AskClock(**client);
    if (!clock.ok()) return Fail(clock.status());
    t.set_tested_on(clock->today.ToString());
  }
  std::vector<v1::Item> items(1);
  *items[0].mutable_test_result() = t;
  auto results = (*client)->Submit(std::move(items));
  if (!results.ok()) return Fail(results.status());
  const v1::ItemResult& r = (*results)[0];
  if (r.status() == v1::ItemResult::REJECTED) return Fail(Status::Invalid(r.code(), r.code() + ": " + r.message()));
  if (f.client.json) {
    std::printf("%s\n", nlohmann::json{{"test_id", t.test_id()},
                                       {"status", v1::ItemResult::Status_Name(r.status())},
                                       {"sequence", r.sequence()}}
                            .dump()
                            .c_str());
  } else {
    std::printf("test %s %s, sequence %llu%s\n", t.test_id().c_str(), v1::ItemResult::Status_Name(r.status()).c_str(),
                static_cast<unsigned long long>(r.sequence()), t.passed() ? "" : " (the lot is now stopped)");
  }
  return 0;
}

}  // namespace

void AddTestResultCommand(CLI::App* app, int* exit_code) {
  CLI::App* group = app->add_subcommand("test-result", "record rapid test and laboratory results");
  group->require_subcommand(1);
  auto f = std::make_shared<TestFlags>();
  v1::TestResult* t = &f->test;
  CLI::App* cmd = group->add_subcommand("add", "record one test result");
  AddClientFlags(cmd, &f->client);
  auto opt = [cmd](const std::string& name, const std::string& help, std::function<void(const std::string&)> set) {
    return cmd->add_option_function<std::string>(name, std::move(set), help);
  };
  opt("--id", "test id (default: generated)", [t](const std::string& v) { t->set_test_id(v); });
  opt("--party", "the sampled party", [t](const std::string& v) { t->set_party_id(v); })->required();
  opt("--gtin", "product GTIN", [t](const std::string& v) { t->set_gtin(v); });
  opt("--product-code", "product code (goods without GTIN)", [t](const std::string& v) { t->set_product_code(v); });
  opt("--lot", "the sampled lot", [t](const std::string& v) { t->set_lot(v); })->required();
  opt("--item", "what was tested, e.g. 农药残留 (有机磷)", [t](const std::string& v) { t->set_item(v); })->required();
  opt("--value", "measured value", [t](const std::string& v) { t->set_value(v); });
  opt("--limit", "the limit it is judged against", [t](const std::string& v) { t->set_limit(v); });
  opt("--lab", "laboratory or market test station", [t](const std::string& v) { t->set_lab(v); });
  opt("--tested-on", "test date YYYY-MM-DD (default today)", [t](const std::string& v) { t->set_tested_on(v); });
  cmd->add_flag("--passed", f->passed, "the sample passed");
  cmd->add_flag("--failed", f->failed, "the sample failed: the lot is stopped and TEST_FAILED raised");
  cmd->add_flag_callback("--publish", [t] { t->set_published(true); }, "show the result publicly");
  cmd->callback([f, exit_code] { *exit_code = Add(*f); });
}

}  // namespace foodtrace::app
