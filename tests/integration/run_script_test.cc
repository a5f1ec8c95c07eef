// scripts/run, the demo, as a newcomer runs it: it starts `foodtrace serve`, streams a simulated
// region, prints the portal address and the demo tokens; the portal then shows alerts from the
// simulated region to the printed regulator token; Ctrl-C stops everything.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/ledger_fixture.h"
#include "support/process.h"

using namespace foodtrace::testing;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    throw std::runtime_error("no free port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

// The script as a child process with its stdout on a pipe.
class RunScript {
 public:
  explicit RunScript(const std::vector<std::string>& args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      setenv("FOODTRACE_BIN", FoodtraceBinary().c_str(), 1);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    fd_ = out[0];
  }
  ~RunScript() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }

  // Reads stdout until `pattern` matches the text so far or the deadline passes.
  bool WaitFor(const std::regex& pattern, std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (std::regex_search(out_, pattern)) return true;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 500) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return std::regex_search(out_, pattern);
      out_.append(buf, static_cast<size_t>(n));
    }
    return false;
  }

  // Sends `sig`, waits up to `limit` for the script to end; true if it did.
  bool Stop(int sig, std::chrono::seconds limit) {
    kill(pid_, sig);
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        WaitFor(std::regex("stopped"), std::chrono::seconds(2));  // drain what it printed
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  const std::string& output() const { return out_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
};

bool PortOpen(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(1, 0);
  return static_cast<bool>(c.Get("/healthz"));
}

}  // namespace

TEST_CASE("scripts/run brings up the demo and the portal shows the simulated region's alerts",
          "[integration][run]") {
  TempDir dir;
  const int ingest = FreePort(), alerts = FreePort(), http = FreePort();
  RunScript run({std::string(FOODTRACE_SOURCE_DIR) + "/scripts/run", "--data", dir.sub("var"),
                 "--ingest-port", std::to_string(ingest), "--alerts-port", std::to_string(alerts),
                 "--http-port", std::to_string(http), "--markets", "1", "--vendors-per-market", "4"});
  REQUIRE(run.WaitFor(std::regex("vendor token +(\\S+)"), std::chrono::seconds(240)));
  INFO(run.output());
  std::smatch m;
  const std::string out = run.output();
  REQUIRE(std::regex_search(out, m, std::regex("portal +http://127\\.0\\.0\\.1:(\\d+)/")));
  CHECK(std::stoi(m[1].str()) == http);
  REQUIRE(std::regex_search(out, m, std::regex("regulator token +(\\S+)")));
  const std::string token = m[1].str();

  httplib::Client portal("127.0.0.1", http);
  portal.set_read_timeout(10, 0);
  auto home = portal.Get("/");
  REQUIRE(home);
  CHECK(home->status == 200);
  CHECK(home->get_header_value("Content-Type").find("text/html") != std::string::npos);

  // Without the token the alerts are closed; with it they hold what the simulator caused.
  auto anonymous = portal.Get("/api/v1/alerts");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  json alerts_seen = json::array();
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < deadline) {
    auto r = portal.Get("/api/v1/alerts?limit=500", {{"Authorization", "Bearer " + token}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    alerts_seen = json::parse(r->body)["alerts"];
    if (!alerts_seen.empty()) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  REQUIRE_FALSE(alerts_seen.empty());
  std::set<std::string> markets;
  for (const json& a : alerts_seen) {
    CHECK(!a["kind"].get<std::string>().empty());
    markets.insert(a.value("market_id", ""));
  }
  // The simulated region's market ids (sim/: m01 …) appear on its alerts.
  CHECK(markets.count("m01") == 1);

  REQUIRE(run.Stop(SIGINT, std::chrono::seconds(60)));
  CHECK(run.output().find("run: stopped") != std::string::npos);
  CHECK_FALSE(PortOpen(http));  // the server went with it
}
