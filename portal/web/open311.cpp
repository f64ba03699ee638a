// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the same intake code as the
// complaint form: discovery, services (our complaint categories), a service definition (one
// optional attribute: the department), POST and GET service requests, in JSON and XML.
//
// Privacy: GET requests is open to anyone, so a request there carries the category, handling
// department, status and dates only; the description, address and coordinates stay out
// (people write names and addresses into them), as does any identity. Our detailed state
// (已受理, 已移送, ...) is in extended_attributes, sent only with ?extensions=true (the
// GeoReport v2 extensions convention). POST answers with the tracking code as an
// extension, because the citizen needs it to follow and rate the complaint.
//
// Attachment metadata (no files are accepted): up to five described pieces of evidence as the
// attributes attachment_N_name, attachment_N_kind (photo, video, audio, document, other; the
// Chinese names work too) and attachment_N_description, N = 1..5, like the complaint form's
// rows. The spec's media_url becomes one more entry, after those: kind 其他 (other), the URL as
// its file name (so at most 100 characters, http or https only), description "Open311
// media_url". The portal never fetches it; staff see it as text. With five attribute entries a
// media_url is a sixth, refused as too many. Errors about it name the field media_url.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "base/percent_encoding.h"
#include "base/utf8.h"
#include "hotline/local_clock.h"
#include "hotline/registration_number.h"
#include "hotline/text.h"
#include "portal/accounts/session_token.h"
#include "portal/http/multipart.h"
#include "portal/http/url.h"
#include "portal/web/complaint_views.h"
#include "portal/web/guards.h"
#include "portal/web/handlers.h"
#include "portal/web/xml.h"

namespace portal::web {

using ojson = nlohmann::ordered_json;
using Form = std::vector<std::pair<std::string, std::string>>;

namespace {

enum class Format { Json, Xml };

constexpr const char* kSpecification = "http://wiki.open311.org/GeoReport_v2";
constexpr const char* kDepartmentAttribute = "department_id";
constexpr const char* kMediaUrlDescription = "Open311 media_url";

// The element name for one member of a list, as the spec's XML examples name them.
std::string singular(const std::string& plural) {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"services", "service"}, {"service_requests", "request"}, {"endpoints", "endpoint"},
      {"formats", "format"},   {"attributes", "attribute"},     {"values", "value"},
      {"errors", "error"}};
  for (const auto& [p, s] : kNames) {
    if (p == plural) return s;
  }
  return "item";
}

void toXml(std::string& out, const std::string& name, const ojson& v) {
  if (v.is_array()) {
    out += "<" + name + ">";
    const std::string item = singular(name);
    for (const auto& e : v) toXml(out, item, e);
    out += "</" + name + ">";
  } else if (v.is_object()) {
    out += "<" + name + ">";
    for (const auto& [k, e] : v.items()) toXml(out, k, e);
    out += "</" + name + ">";
  } else if (v.is_null()) {
    out += "<" + name + "/>";
  } else if (v.is_string()) {
    out += "<" + name + ">" + xmlEscape(v.get<std::string>()) + "</" + name + ">";
  } else {
    out += "<" + name + ">" + v.dump() + "</" + name + ">";
  }
}

// `root` names the XML document element ("services", "service_requests", ...).
Response reply(Format f, const std::string& root, const ojson& body, int status = 200) {
  if (f == Format::Json) return Response::json(body.dump(), status);
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
  toXml(out, root, body);
  return Response::text(out, status, "text/xml; charset=utf-8");
}

Response open311Error(Format f, int status, const std::vector<std::string>& descriptions) {
  ojson errors = ojson::array();
  for (const auto& d : descriptions) errors.push_back({{"code", status}, {"description", d}});
  return reply(f, "errors", errors, status);
}

// "services.json" -> Json; "TS-2026-000001.xml" -> Xml with *stem "TS-2026-000001".
std::optional<Format> formatOf(const std::string& file, std::string* stem = nullptr) {
  const auto dot = file.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string ext = file.substr(dot + 1);
  if (stem) *stem = file.substr(0, dot);
  if (ext == "json") return Format::Json;
  if (ext == "xml") return Format::Xml;
  return std::nullopt;
}

Format pathFormat(const Request& req) { return formatOf(req.path).value_or(Format::Json); }

// Runs a handler body, answering a person's mistake (HttpError) in the spec's error format.
template <typename F>
Response guarded(Format f, F&& body) {
  try {
    return body();
  } catch (const http::HttpError& e) {
    if (e.status() == 303) throw;
    return open311Error(f, e.status(), {e.message()});
  }
}

std::string offsetText(int minutes) {
  char buf[32];
  const int a = std::abs(minutes) % (24 * 60);
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

// "2026-03-02 10:00:00" (local) -> "2026-03-02T10:00:00+08:00".
ojson w3Time(const std::string& local, int offset_minutes) {
  if (local.size() != 19) return nullptr;
  return local.substr(0, 10) + "T" + local.substr(11) + offsetText(offset_minutes);
}

// Two ASCII digits at s[pos] ("08"), or -1 ("8:", "+8", "-1" are not W3C).
int twoDigits(const std::string& s, std::size_t pos) {
  if (pos + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[pos])) ||
      !std::isdigit(static_cast<unsigned char>(s[pos + 1]))) {
    return -1;
  }
  return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
}

// A W3C date-time ("2026-03-01T00:00:00Z", "...+08:00", or a bare "2026-03-01", taken as local)
// as local "YYYY-MM-DD HH:MM:SS"; std::nullopt when malformed.
std::optional<std::string> localTime(const std::string& w3, int offset_minutes) {
  const auto date = hotline::CivilDate::parse(w3.substr(0, 10));
  if (!date) return std::nullopt;
  if (w3.size() == 10) return w3 + " 00:00:00";
  if (w3.size() < 16 || w3[10] != 'T' || w3[13] != ':') return std::nullopt;
  const int h = twoDigits(w3, 11), m = twoDigits(w3, 14);
  int s = 0;
  std::size_t pos = 16;
  if (w3.size() >= 19 && w3[16] == ':') {
    s = twoDigits(w3, 17);
    pos = 19;
  }
  // Fractional seconds: "one or more digits", and only after the seconds ("10:00.5" and
  // "10:00:00." are no W3C date-times).
  if (pos == 19 && pos < w3.size() && w3[pos] == '.') {
    const std::size_t digits = ++pos;
    while (pos < w3.size() && std::isdigit(static_cast<unsigned char>(w3[pos]))) ++pos;
    if (pos == digits) return std::nullopt;
  }
  int zone = offset_minutes;
  std::string tz = w3.substr(pos);
  // "+08:00" written into a URL unencoded arrives as " 08:00" (a query's '+' is a space). A
  // space is never a W3C offset sign, so it can only be that '+'.
  if (tz.size() == 6 && tz[0] == ' ') tz[0] = '+';
  if (tz == "Z") {
    zone = 0;
  } else if (tz.size() == 6 && (tz[0] == '+' || tz[0] == '-') && tz[3] == ':') {
    const int zh = twoDigits(tz, 1), zm = twoDigits(tz, 4);
    if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return std::nullopt;
    zone = (tz[0] == '-' ? -1 : 1) * (zh * 60 + zm);
  } else if (!tz.empty()) {
    return std::nullopt;
  }
  if (h < 0 || m < 0 || s < 0) return std::nullopt;
  if (h > 23 || m > 59 || s > 60) return std::nullopt;
  const std::int64_t utc =
      date->daysSinceEpoch() * 86400 + h * 3600 + m * 60 + s - std::int64_t{zone} * 60;
  std::int64_t local = utc + std::int64_t{offset_minutes} * 60;
  std::int64_t days = local / 86400;
  std::int64_t secs = local % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d",
                hotline::CivilDate::fromDaysSinceEpoch(days).toString().c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return std::string(buf);
}

// "noise,street_vending"; blanks around an entry are not part of it ("noise, street_vending",
// as a client joining with ", " writes it), and empty entries are skipped.
std::vector<std::string> commaList(const std::string& v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    std::size_t comma = v.find(',', pos);
    if (comma == std::string::npos) comma = v.size();
    std::string entry = base::trim(std::string_view(v).substr(pos, comma - pos));
    if (!entry.empty()) out.push_back(std::move(entry));
    pos = comma + 1;
  }
  return out;
}

ojson serviceJson(const hotline::CodeName& c) {
  return ojson{{"service_code", c.code},
               {"service_name", c.name},
               {"description", "投诉举报“" + c.name + "”类行政执法问题"},
               {"metadata", true},
               {"type", "realtime"},
               {"keywords", c.name},
               {"group", "投诉举报"}};
}

std::optional<hotline::CodeName> findService(Context& ctx, const std::string& code) {
  for (const auto& c : ctx.complaints.categories()) {
    if (c.code == code) return c;
  }
  return std::nullopt;
}

ojson requestJson(const hotline::PublicRequest& r, int offset_minutes, bool extensions) {
  ojson out{
      {"service_request_id", r.registration_no},
      {"status", hotline::isClosed(r.state) ? "closed" : "open"},
      {"status_notes", std::string(hotline::stateName(r.state))},
      {"service_name", r.category_name},
      {"service_code", r.category},
      {"description", nullptr},
      {"agency_responsible", r.department_name.empty() ? ojson(nullptr) : ojson(r.department_name)},
      {"service_notice", nullptr},
      {"requested_datetime", w3Time(r.received_at, offset_minutes)},
      {"updated_datetime", w3Time(r.updated_at, offset_minutes)},
      // When the request should be fulfilled (ComplaintService::publicRequests): the handling
      // or the review deadline; none once closed (the spec makes it optional).
      {"expected_datetime",
       r.expected_due ? ojson(w3Time(r.expected_due->toString() + " 23:59:59", offset_minutes))
                      : ojson(nullptr)},
      {"address", nullptr},
      {"address_id", nullptr},
      {"zipcode", nullptr},
      {"lat", nullptr},
      {"long", nullptr},
      {"media_url", nullptr}};
  if (extensions) {
    out["extended_attributes"] = {
        {"detailed_status", std::string(hotline::stateCode(r.state))},
        {"detailed_status_name", std::string(hotline::stateName(r.state))},
        {"expected_datetime_provisional", r.expected_due && r.expected_due_provisional}};
  }
  return out;
}

// "attachment_3_kind" -> {2, "kind"} (index into the entries); std::nullopt for anything else.
std::optional<std::pair<std::size_t, std::string>> attachmentAttribute(const std::string& code) {
  const std::string prefix = "attachment_";
  if (code.rfind(prefix, 0) != 0 || code.size() < prefix.size() + 3) return std::nullopt;
  const char digit = code[prefix.size()];
  if (digit < '1' || static_cast<std::size_t>(digit - '0') > hotline::kMaxAttachments ||
      code[prefix.size() + 1] != '_') {
    return std::nullopt;
  }
  const std::string part = code.substr(prefix.size() + 2);
  if (part != "name" && part != "kind" && part != "description") return std::nullopt;
  return std::make_pair(static_cast<std::size_t>(digit - '1'), part);
}

ojson attachmentAttributes() {
  ojson out = ojson::array();
  ojson kinds = ojson::array();
  for (hotline::AttachmentKind k : hotline::allAttachmentKinds()) {
    kinds.push_back({{"key", std::string(hotline::attachmentKindCode(k))},
                     {"name", std::string(hotline::attachmentKindName(k))}});
  }
  int order = 1;
  for (std::size_t n = 1; n <= hotline::kMaxAttachments; ++n) {
    const std::string prefix = "attachment_" + std::to_string(n) + "_";
    const std::string label = "第" + std::to_string(n) + "项证据材料";
    out.push_back({{"variable", true},
                   {"code", prefix + "name"},
                   {"datatype", "string"},
                   {"required", false},
                   {"datatype_description", "文件名称，不超过" +
                                                std::to_string(hotline::kMaxAttachmentNameChars) +
                                                "字；本平台不接收文件，只登记说明"},
                   {"order", ++order},
                   {"description", label + "的文件名称"}});
    out.push_back({{"variable", true},
                   {"code", prefix + "kind"},
                   {"datatype", "singlevaluelist"},
                   {"required", false},
                   {"datatype_description", "填写文件名称时必填"},
                   {"order", ++order},
                   {"description", label + "的类型"},
                   {"values", kinds}});
    out.push_back({{"variable", true},
                   {"code", prefix + "description"},
                   {"datatype", "string"},
                   {"required", false},
                   {"datatype_description",
                    "不超过" + std::to_string(hotline::kMaxAttachmentDescriptionChars) + "字"},
                   {"order", ++order},
                   {"description", label + "的简要说明"}});
  }
  return out;
}

// Decimal degrees as the spec writes them ("37.76524078", "-122.4212043"): an optional sign,
// then digits with at most one decimal point. std::stod alone would also take " 31.2", "0x1f"
// (31) and "3.1e1".
// `name` is the argument ("lat" or "long"), for the 400.
std::optional<double> coordinate(const char* name, const std::string& v) {
  if (v.empty()) return std::nullopt;
  const std::size_t start = v[0] == '-' || v[0] == '+' ? 1 : 0;
  const std::string number = v.substr(start);
  const bool decimal =
      number.size() <= 32 && std::count(number.begin(), number.end(), '.') <= 1 &&
      std::any_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      std::all_of(number.begin(), number.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  if (!decimal) {
    throw http::HttpError(400, std::string(name) + ": 应为十进制度数（WGS-84）：" + v,
                          "bad_coordinate");
  }
  return std::stod(v);
}

// Where discovery says the endpoint is (GeoReport v2 "url: The URL of the API endpoint").
// site.base_url when it is an http(s) URL: the one address an operator vouches for. Without
// it, the request's Host is used only when it names this machine (a loopback address,
// "localhost" or server.address), as when a developer or a test calls the portal directly;
// any other Host is whatever the client (or an attacker, for a shared cache or a link in a
// phishing mail) wrote, so the answer is the path alone, "/open311/v2": a relative reference
// that RFC 3986 resolves against the discovery document's own URL, naming no host at all.
// Production sets site.base_url (README, Open311).
std::string endpointUrl(Context& ctx, const Request& req) {
  const std::string path = "/open311/v2";
  std::string base = ctx.config.site.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.rfind("http://", 0) == 0 || base.rfind("https://", 0) == 0) return base + path;
  const auto host = parseAuthority(req.header("host").value_or(""));
  if (!host) return path;
  const std::string bare =
      host->name.front() == '[' ? host->name.substr(1, host->name.size() - 2) : host->name;
  const std::string& listen = ctx.config.server.address;
  const bool own = bare == "localhost" || isLoopback(bare) ||
                   (bare == listen && listen != "0.0.0.0" && listen != "::");
  if (!own) return path;
  const std::string proto = servedOverHttps(ctx, req) ? "https" : "http";
  return proto + "://" + host->name + (host->port.empty() ? "" : ":" + host->port) + path;
}

// GeoReport v2's jurisdiction_id is "only required if the endpoint serves multiple
// jurisdictions": this one serves one, so whatever a client sends there (clients written for
// multi-city servers always send one) is read as this district, never refused.

// "?extensions=true" (GeoReport v2 extensions): only then do answers carry
// extended_attributes.
bool extensionsOn(const Request& req) {
  return req.queryValue("extensions").value_or("") == "true";
}

// A local "YYYY-MM-DD HH:MM:SS" moved by `days`.
std::string shiftDays(const std::string& local, int days) {
  const auto date = hotline::CivilDate::parse(local.substr(0, 10));
  if (!date) return local;
  return hotline::CivilDate::fromDaysSinceEpoch(date->daysSinceEpoch() + days).toString() +
         local.substr(10);
}

constexpr int kDefaultWindowDays = 90;

// The {id} of "services/{id}.json", "requests/{id}.json" and "tokens/{id}.json" without blanks
// around it. A blank one is one not provided: GeoReport v2 answers that 400 ("service_code was
// not provided"), an unknown one 404.
std::string requiredId(const std::string& stem, const char* name) {
  std::string id = base::trim(stem);
  if (id.empty()) throw http::HttpError(400, std::string("缺少 ") + name, "bad_request");
  return id;
}

}  // namespace

Response open311ErrorResponse(const Request& req, int status, const std::string& message) {
  const bool xml = req.path.size() >= 4 && req.path.compare(req.path.size() - 4, 4, ".xml") == 0;
  Response r = open311Error(xml ? Format::Xml : Format::Json, status, {message});
  // Readable by the browser apps that read Open311 (an outage, an unknown path).
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

Response open311Preflight(Context&, const Request& req) {
  const auto ends = [&](const char* tail) {
    const std::string t = tail;
    return req.path.size() >= t.size() &&
           req.path.compare(req.path.size() - t.size(), t.size(), t) == 0;
  };
  const bool postable = ends("/requests.json") || ends("/requests.xml");
  Response r;
  r.status = 204;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Access-Control-Allow-Methods",
                         postable ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS");
  // Idempotency-Key: our extension that lets a retried POST count once.
  r.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key");
  r.headers.emplace_back("Access-Control-Max-Age", "86400");
  return r;
}

Response open311Discovery(Context& ctx, const Request& req) {
  const Format f = pathFormat(req);
  const std::string changeset = "2026-01-01T00:00:00+08:00";
  ojson body{
      {"changeset", changeset},
      {"contact", ctx.config.site.owner + "（" + ctx.config.site.name + "）"},
      {"key_service", "向" + ctx.config.site.owner + "申请 api_key 后方可提交服务请求"},
      {"endpoints", ojson::array({{{"specification", kSpecification},
                                   {"url", endpointUrl(ctx, req)},
                                   {"changeset", changeset},
                                   {"type", "production"},
                                   {"formats", ojson::array({"text/xml", "application/json"})}}})}};
  return reply(f, "discovery", body);
}

Response open311Services(Context& ctx, const Request& req) {
  const Format f = pathFormat(req);
  return guarded(f, [&] {
    ojson list = ojson::array();
    for (const auto& c : ctx.complaints.categories()) list.push_back(serviceJson(c));
    return reply(f, "services", list);
  });
}

Response open311ServiceDefinition(Context& ctx, const Request& req) {
  std::string code;
  const auto f = formatOf(req.params.at("file"), &code);
  if (!f) return open311Error(Format::Json, 404, {"格式须为 .json 或 .xml"});
  return guarded(*f, [&] {
    code = requiredId(code, "service_code");
    if (!findService(ctx, code)) {
      throw http::HttpError(404, "service_code 不存在：" + code, "not_found");
    }
    ojson values = ojson::array();
    for (const auto& d : ctx.complaints.departments()) {
      values.push_back({{"key", std::to_string(d.id)}, {"name", d.name}});
    }
    ojson attribute{{"variable", true},
                    {"code", kDepartmentAttribute},
                    {"datatype", "singlevaluelist"},
                    {"required", false},
                    {"datatype_description", "承办部门；不填为“不确定”，由区法制办分派"},
                    {"order", 1},
                    {"description", "投诉的部门"},
                    {"values", values}};
    ojson attributes = ojson::array({attribute});
    for (auto& a : attachmentAttributes()) attributes.push_back(std::move(a));
    ojson body{{"service_code", code}, {"attributes", attributes}};
    return reply(*f, "service_definition", body);
  });
}

namespace {

// The fields of a multipart/form-data body (RFC 7578), what an HTTP library sends when a client
// "posts a form" with its multipart option (curl -F, Python requests' files=): the same
// arguments in another encoding. Files are not taken (Open311 here is text only; media_url
// names one), so a file part is refused by its name rather than filed without it.
Form multipartForm(const std::string& content_type, const std::string& body) {
  auto parts = http::parseMultipart(content_type, body);
  if (!parts) {
    throw http::HttpError(400, "multipart/form-data 请求体格式无效（分隔符 boundary 缺失或不匹配）",
                          "bad_form");
  }
  Form form;
  for (http::FormPart& part : *parts) {
    // The name is checked first: the refusal of a file repeats it, and an answer must be UTF-8.
    if (!http::isValidUtf8(part.name)) {
      throw http::HttpError(400, "请求体须为 UTF-8 编码", "bad_form");
    }
    if (!part.filename.empty()) {
      throw http::HttpError(400,
                            part.name + ": 本接口不接收文件，请把文件放在网上，用 media_url "
                                        "提交其网址；未登记",
                            "bad_request");
    }
    if (!http::isValidUtf8(part.content)) {
      throw http::HttpError(400, "请求体须为 UTF-8 编码", "bad_form");
    }
    form.emplace_back(std::move(part.name), http::stripControlCharacters(part.content));
  }
  return form;
}

// Why a url-encoded body does not decode, naming the argument as the client sent it: a '%' sent
// as is ("description=100%") was told that its encoding was not UTF-8 and that GBK is not
// taken, which sent its developer looking for a character set problem.
std::string formDecodeMessage(std::string_view body) {
  const std::string utf8 =
      "须为 UTF-8 编码的 application/x-www-form-urlencoded（百分号编码的字节须为 UTF-8，不接受 "
      "GBK 等其他编码）";
  for (std::size_t pos = 0; pos <= body.size();) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view part = body.substr(pos, amp - pos);
    pos = amp + 1;
    const std::size_t eq = part.find('=');
    const std::string_view raw_name = part.substr(0, eq);
    const auto name_problem = base::percentDecodeProblem(raw_name, true);
    const auto problem = name_problem ? name_problem
                         : eq == std::string_view::npos
                             ? std::nullopt
                             : base::percentDecodeProblem(part.substr(eq + 1), true);
    if (!problem) continue;
    const std::string name = name_problem ? "参数名" : *base::percentDecode(raw_name, true);
    switch (*problem) {
      case base::PercentDecodeProblem::MalformedEscape:
        return name + ": 百分号编码无效：% 后须为两位十六进制数字（字符 % 本身须写作 %25）";
      case base::PercentDecodeProblem::NulByte:
        return name + ": 不能含有 NUL 字符（%00）";
      case base::PercentDecodeProblem::NotUtf8:
        return name + ": 无法解码，" + utf8;
    }
  }
  return "请求体无法解码：" + utf8;
}

// The POST body: "application/x-www-form-urlencoded" as the spec's examples send it, or the
// same fields as multipart/form-data. The site's parser tells a person to use the page's form;
// a client program is told the type, and the character encoding (UTF-8; a client that sends
// GBK bytes would otherwise hear only that the encoding is invalid).
Form decodedForm(const Request& req) {
  const std::string type = req.header("content-type").value_or("");
  if (base::asciiLower(type).rfind("multipart/form-data", 0) == 0) return multipartForm(type, req.body);
  try {
    return req.form();
  } catch (const http::HttpError& e) {
    if (e.code() == "bad_form") throw http::HttpError(400, formDecodeMessage(req.body), "bad_form");
    if (e.code() != "bad_form_type") throw;
    throw http::HttpError(400,
                          "请求体须为 application/x-www-form-urlencoded 或 multipart/form-data "
                          "格式（Content-Type 不符）",
                          "bad_form_type");
  }
}

// The POST's arguments, each value trimmed by the one rule of what is blank (base::trim), as
// every value a person types is: a body ending in a line break ("...&api_key=KEY\n", as a file
// or a here-document gives it) made the key unknown (403), and an e-mail address, media_url or
// department with a blank around it was refused as malformed, while service_code, phone and
// address_id were already read without them. lat and long stay as sent: decimal degrees
// only, blanks included (Open311.CoordinatesAreDecimalDegreesOnly).
Form postedForm(const Request& req) {
  Form form = decodedForm(req);
  for (auto& [name, value] : form) {
    if (name != "lat" && name != "long") value = base::trim(value);
  }
  return form;
}

// Each GeoReport v2 argument is one value. A client that sends one twice (two media_url for two
// photos, a description split in two) would otherwise have the first kept and the rest dropped
// without a word, after being told the request was filed: it hears which one repeats instead.
// (Sets, not lists: a body of 60,000 distinct names took 57 s of a worker with lists.)
void refuseRepeatedArguments(const Form& form, bool posted) {
  std::unordered_set<std::string_view> seen, reported;
  std::vector<std::string> repeated;
  for (const auto& [k, v] : form) {
    if (!seen.insert(k).second && reported.insert(k).second) repeated.push_back(k);
  }
  if (repeated.empty()) return;
  std::string names;
  for (std::size_t i = 0; i < repeated.size() && i < 5; ++i) {
    names += (names.empty() ? "" : "、") + repeated[i];
  }
  if (repeated.size() > 5) names += "等";
  throw http::HttpError(400,
                        "参数 " + names + " 重复出现：每个参数只能提交一个值" +
                            (posted ? "，未登记" : "（service_request_id、service_code、status 的多个值用英文逗号分隔）"),
                        "bad_request");
}

// The client's api_key, one of open311.api_keys (403 otherwise). Read from the form body only,
// as GeoReport v2 lists it among the POST's arguments; one written in the address would sit in
// every access log, so that client is told where the key belongs.
std::string requireApiKey(Context& ctx, const Request& req, const Form& form) {
  const std::string key = http::formValue(form, "api_key");
  if (key.empty() && req.queryValue("api_key")) {
    throw http::HttpError(403,
                          "api_key 须放在请求体（application/x-www-form-urlencoded）中提交，"
                          "不接受写在网址里的 api_key（网址会被记入日志）",
                          "forbidden");
  }
  const auto& keys = ctx.config.open311.api_keys;
  bool known = false;
  for (const auto& k : keys) known = known || accounts::constantTimeEquals(k, key);
  if (key.empty() || !known) {
    throw http::HttpError(403, "api_key 缺失或无效", "forbidden");
  }
  return key;
}

// service_code, and where: address_string, address_id, or lat and long.
void readServiceAndLocation(Context& ctx, const Form& form, hotline::IntakeRequest& in) {
  // Spaces around a code (a client that pads its fields) are no part of it; a blank one is
  // missing, not an unknown service.
  in.category = base::trim(http::formValue(form, "service_code"));
  if (in.category.empty()) throw http::HttpError(400, "缺少 service_code", "bad_request");
  // GeoReport v2, POST Service Request, Errors: 404 - service_code or service_request_id
  // not found.
  if (!findService(ctx, in.category)) {
    throw http::HttpError(404, "service_code 不存在：" + in.category, "not_found");
  }
  // Blank (spaces, 全角空格) is no location: the request would be filed with none.
  in.location = base::trim(http::formValue(form, "address_string"));
  const std::string address_id = base::trim(http::formValue(form, "address_id"));
  if (in.location.empty() && !address_id.empty()) {
    // Stored as the location "address_id <id>"; the intake's own message for a long one would
    // count the prefix too, characters this client never sent.
    const std::string prefix = "address_id ";
    const std::size_t limit = ctx.complaints.options().max_location_chars;
    const std::size_t max = limit > prefix.size() ? limit - prefix.size() : 0;
    const std::size_t chars = base::utf8Length(address_id);
    if (chars > max) {
      throw http::HttpError(400,
                            "address_id: 不能超过" + std::to_string(max) + "个字符（现为" +
                                std::to_string(chars) + "个）",
                            "bad_request");
    }
    in.location = prefix + address_id;
  }
  const std::string lat = http::formValue(form, "lat"), lon = http::formValue(form, "long");
  in.latitude = coordinate("lat", lat);
  in.longitude = coordinate("long", lon);
  // Out of range, named by the argument (the intake's own message speaks of "the location",
  // which here also named an address_string that was fine). A pair that fits the other way
  // round is said to be swapped: lat=121.47&long=31.23 is a client's common slip.
  if (in.latitude && (*in.latitude < -90 || *in.latitude > 90)) {
    const bool swapped = *in.latitude <= 180 && *in.latitude >= -180 && in.longitude &&
                         *in.longitude >= -90 && *in.longitude <= 90;
    throw http::HttpError(400,
                          "lat: 纬度须在-90至90之间（现为" + lat + "）" +
                              (swapped ? "；lat 与 long 是否填反了？lat 为纬度，long 为经度" : ""),
                          "bad_coordinate");
  }
  if (in.longitude && (*in.longitude < -180 || *in.longitude > 180)) {
    throw http::HttpError(400, "long: 经度须在-180至180之间（现为" + lon + "）", "bad_coordinate");
  }
  // A half pair, named here: the intake's own message for it came back under the intake's
  // "location", which names the address too (and its address error named lat/long).
  if (in.latitude.has_value() != in.longitude.has_value()) {
    throw http::HttpError(400,
                          std::string("lat/long: 须同时提供 lat（纬度）和 long（经度），现只有") +
                              (in.latitude ? "lat" : "long"),
                          "bad_coordinate");
  }
  // "Location: lat & long both required if no address_string or address_id".
  if (in.location.empty() && !(in.latitude && in.longitude)) {
    throw http::HttpError(400, "缺少位置：须提供 lat 和 long，或 address_string，或 address_id",
                          "bad_request");
  }
}

// attribute[department_id] and the attachment attributes; 400 for any other attribute.
void readAttributes(const Form& form, hotline::IntakeRequest& in) {
  in.attachments.resize(hotline::kMaxAttachments);
  for (const auto& [k, v] : form) {
    if (k.rfind("attribute[", 0) != 0) continue;
    const std::string code = k.substr(10, k.size() > 11 ? k.size() - 11 : 0);
    const auto attachment = k.back() == ']' ? attachmentAttribute(code) : std::nullopt;
    if (attachment) {
      hotline::AttachmentEntry& e = in.attachments[attachment->first];
      if (attachment->second == "name") {
        e.file_name = v;
      } else if (attachment->second == "kind") {
        e.kind = v;
      } else {
        e.description = v;
      }
      continue;
    }
    if (k.back() != ']' || code != kDepartmentAttribute) {
      throw http::HttpError(400, "未知的属性：" + k, "bad_request");
    }
    // The attribute is optional ("required": false); a client that posts every attribute of
    // the definition sends it empty when nothing was chosen: 不确定, as when it is left out.
    if (v.empty()) continue;
    const auto department_id = http::parseWholeNumber(v);
    if (!department_id) {
      throw http::HttpError(400, "attribute[department_id] 应为服务定义中列出的部门代码",
                            "bad_request");
    }
    in.department_id = *department_id;
  }
}

// GeoReport v2's optional email. The complaint keeps no e-mail address (replies go by SMS to
// the phone), but a client that sends something that is no address at all ("NaN", "<x>") has a
// bug its user should hear about before the complaint is filed. Plausible, not RFC 5321: one
// '@' with text on both sides, a dot inside the domain, at most 254 characters, no blanks,
// control characters or the < > " , ; of display names and lists. Blank counts as not given.
void checkEmail(const Form& form) {
  const std::string email = http::formValue(form, "email");
  if (base::isBlankText(email)) return;
  const auto at = email.find('@');
  bool ok = at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos &&
            base::isValidUtf8(email) && base::utf8Length(email) <= 254;
  if (ok) {
    const std::string domain = email.substr(at + 1);
    const auto dot = domain.find('.');
    ok = dot != std::string::npos && dot > 0 && domain.back() != '.';
    for (std::size_t i = 0; ok && i < email.size();) {
      const char32_t cp = base::decodeUtf8(email, i);
      ok = !base::isBlank(cp) && !base::isControlCharacter(cp) &&
           std::u32string_view(U" <>\",;").find(cp) == std::u32string_view::npos;
    }
  }
  if (!ok) {
    throw http::HttpError(400, "email: 电子邮箱地址格式不正确（应如 name@example.com），可不填写",
                          "bad_request");
  }
}

// An http(s) URL with a host: the scheme in any case (RFC 3986 3.1: "HTTPS://" is "https://"),
// then something that is no path, query or fragment, and no blanks ("https://" alone and
// "http://a b" were filed as media).
bool webAddress(const std::string& url) {
  const std::string scheme = base::asciiLower(url.substr(0, std::min(url.find("://"), url.size())));
  if (scheme != "http" && scheme != "https") return false;
  const std::string rest = url.substr(scheme.size() + 3);
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return false;
  for (std::size_t i = 0; i < rest.size();) {
    if (base::isBlank(base::decodeUtf8(rest, i))) return false;
  }
  return true;
}

// The media_url attachment field's name in intake errors.
std::string mediaField() {
  return "attachment_" + std::to_string(hotline::kMaxAttachments + 1) + "_name";
}

// GeoReport v2's last_name and first_name as one name, family name first as in Chinese. Two
// Chinese parts join without a space (张 + 三: 张三); two in Latin letters keep one between them
// (Smith + John: "Smith John", Zhang + San: "Zhang San"), which "SmithJohn" lost.
std::string fullName(const std::string& last_name, const std::string& first_name) {
  const std::string last = base::trim(last_name), first = base::trim(first_name);
  if (last.empty() || first.empty()) return last + first;
  const std::vector<char32_t> a = base::codePoints(last), b = base::codePoints(first);
  // Han, kana, Hangul, full-width forms and the like: from U+2E80 on.
  const bool cjk = a.empty() || b.empty() || a.back() >= 0x2E80 || b.front() >= 0x2E80;
  return last + (cjk ? "" : " ") + first;
}

// The whole POST: what the complaint form's intake needs, from GeoReport v2 fields.
hotline::IntakeRequest intakeFromOpen311(Context& ctx, const Request& req, const Form& form) {
  hotline::IntakeRequest in;
  in.channel = hotline::Channel::Open311;
  readServiceAndLocation(ctx, form, in);
  // The spec lists description as optional and no service definition of ours requires it;
  // the intake (shared with the complaint form) needs a text, so staff see that it was left
  // out.
  in.description = http::formValue(form, "description");
  if (base::trim(in.description).empty()) {
    in.description = "（通过 Open311 提交，未填写描述）";
  }
  in.complainant_name =
      fullName(http::formValue(form, "last_name"), http::formValue(form, "first_name"));
  in.complainant_phone = http::formValue(form, "phone");
  checkEmail(form);
  readAttributes(form, in);
  const std::string media_url = http::formValue(form, "media_url");
  if (!media_url.empty()) {
    if (!webAddress(media_url)) {
      throw http::HttpError(400, "media_url 须为 http 或 https 地址（如 https://example.com/1.jpg）",
                            "bad_request");
    }
    // Stored as an attachment's file name; the intake's own message for it would speak of "the
    // 6th attachment's file name", which this client never sent.
    const std::size_t chars = base::utf8Length(media_url);
    if (chars > hotline::kMaxAttachmentNameChars) {
      throw http::HttpError(400,
                            "media_url 不能超过" +
                                std::to_string(hotline::kMaxAttachmentNameChars) + "个字符（现为" +
                                std::to_string(chars) + "个）",
                            "bad_request");
    }
    in.attachments.push_back(
        {media_url, std::string(hotline::attachmentKindCode(hotline::AttachmentKind::Other)),
         kMediaUrlDescription});
  }
  // Not in GeoReport v2: a client that retries may name its submission so it counts once.
  in.idempotency_key = req.header("idempotency-key").value_or("");
  if (in.idempotency_key.empty()) {
    in.idempotency_key = accounts::randomToken();
    in.idempotency_key_generated = true;
  }
  in.client_address = req.remote_addr;
  return in;
}

// The GeoReport v2 parameter(s) an intake field came from, so that a 400 names what the client
// sent ("phone", not the complaint form's "complainant_phone").
std::string open311Field(const std::string& field, const hotline::IntakeRequest& in,
                         const Form& form) {
  if (field == mediaField()) return "media_url";
  if (field == "complainant_phone") return "phone";
  if (field == "complainant_name") return "last_name/first_name";
  if (field == "category") return "service_code";
  if (field == kDepartmentAttribute) return std::string("attribute[") + kDepartmentAttribute + "]";
  if (attachmentAttribute(field)) {
    return "attribute[" + field + "]";
  }
  // Coordinates are checked before the intake (readServiceAndLocation): its "location" errors
  // are about the address text.
  if (field == "location") {
    const bool address_string = !base::trim(http::formValue(form, "address_string")).empty();
    return address_string || in.location.empty() ? "address_string" : "address_id";
  }
  return field;
}

// 201 with the registration, or the spec's error list (429, 409, 400 field by field).
Response submittedReply(Format f, const hotline::IntakeRequest& in, const Form& form,
                        const hotline::IntakeResult& result) {
  if (result.limited) {
    Response r = open311Error(f, 429, {intakeLimitMessage(*result.limited)});
    r.headers.emplace_back("Retry-After", std::to_string(result.limited->retry_after_s));
    return r;
  }
  if (result.idempotency_conflict) {
    return open311Error(
        f, 409, {"Idempotency-Key: 该标识已用于另一份不同内容的提交，请为新的提交使用新的标识"});
  }
  if (!result.ok()) {
    std::vector<std::string> messages;
    for (const auto& e : result.errors) {
      if (e.field == "idempotency_key") {
        // The intake's text asks a person to reload the page; a client sent the header.
        messages.push_back(
            "Idempotency-Key: 须为16至128个字符，只含英文字母、数字和 _ - . :（如 UUID）");
        continue;
      }
      messages.push_back(open311Field(e.field, in, form) + ": " + e.message);
    }
    return open311Error(f, 400, messages);
  }
  const hotline::Registration& reg = *result.registration;
  ojson created{
      {"service_request_id", reg.registration_no},
      {"service_notice", "已登记，" + reg.ack_deadline.due.toString() +
                             "前告知是否受理。凭登记编号和查询码可在投诉查询页面查看进展。"},
      {"account_id", nullptr},
      {"tracking_code", reg.tracking_code}};
  return reply(f, "service_requests", ojson::array({created}), 201);
}

}  // namespace

Response open311PostRequest(Context& ctx, const Request& req) {
  const Format f = pathFormat(req);
  return guarded(f, [&] {
    const Form form = postedForm(req);
    const std::string key = requireApiKey(ctx, req, form);
    refuseRepeatedArguments(form, true);
    hotline::IntakeRequest in = intakeFromOpen311(ctx, req, form);
    in.api_key = key;
    return submittedReply(f, in, form, ctx.complaints.submit(in));
  });
}

namespace {

// status=open,closed: only one of them filters.
std::optional<bool> closedFilter(const Request& req) {
  bool open = false, closed = false;
  for (const auto& s : commaList(req.queryValue("status").value_or(""))) {
    if (s == "open") {
      open = true;
    } else if (s == "closed") {
      closed = true;
    } else {
      throw http::HttpError(400, "status 只能是 open 或 closed：" + s, "bad_request");
    }
  }
  if (open != closed) return closed;
  return std::nullopt;
}

// start_date and end_date (W3C date-times) as Beijing time. Both given, they "may not span more
// than 90 days"; start_date alone, everything since it (the 1,000 newest, as every list);
// end_date alone, the 90 days before it; neither, the last 90 days.
void readDateWindow(Context& ctx, const Request& req, hotline::PublicRequestFilter& filter) {
  const int offset = hotline::kBeijingUtcOffsetMinutes;
  for (const auto& [name, target] :
       {std::pair<const char*, std::string*>{"start_date", &filter.received_from},
        std::pair<const char*, std::string*>{"end_date", &filter.received_to}}) {
    const std::string v = req.queryValue(name).value_or("");
    if (v.empty()) continue;
    const auto local = localTime(v, offset);
    if (!local) {
      throw http::HttpError(400, std::string(name) + " 应为 W3C 日期时间格式：" + v, "bad_request");
    }
    // Beijing time past 9999-12-31 ("10000-01-01 ...") or before 0001-01-01 compares as text
    // with the wrong order: start_date=9999-12-31T20:00:00Z listed every request.
    if (local->size() != 19 || local->compare(0, 4, "0001") < 0) {
      throw http::HttpError(400,
                            std::string(name) + " 超出可查询的范围（北京时间0001年至9999年）：" + v,
                            "bad_request");
    }
    *target = *local;
  }
  if (filter.received_from.empty() && filter.received_to.empty()) {
    filter.received_to = ctx.clock.now().text;
  }
  if (filter.received_from.empty()) {
    filter.received_from = shiftDays(filter.received_to, -kDefaultWindowDays);
  } else if (filter.received_to.empty()) {
    return;
  } else if (filter.received_to < filter.received_from) {
    throw http::HttpError(400, "end_date 早于 start_date", "bad_request");
  } else if (filter.received_from < shiftDays(filter.received_to, -kDefaultWindowDays)) {
    // end_date shifted back, not start_date forward: late in 9999 that gave a five-digit year.
    throw http::HttpError(400, "start_date 与 end_date 的间隔不能超过90天", "bad_request");
  }
}

// "service_request_id ... This overrides all other arguments."
hotline::PublicRequestFilter parseRequestsFilter(Context& ctx, const Request& req) {
  hotline::PublicRequestFilter filter;
  filter.registration_nos = commaList(req.queryValue("service_request_id").value_or(""));
  if (!filter.registration_nos.empty()) {
    if (filter.registration_nos.size() > 1000) {
      throw http::HttpError(400, "service_request_id 最多1000个", "bad_request");
    }
    return filter;
  }
  filter.categories = commaList(req.queryValue("service_code").value_or(""));
  const auto closed = closedFilter(req);
  if (closed) filter.closed = *closed;
  readDateWindow(ctx, req, filter);
  return filter;
}

}  // namespace

Response open311Requests(Context& ctx, const Request& req) {
  const Format f = pathFormat(req);
  return guarded(f, [&] {
    // As in a POST: service_request_id=A&service_request_id=B answered A alone, without a word.
    refuseRepeatedArguments(req.query, false);
    const hotline::PublicRequestFilter filter = parseRequestsFilter(ctx, req);
    const bool extensions = extensionsOn(req);
    ojson list = ojson::array();
    for (const auto& r : ctx.complaints.publicRequests(filter)) {
      list.push_back(requestJson(r, hotline::kBeijingUtcOffsetMinutes, extensions));
    }
    return reply(f, "service_requests", list);
  });
}

Response open311Request(Context& ctx, const Request& req) {
  std::string id;
  const auto f = formatOf(req.params.at("file"), &id);
  if (!f) return open311Error(Format::Json, 404, {"格式须为 .json 或 .xml"});
  return guarded(*f, [&] {
    hotline::PublicRequestFilter filter;
    filter.registration_nos = {requiredId(id, "service_request_id")};
    filter.limit = 1;
    const auto found = ctx.complaints.publicRequests(filter);
    // The number as the list filter reads it (upper case, no blanks): ts-2026-000001 is the
    // request the list answers for service_request_id=ts-2026-000001.
    if (found.empty() || found.front().registration_no != ctx.complaints.registrationNo(id)) {
      throw http::HttpError(404, "service_request_id 不存在：" + id, "not_found");
    }
    return reply(*f, "service_requests",
                 ojson::array({requestJson(found.front(), hotline::kBeijingUtcOffsetMinutes,
                                           extensionsOn(req))}));
  });
}

// GET tokens/{token}: the spec's way to learn the service_request_id of a request that a
// server could not create at once. Ours are created at once (POST answers with the
// service_request_id), so no token was ever issued: every token is unknown.
Response open311Token(Context&, const Request& req) {
  std::string token;
  const auto f = formatOf(req.params.at("file"), &token);
  if (!f) return open311Error(Format::Json, 404, {"格式须为 .json 或 .xml"});
  return guarded(*f, [&] {
    return open311Error(*f, 404,
                        {"token 不存在：" + requiredId(token, "token") +
                         "（本平台提交时即给出 service_request_id，不发放 token）"});
  });
}

}  // namespace portal::web
