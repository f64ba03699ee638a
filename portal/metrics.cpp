#include "portal/metrics.h"

#include <sstream>

namespace portal {

void Metrics::observeRequest(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::addGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read), nullptr});
}

void Metrics::addGaugeFamily(std::string name, std::string help,
                             std::function<std::vector<Sample>()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), nullptr, std::move(read)});
}

namespace {

// A label value in the exposition format: backslash, double quote and newline escaped.
std::string labelValue(const std::string& v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string Metrics::render() const {
  std::vector<Gauge> gauges;
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out << "# HELP portal_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE portal_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out << "portal_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
          << "\"} " << n << "\n";
    }
    out << "# HELP portal_http_request_duration_seconds Time from request to response.\n"
           "# TYPE portal_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out << "portal_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
            << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
      }
      out << "portal_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
          << h.count << "\n";
      out << "portal_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum
          << "\n";
      out << "portal_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count
          << "\n";
    }
    gauges = gauges_;
  }
  for (const Gauge& g : gauges) {
    out << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n";
    if (!g.read_family) {
      out << g.name << " " << g.read() << "\n";
      continue;
    }
    for (const Sample& sample : g.read_family()) {
      out << g.name;
      const char* sep = "{";
      for (const auto& [label, value] : sample.labels) {
        out << sep << label << "=\"" << labelValue(value) << "\"";
        sep = ",";
      }
      out << (sample.labels.empty() ? "" : "}") << " " << sample.value << "\n";
    }
  }
  return out.str();
}

}  // namespace portal
