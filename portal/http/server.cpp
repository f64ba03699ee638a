#include "portal/http/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/version.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>
#include <sstream>

#include "portal/http/url.h"
#include "portal/http/worker_pool.h"
#include "portal/metrics.h"

namespace portal::http {

namespace P = Pistache;

namespace {

const char* kSecurityHeaders[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"Permissions-Policy", "geolocation=(), camera=(), microphone=()"},
};

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool saneRequestId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Pistache writes only typed headers (Raw ones are dropped on the wire), so every header we
// set goes through this one typed header with a run-time name.
class NamedHeader : public P::Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

void addHeader(P::Http::ResponseWriter& w, const std::string& name, const std::string& value) {
  w.headers().add(std::make_shared<NamedHeader>(name, value));
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  ServerHooks hooks;
  std::unique_ptr<P::Http::Endpoint> endpoint;
  std::unique_ptr<WorkerPool> workers;
  std::atomic<unsigned long long> next_id{1};
  std::string id_prefix;

  Impl(ServerOptions o, const Router& r, Metrics& m, ServerHooks h)
      : options(std::move(o)), router(r), metrics(m), hooks(std::move(h)) {
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06x", rd() & 0xFFFFFF);
    id_prefix = buf;
  }

  Response errorResponse(const Request& req, int status, const std::string& message) {
    if (hooks.error_page) {
      try {
        return hooks.error_page(req, status, message);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[%s] error page failed: %s\n", req.request_id.c_str(), e.what());
      }
    }
    return Response::text(message, status);
  }

  // Runs the matched handler; every failure becomes an answer, never an exception.
  Response run(const Route& route, const Request& req) {
    try {
      return route.handler(req);
    } catch (const HttpError& e) {
      if (!e.location().empty()) return Response::redirect(e.location());
      return errorResponse(req, e.status(), e.message());
    } catch (const std::exception& e) {
      const int status = hooks.status_for ? hooks.status_for(e) : 500;
      std::fprintf(stderr, "[%s] %s %s failed (%d): %s\n", req.request_id.c_str(),
                   req.method.c_str(), req.raw_target.c_str(), status, e.what());
      return errorResponse(req, status,
                           status == 503 ? "服务暂时不可用，请稍后再试。"
                                         : "服务器内部错误，请稍后再试。我们已记录此问题。");
    }
  }

  void send(P::Http::ResponseWriter& writer, const Request& req, Response resp,
            const std::string& route_name, std::chrono::steady_clock::time_point started) {
    for (const auto& h : kSecurityHeaders) addHeader(writer, h[0], h[1]);
    addHeader(writer, "X-Request-Id", req.request_id);
    for (const auto& [name, value] : resp.headers) addHeader(writer, name, value);
    if (req.method == "HEAD") resp.body.clear();
    const auto mime = P::Http::Mime::MediaType::fromString(resp.content_type);
    // Counted before sending, so a client that reads /metrics right after its answer sees it.
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observeRequest(route_name, resp.status, secs);
    writer.send(static_cast<P::Http::Code>(resp.status), resp.body, mime);
    if (options.log_requests) {
      std::fprintf(stderr, "%s %s %s %s %d %.1fms\n", req.request_id.c_str(),
                   req.remote_addr.c_str(), req.method.c_str(), req.raw_target.c_str(), resp.status,
                   secs * 1000);
    }
  }

  // Builds our Request from Pistache's; an error status (400/414) when it is not acceptable.
  int convert(const P::Http::Request& in, Request& out) {
    out.method = P::Http::methodString(in.method());
    std::string raw_query;
    for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
      raw_query += (raw_query.empty() ? "" : "&") + it->first + "=" + it->second;
    }
    out.raw_target = in.resource() + (raw_query.empty() ? "" : "?" + raw_query);
    if (out.raw_target.size() > options.max_target_bytes) return 414;
    for (const auto& h : in.headers().list()) {
      std::ostringstream v;
      h->write(v);
      out.headers[lower(h->name())] = v.str();
    }
    for (const auto& [name, raw] : in.headers().rawList()) out.headers[lower(name)] = raw.value();
    for (const auto& c : in.cookies()) out.cookies[c.name] = c.value;
    out.remote_addr = in.address().host();
    out.peer_addr = out.remote_addr;
    if ((out.remote_addr == "127.0.0.1" || out.remote_addr == "::1") &&
        out.headers.count("x-real-ip")) {
      out.remote_addr = out.headers["x-real-ip"];
    }
    auto rid = out.headers.find("x-request-id");
    out.request_id = rid != out.headers.end() && saneRequestId(rid->second)
                         ? rid->second
                         : id_prefix + "-" + std::to_string(next_id++);
    auto path = percentDecode(in.resource(), false);
    if (!path || path->empty() || (*path)[0] != '/') return 400;
    out.path = std::move(*path);
    std::vector<std::pair<std::string, std::string>> query;
    for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
      auto k = percentDecode(it->first, true);
      auto v = percentDecode(it->second, true);
      if (!k || !v) return 400;
      query.emplace_back(std::move(*k), std::move(*v));
    }
    out.query = std::move(query);
    out.body = in.body();
    return 0;
  }

  void onRequest(const P::Http::Request& in, P::Http::ResponseWriter writer) {
    const auto started = std::chrono::steady_clock::now();
    Request req;
    const int bad = convert(in, req);
    if (bad == 414) {
      return send(writer, req, errorResponse(req, 414, "请求地址过长。"), "invalid", started);
    }
    if (bad) {
      return send(writer, req,
                  errorResponse(req, 400, "请求地址或参数的编码无效，请检查链接是否完整。"),
                  "invalid", started);
    }
    RouteMatch m = router.match(req.method, req.path);
    if (!m.route) {
      if (!m.allowed_methods.empty()) {
        Response r = errorResponse(req, 405, "不支持该请求方法。");
        std::string allow;
        for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
        r.headers.emplace_back("Allow", allow);
        return send(writer, req, std::move(r), "method_not_allowed", started);
      }
      return send(writer, req, errorResponse(req, 404, "您访问的页面不存在。"), "not_found",
                  started);
    }
    req.params = std::move(m.params);
    const Route* route = m.route;
    if (route->execution == Execution::Inline) {
      return send(writer, req, run(*route, req), route->name, started);
    }
    auto shared_writer = std::make_shared<P::Http::ResponseWriter>(std::move(writer));
    auto shared_req = std::make_shared<Request>(std::move(req));
    const bool queued = workers->trySubmit([this, route, shared_writer, shared_req, started] {
      send(*shared_writer, *shared_req, run(*route, *shared_req), route->name, started);
    });
    if (!queued) {
      Response r = errorResponse(*shared_req, 503, "访问人数较多，请稍后再试。");
      r.headers.emplace_back("Retry-After", "2");
      send(*shared_writer, *shared_req, std::move(r), "overloaded", started);
    }
  }
};

namespace {
class PistacheHandler : public P::Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)
  explicit PistacheHandler(Server::Impl* impl) : impl_(impl) {}
  void onRequest(const P::Http::Request& req, P::Http::ResponseWriter writer) override {
    impl_->onRequest(req, std::move(writer));
  }
  void onTimeout(const P::Http::Request&, P::Http::ResponseWriter writer) override {
    writer.send(P::Http::Code::Request_Timeout, "请求超时。",
                P::Http::Mime::MediaType::fromString("text/plain; charset=utf-8"));
  }

 private:
  Server::Impl* impl_;
};
}  // namespace

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, std::move(hooks))) {}

Server::~Server() { stop(); }

void Server::start() {
  const auto& o = impl_->options;
  impl_->workers = std::make_unique<WorkerPool>(o.workers, o.queue_limit);
  P::Address addr(o.address, P::Port(static_cast<uint16_t>(o.port)));
  impl_->endpoint = std::make_unique<P::Http::Endpoint>(addr);
  auto opts = P::Http::Endpoint::options()
                  .threads(o.io_threads)
                  .flags(P::Tcp::Options::ReuseAddr)
                  .maxRequestSize(o.max_request_bytes)
                  .maxResponseSize(64 << 20)
                  .headerTimeout(std::chrono::seconds(o.header_timeout_s))
                  .bodyTimeout(std::chrono::seconds(o.body_timeout_s))
                  .keepaliveTimeout(std::chrono::seconds(o.keepalive_timeout_s));
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(P::Http::make_handler<PistacheHandler>(impl_.get()));
  impl_->endpoint->serveThreaded();
}

int Server::port() const {
  return impl_->endpoint ? static_cast<int>(static_cast<uint16_t>(impl_->endpoint->getPort())) : 0;
}

void Server::stop() {
  // Workers first: queued handlers finish and answer while the transport is still alive;
  // requests arriving meanwhile get 503 from trySubmit.
  if (impl_->workers) impl_->workers->stop();
  if (impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
  impl_->workers.reset();
}

std::size_t Server::queued() const { return impl_->workers ? impl_->workers->queued() : 0; }

}  // namespace portal::http
