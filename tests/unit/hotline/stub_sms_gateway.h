#pragma once

#include <httplib.h>

#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hotline::testing_support {

// A local SMS gateway on a free loopback port: records every request and answers what
// `respond` says (default: Kannel's 202 "0: Accepted for delivery"). Nothing leaves the
// machine.
class StubSmsGateway {
 public:
  struct Seen {
    std::string method;
    std::string target;  // as sent: path and raw query
    std::string body;
    std::string content_type;
    std::string authorization;
    std::map<std::string, std::string> headers;  // names in lowercase
    std::string header(std::string name) const {
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return headers.count(name) ? headers.find(name)->second : "";
    }
    std::string param(const std::string& name) const {
      return params_.count(name) ? params_.find(name)->second : "";
    }
    std::multimap<std::string, std::string> params_;  // query or form, decoded
  };
  using Responder = std::function<std::pair<int, std::string>(const Seen&, int n)>;

  StubSmsGateway() {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Seen seen;
      seen.method = req.method;
      seen.target = req.target;
      seen.body = req.body;
      seen.content_type = req.get_header_value("Content-Type");
      seen.authorization = req.get_header_value("Authorization");
      for (const auto& [name, value] : req.headers) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        seen.headers[lower] = value;
      }
      seen.params_ = req.params;
      Responder respond;
      int n = 0;
      {
        std::lock_guard<std::mutex> lock(mu_);
        seen_.push_back(seen);
        n = static_cast<int>(seen_.size());
        respond = respond_;
      }
      auto [status, body] =
          respond ? respond(seen, n) : std::make_pair(202, std::string("0: Accepted for delivery"));
      res.status = status;
      res.set_content(body, "text/plain");
      if (status >= 200 && status < 300) {
        std::lock_guard<std::mutex> lock(mu_);
        accepted_.push_back(seen);
      }
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~StubSmsGateway() {
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void respond(Responder r) {
    std::lock_guard<std::mutex> lock(mu_);
    respond_ = std::move(r);
  }
  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  // Requests answered 2xx: what the gateway took for delivery.
  std::vector<Seen> accepted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return accepted_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  Responder respond_;
  std::vector<Seen> seen_;
  std::vector<Seen> accepted_;
};

}  // namespace hotline::testing_support
