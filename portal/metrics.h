#pragma once

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace portal {

// Prometheus counters and gauges for the whole process. Thread safe.
class Metrics {
 public:
  // One finished request: counted by route and status, its latency into the histogram.
  void observeRequest(const std::string& route, int status, double seconds);
  // A gauge read at scrape time (pool use, queue depth, ...). Register before serving.
  void addGauge(std::string name, std::string help, std::function<double()> read);
  // One labelled sample: label names and values (escaped when rendered), and the value.
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
  };
  // A gauge with labels, all its samples read at scrape time by one call (one query).
  void addGaugeFamily(std::string name, std::string help,
                      std::function<std::vector<Sample>()> read);
  // The Prometheus text exposition format (version 0.0.4).
  std::string render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<unsigned long long, kBuckets.size()> buckets{};
    unsigned long long count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
    std::function<std::vector<Sample>()> read_family;  // set instead of read for a family
  };

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, unsigned long long> requests_;
  std::map<std::string, Histogram> latency_;
  std::vector<Gauge> gauges_;
};

}  // namespace portal
