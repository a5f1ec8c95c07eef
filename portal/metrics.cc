// Prometheus text exposition (format 0.0.4) of the portal's request metrics.
#include "portal/metrics.h"

#include <cstdio>
#include <set>
#include <sstream>

namespace foodtrace::portal {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

int Metrics::AddRoute(const std::string& label) {
  routes_.push_back(std::make_unique<RouteStats>());
  routes_.back()->label = label;
  return static_cast<int>(routes_.size()) - 1;
}

void Metrics::Record(int route, const std::string& method, int status, double seconds) {
  if (route < 0 || route >= static_cast<int>(routes_.size())) return;
  RouteStats& r = *routes_[static_cast<std::size_t>(route)];
  std::size_t bucket = 0;
  while (bucket < kBucketsSeconds.size() && seconds > kBucketsSeconds[bucket]) ++bucket;
  r.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
  std::lock_guard lock(r.mu);
  ++r.by_status[{method, status}];
}

std::string Metrics::Render(const std::vector<Sample>& extra) const {
  std::ostringstream out;
  out << "# HELP foodtrace_http_requests_total HTTP requests answered, by route, method and status.\n"
         "# TYPE foodtrace_http_requests_total counter\n";
  for (const auto& r : routes_) {
    std::lock_guard lock(r->mu);
    for (const auto& [key, n] : r->by_status) {
      out << "foodtrace_http_requests_total{route=\"" << Escape(r->label) << "\",method=\""
          << Escape(key.first) << "\",status=\"" << key.second << "\"} " << n << "\n";
    }
  }
  out << "# HELP foodtrace_http_request_duration_seconds Time from routing to the answer.\n"
         "# TYPE foodtrace_http_request_duration_seconds histogram\n";
  for (const auto& r : routes_) {
    const std::uint64_t count = r->count.load();
    if (count == 0) continue;
    const std::string label = "route=\"" + Escape(r->label) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
      cumulative += r->buckets[i].load();
      out << "foodtrace_http_request_duration_seconds_bucket{" << label << ",le=\""
          << Number(kBucketsSeconds[i]) << "\"} " << cumulative << "\n";
    }
    out << "foodtrace_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << count << "\n";
    out << "foodtrace_http_request_duration_seconds_sum{" << label << "} "
        << Number(static_cast<double>(r->sum_ns.load()) / 1e9) << "\n";
    out << "foodtrace_http_request_duration_seconds_count{" << label << "} " << count << "\n";
  }
  std::set<std::string> described;
  for (const Sample& s : extra) {
    if (described.insert(s.family).second) {
      out << "# HELP " << s.family << " " << s.help << "\n# TYPE " << s.family << " " << s.type << "\n";
    }
    out << s.name << " " << Number(s.value) << "\n";
  }
  return out.str();
}

}  // namespace foodtrace::portal
