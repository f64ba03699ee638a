#!/usr/bin/env python3
"""An outside GeoReport v2 client (http://wiki.open311.org/GeoReport_v2), standard library only.

Written from the specification, not from the portal's code: it walks discovery, services
(JSON and XML), every service definition, POST requests (form-encoded), GET requests with
each filter, GET requests/{id}, tokens/{token} and the refusals, and prints every place where
the answer differs from what the specification says a client may expect.

Usage: georeport_probe.py BASE_URL API_KEY     (BASE_URL like http://127.0.0.1:8080/open311/v2)
Exit status 1 when any check failed.
"""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

BASE, KEY = sys.argv[1].rstrip("/"), sys.argv[2]
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("MISMATCH:", what)


def call(method, path, form=None, headers=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers or {})
    if data is not None and "Content-Type" not in (headers or {}):
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8")


W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def is_w3c(v):
    return isinstance(v, str) and bool(W3C.match(v))


def get_json(path, expect=200):
    status, ctype, body = call("GET", path)
    check(status == expect, f"GET {path}: status {status}, expected {expect}")
    check("json" in ctype, f"GET {path}: Content-Type {ctype!r} is not JSON")
    try:
        return json.loads(body)
    except ValueError:
        check(False, f"GET {path}: body is not JSON: {body[:120]!r}")
        return None


def get_xml(path, expect=200):
    status, ctype, body = call("GET", path)
    check(status == expect, f"GET {path}: status {status}, expected {expect}")
    check("xml" in ctype, f"GET {path}: Content-Type {ctype!r} is not XML")
    check(body.lower().startswith('<?xml version="1.0" encoding="utf-8"?>'),
          f"GET {path}: XML declaration with encoding UTF-8 missing")
    try:
        return ET.fromstring(body.encode("utf-8"))
    except ET.ParseError as e:
        check(False, f"GET {path}: XML not well-formed: {e}")
        return None


def check_errors_json(what, status, body, expect):
    check(status == expect, f"{what}: status {status}, expected {expect}")
    try:
        errs = json.loads(body)
    except ValueError:
        check(False, f"{what}: error body not JSON: {body[:120]!r}")
        return
    check(isinstance(errs, list) and errs, f"{what}: errors are not a non-empty list: {body[:200]}")
    for e in errs if isinstance(errs, list) else []:
        check(isinstance(e, dict) and set(e) >= {"code", "description"},
              f"{what}: error entry lacks code/description: {e}")
        if isinstance(e, dict):
            check(e.get("code") == expect or str(e.get("code")) == str(expect),
                  f"{what}: error code {e.get('code')} != HTTP {expect}")
            check(isinstance(e.get("description"), str) and e["description"],
                  f"{what}: empty description")


def check_errors_xml(what, status, body, expect):
    check(status == expect, f"{what}: status {status}, expected {expect}")
    try:
        root = ET.fromstring(body.encode("utf-8"))
    except ET.ParseError as e:
        check(False, f"{what}: XML error body not well-formed: {e}")
        return
    check(root.tag == "errors", f"{what}: XML root <{root.tag}>, expected <errors>")
    errs = list(root)
    check(errs and all(e.tag == "error" for e in errs), f"{what}: children of <errors> not <error>")
    for e in errs:
        check(e.findtext("code") == str(expect), f"{what}: <code>{e.findtext('code')}</code>")
        check(bool(e.findtext("description")), f"{what}: <description> empty")


# ---- discovery
d = get_json("/discovery.json")
if d:
    for k in ("changeset", "contact", "key_service", "endpoints"):
        check(k in d, f"discovery.json lacks {k}")
    check(is_w3c(d.get("changeset")), f"discovery changeset not W3C: {d.get('changeset')}")
    for ep in d.get("endpoints", []):
        for k in ("specification", "url", "changeset", "type", "formats"):
            check(k in ep, f"discovery endpoint lacks {k}")
        check(ep.get("type") in ("production", "test"), f"endpoint type {ep.get('type')}")
        check("text/xml" in ep.get("formats", []), "XML format missing from discovery formats")
        check(ep.get("specification") == "http://wiki.open311.org/GeoReport_v2",
              f"specification {ep.get('specification')}")
x = get_xml("/discovery.xml")
if x is not None:
    check(x.tag == "discovery", f"discovery.xml root <{x.tag}>")
    check(x.find("endpoints/endpoint/formats/format") is not None,
          "discovery.xml lacks endpoints/endpoint/formats/format")

# ---- services
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group")
services = get_json("/services.json") or []
check(isinstance(services, list) and services, "services.json is not a non-empty list")
for s in services:
    for k in SERVICE_FIELDS:
        check(k in s, f"service {s.get('service_code')} lacks {k}")
    check(isinstance(s.get("metadata"), bool), f"service metadata not boolean: {s.get('metadata')!r}")
    check(s.get("type") in ("realtime", "batch", "blackbox"), f"service type {s.get('type')}")
sx = get_xml("/services.xml")
if sx is not None:
    check(sx.tag == "services", f"services.xml root <{sx.tag}>")
    check(all(c.tag == "service" for c in sx), "services.xml children are not <service>")
    check(len(list(sx)) == len(services), "services.xml and services.json differ in count")
    for c in sx:
        check(c.findtext("metadata") in ("true", "false"),
              f"services.xml metadata {c.findtext('metadata')!r}")
        for k in SERVICE_FIELDS:
            check(c.find(k) is not None, f"services.xml service lacks <{k}>")
check(get_json("/services.json?jurisdiction_id=anything") == services,
      "jurisdiction_id changed the services answer")

# ---- service definitions
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
definitions = {}
for s in services:
    code = s["service_code"]
    if not s.get("metadata"):
        continue
    q = urllib.parse.quote(code, safe="")
    dj = get_json(f"/services/{q}.json")
    if not dj:
        continue
    definitions[code] = dj
    check(dj.get("service_code") == code, f"definition service_code {dj.get('service_code')}")
    check(isinstance(dj.get("attributes"), list), f"definition {code}: attributes not a list")
    orders = []
    for a in dj.get("attributes", []):
        for k in ("variable", "code", "datatype", "required", "datatype_description", "order",
                  "description"):
            check(k in a, f"definition {code}: attribute {a.get('code')} lacks {k}")
        check(isinstance(a.get("variable"), bool), f"{code}/{a.get('code')}: variable not bool")
        check(isinstance(a.get("required"), bool), f"{code}/{a.get('code')}: required not bool")
        check(a.get("datatype") in DATATYPES, f"{code}/{a.get('code')}: datatype {a.get('datatype')}")
        check(isinstance(a.get("order"), int) and a["order"] > 0,
              f"{code}/{a.get('code')}: order {a.get('order')!r} not a positive integer")
        orders.append(a.get("order"))
        if a.get("datatype") in ("singlevaluelist", "multivaluelist"):
            vals = a.get("values")
            check(isinstance(vals, list) and vals, f"{code}/{a.get('code')}: list without values")
            for v in vals or []:
                check(set(v) >= {"key", "name"}, f"{code}/{a.get('code')}: value {v}")
    check(len(set(orders)) == len(orders), f"definition {code}: attribute orders repeat: {orders}")
    check(orders == sorted(orders), f"definition {code}: attributes not in their order")
    dx = get_xml(f"/services/{q}.xml")
    if dx is not None:
        check(dx.tag == "service_definition", f"definition XML root <{dx.tag}>")
        atts = dx.findall("attributes/attribute")
        check(len(atts) == len(dj.get("attributes", [])), f"{code}: XML attribute count differs")
        for a in atts:
            if a.findtext("datatype") in ("singlevaluelist", "multivaluelist"):
                check(a.find("values/value/key") is not None,
                      f"{code}: XML <values><value><key> missing")
get_json("/services/no_such_service.json", expect=404)

# ---- POST
def base_form(code, **extra):
    form = {"api_key": KEY, "service_code": code, "lat": "31.2304", "long": "121.4737",
            "email": "citizen@example.com", "first_name": "小明", "last_name": "王",
            "phone": "13800138000", "description": "路边摊占道，影响通行（Open311 探针）",
            "media_url": "https://example.com/photo.jpg", "device_id": "probe-device",
            "account_id": "probe-account", "jurisdiction_id": "probe.example"}
    for a in definitions.get(code, {}).get("attributes", []):
        if a.get("required") and a.get("variable"):
            vals = a.get("values") or []
            form[f"attribute[{a['code']}]"] = vals[0]["key"] if vals else "测试"
    form.update(extra)
    return form


created = []
codes = [s["service_code"] for s in services]
if codes:
    code = codes[0]
    st, ct, body = call("POST", "/requests.json", base_form(code))
    check(st in (200, 201), f"POST requests.json: status {st}: {body[:300]}")
    try:
        ans = json.loads(body)
    except ValueError:
        ans = None
    check(isinstance(ans, list) and len(ans) == 1, f"POST answer not a one-element list: {body[:200]}")
    if isinstance(ans, list) and ans:
        r = ans[0]
        check("service_request_id" in r or "token" in r, "POST answer has neither id nor token")
        for k in ("service_notice", "account_id"):
            check(k in r, f"POST answer lacks {k}")
        if r.get("service_request_id"):
            created.append((code, str(r["service_request_id"])))
    # address_string only, XML answer, every required attribute and also every optional one.
    form = base_form(codes[-1], description="夜间施工噪声（探针，仅地址）")
    del form["lat"], form["long"]
    form["address_string"] = "新区人民路1号"
    for a in definitions.get(codes[-1], {}).get("attributes", []):
        vals = a.get("values") or []
        form.setdefault(f"attribute[{a['code']}]", vals[0]["key"] if vals else "")
    st, ct, body = call("POST", "/requests.xml", form)
    check(st in (200, 201), f"POST requests.xml: status {st}: {body[:300]}")
    check("xml" in ct, f"POST requests.xml Content-Type {ct}")
    try:
        root = ET.fromstring(body.encode("utf-8"))
        check(root.tag == "service_requests", f"POST XML root <{root.tag}>")
        req = root.find("request")
        check(req is not None, "POST XML lacks <request>")
        if req is not None and req.findtext("service_request_id"):
            created.append((codes[-1], req.findtext("service_request_id")))
    except ET.ParseError as e:
        check(False, f"POST XML not well-formed: {e}: {body[:200]}")

    # refusals
    f = base_form(code)
    f["api_key"] = "wrong"
    st, ct, body = call("POST", "/requests.json", f)
    check_errors_json("POST bad api_key", st, body, 403)
    f = base_form(code)
    del f["api_key"]
    st, ct, body = call("POST", "/requests.xml", f)
    check_errors_xml("POST no api_key (xml)", st, body, 403)
    st, ct, body = call("POST", "/requests.json", base_form("no_such_service"))
    check_errors_json("POST unknown service_code", st, body, 404)
    f = base_form(code)
    del f["service_code"]
    st, ct, body = call("POST", "/requests.json", f)
    check_errors_json("POST no service_code", st, body, 400)
    f = base_form(code)
    del f["lat"], f["long"]
    st, ct, body = call("POST", "/requests.json", f)
    check_errors_json("POST no location", st, body, 400)
    f = base_form(code)
    del f["long"]
    st, ct, body = call("POST", "/requests.json", f)
    check_errors_json("POST lat without long", st, body, 400)

    # A refusal names the parameter the client sent.
    for field, value in (("phone", "+1 555-555-5555"), ("lat", "200")):
        f = base_form(code, **{field: value})
        st, ct, body = call("POST", "/requests.json", f)
        check_errors_json(f"POST bad {field}", st, body, 400)
        check(field in body and "complainant" not in body and "location" not in body,
              f"POST bad {field}: the error does not name {field}: {body[:200]}")

# ---- GET requests
for code, rid in created:
    one = get_json(f"/requests/{urllib.parse.quote(rid, safe='')}.json")
    check(isinstance(one, list) and len(one) == 1, f"GET requests/{rid}.json not a one-element list")
    if isinstance(one, list) and one:
        r = one[0]
        for k in ("service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url"):
            check(k in r, f"request {rid} lacks {k}")
        check(r.get("status") in ("open", "closed"), f"request {rid} status {r.get('status')}")
        check(r.get("service_code") == code, f"request {rid} service_code {r.get('service_code')}")
        check(str(r.get("service_request_id")) == rid, f"request {rid}: id {r.get('service_request_id')}")
        for k in ("requested_datetime", "updated_datetime", "expected_datetime"):
            check(r.get(k) is None or is_w3c(r.get(k)), f"request {rid} {k} not W3C: {r.get(k)}")
        for k in ("lat", "long"):
            check(r.get(k) is None or isinstance(r.get(k), (int, float)), f"{rid} {k} type")
    ox = get_xml(f"/requests/{urllib.parse.quote(rid, safe='')}.xml")
    if ox is not None:
        check(ox.tag == "service_requests" and [c.tag for c in ox] == ["request"],
              f"GET requests/{rid}.xml is not <service_requests><request>")
all_reqs = get_json("/requests.json") or []
check(isinstance(all_reqs, list), "GET requests.json not a list")
ids = [str(r.get("service_request_id")) for r in all_reqs]
for _, rid in created:
    check(rid in ids, f"new request {rid} missing from GET requests.json")
if created:
    q = ",".join(rid for _, rid in created)
    got = get_json("/requests.json?service_request_id=" + urllib.parse.quote(q, safe=","))
    check(sorted(str(r["service_request_id"]) for r in got or []) == sorted(r for _, r in created),
          "service_request_id list filter")
    got = get_json("/requests.json?service_request_id=" + urllib.parse.quote(q, safe=",") +
                   "&service_code=no_such_service&status=closed")
    check(len(got or []) == len(created), "service_request_id does not override other filters")
    code = created[0][0]
    got = get_json(f"/requests.json?service_code={urllib.parse.quote(code)}") or []
    check(all(r["service_code"] == code for r in got) and got, "service_code filter")
    got_open = get_json("/requests.json?status=open") or []
    got_closed = get_json("/requests.json?status=closed") or []
    check(all(r["status"] == "open" for r in got_open), "status=open filter")
    check(all(r["status"] == "closed" for r in got_closed), "status=closed filter")
    check(created[0][1] in [str(r["service_request_id"]) for r in got_open], "new request not open")
    got = get_json("/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z")
    check(got == [], f"date window in 2000 is not empty: {len(got or [])}")
    got = get_json("/requests.json?jurisdiction_id=probe.example") or []
    check(len(got) == len(all_reqs), "jurisdiction_id changed the list")
    rx = get_xml("/requests.xml")
    if rx is not None:
        check(rx.tag == "service_requests", f"requests.xml root <{rx.tag}>")
        check(all(c.tag == "request" for c in rx), "requests.xml children not <request>")
st, ct, body = call("GET", "/requests/NO-SUCH-ID.json")
check_errors_json("GET unknown request", st, body, 404)
st, ct, body = call("GET", "/requests/NO-SUCH-ID.xml")
check_errors_xml("GET unknown request (xml)", st, body, 404)
# "+08:00" typed into a URL unencoded (a query's '+' decodes to a space).
st, ct, body = call("GET", "/requests.json?start_date=2026-01-01T00:00:00+08:00")
check(st == 200, f"GET start_date with an unencoded '+' offset: {st} {body[:200]}")
st, ct, body = call("GET", "/requests.json?start_date=yesterday")
check_errors_json("GET bad start_date", st, body, 400)

# ---- tokens
st, ct, body = call("GET", "/tokens/abc123.json")
if st == 200:
    t = json.loads(body)
    check(isinstance(t, list) and t and set(t[0]) >= {"service_request_id", "token"}, "token shape")
else:
    check_errors_json("GET unknown token", st, body, 404)
st, ct, body = call("GET", "/tokens/abc123.xml")
if st != 200:
    check_errors_xml("GET unknown token (xml)", st, body, 404)

print(f"{checks} checks, {len(failures)} mismatches")
sys.exit(1 if failures else 0)
