#!/usr/bin/env python3
"""Load for the cluster test and benchmark: complaints submitted and pages read through the
balancer, as citizens would (the public form with its idempotency key; a failed submission is
sent again with the same key until it is acknowledged, as a browser's retry would).

Writes a JSON summary: every acknowledged complaint (key, number, time), the pages read and
failed, and the times of every acknowledgment (for the failover gap).

With EDITOR_USER and EDITOR_PASSWORD in the environment, one more thread is a staff member
publishing changes to one list item (EDITOR_ITEM, default zhzf/CF-ZHZF-0001, department slug/code) through the edit form,
one after another; every publish the portal confirmed is recorded with the name it gave.

usage: cluster_load.py URL SECONDS WRITERS READERS OUT.json
"""
import html.parser
import os
import http.client
import json
import random
import re
import secrets
import sys
import threading
import time
import urllib.parse

URL, SECONDS, WRITERS, READERS, OUT = (sys.argv[1], float(sys.argv[2]), int(sys.argv[3]),
                                       int(sys.argv[4]), sys.argv[5])
HOST = urllib.parse.urlparse(URL).hostname
PORT = urllib.parse.urlparse(URL).port
PAGES = ["/", "/departments/zhzf", "/complaint-channels", "/search?q=%E9%87%8E%E5%B9%BF%E5%91%8A",
         "/api/v1/departments", "/search?q=%E5%99%AA%E9%9F%B3%E6%89%B0%E6%B0%91", "/enforcement"]
NUMBER = re.compile(r'class="registration-no">([^<]+)<')
DEPARTMENT = re.compile(r'name="department_id"[^>]*>.*?<option value="(\d+)"', re.S)

lock = threading.Lock()
acked = []        # {"key", "number", "at", "attempts"}
given_up = []     # keys never acknowledged within the retry budget
pages = {"ok": 0, "failed": 0}
stop_at = time.time() + SECONDS
published = []    # {"name", "at"}: publishes the portal confirmed
publish_failures = {"count": 0}


def request(method, path, body=None, timeout=15):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        headers = {"Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


class FormReader(html.parser.HTMLParser):
    """The fields of the first form whose action ends with `suffix`, as a browser would send
    them: inputs (checked boxes only), textareas, selects (the selected or first option)."""

    def __init__(self, suffix):
        super().__init__()
        self.suffix, self.action, self.fields = suffix, None, {}
        self.in_form = self.done = False
        self.textarea = self.select = None
        self.select_first = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("action") or "").endswith(self.suffix):
            self.in_form, self.action = True, a.get("action")
        if not self.in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.fields[self.textarea] = ""
        elif tag == "select" and a.get("name"):
            self.select, self.select_first = a["name"], None
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
                self.fields.setdefault(self.select, self.select_first)
            if "selected" in a:
                self.fields[self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            # As browsers parse it: a line break right after <textarea> is not part of the value.
            if self.fields[self.textarea].startswith("\n"):
                self.fields[self.textarea] = self.fields[self.textarea][1:]
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def staff_request(cookies, method, path, body=None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=15)
    try:
        headers = {"Connection": "close", "Origin": URL}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return r.status, r.getheader("Location") or "", r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def form_fields(page, suffix):
    reader = FormReader(suffix)
    reader.feed(page)
    return reader.action, reader.fields


def editor(user, password, item):
    cookies = {}
    logged_in = False
    n = 0
    while time.time() < stop_at:
        try:
            if not logged_in:
                cookies.clear()
                _, _, page = staff_request(cookies, "GET", "/admin/login")
                action, fields = form_fields(page, "/admin/login")
                fields.update({"username": user, "password": password})
                status, _, _ = staff_request(cookies, "POST", action,
                                             urllib.parse.urlencode(fields))
                logged_in = status in (302, 303)
                if not logged_in:
                    raise OSError(f"login answered {status}")
            status, _, page = staff_request(cookies, "GET", f"/admin/items/{item}/edit")
            if status != 200:
                logged_in = status not in (302, 303, 401, 403)
                raise OSError(f"edit form answered {status}")
            action, fields = form_fields(page, item)
            n += 1
            name = f"户外广告设施设置审批（集群测试第{n}次修改）"
            fields.update({"name": name, "change_kind": "amend", "op": "publish",
                           "change_reason": "集群测试：节点故障时发布变更"})
            status, location, _ = staff_request(cookies, "POST", action,
                                                urllib.parse.urlencode(fields))
            if status in (302, 303) and "/admin/login" not in location:
                with lock:
                    published.append({"name": name, "at": time.time()})
            else:
                raise OSError(f"publish answered {status}")
        except OSError:
            with lock:
                publish_failures["count"] += 1
            time.sleep(0.5)
        time.sleep(1.0)


def department_id():
    for _ in range(100):
        try:
            status, body = request("GET", "/complaints/new")
            m = DEPARTMENT.search(body)
            if status == 200 and m:
                return m.group(1)
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("no complaint form")


def writer(dept):
    while time.time() < stop_at:
        key = "load-" + secrets.token_hex(12)
        phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
        body = urllib.parse.urlencode({
            "department_id": dept, "category": "noise",
            "description": "夜间施工噪声扰民，持续到凌晨两点（集群测试）",
            "location": "新区创新大街88号", "complainant_name": "测试",
            "complainant_phone": phone, "idempotency_key": key})
        attempts = 0
        deadline = time.time() + 120  # a citizen keeps trying for two minutes
        while True:
            attempts += 1
            try:
                status, page = request("POST", "/complaints/new", body)
                m = NUMBER.search(page) if status == 200 else None
                if m:
                    with lock:
                        acked.append({"key": key, "number": m.group(1), "at": time.time(),
                                      "attempts": attempts, "phone": phone})
                    break
            except OSError:
                pass
            if time.time() > deadline:
                with lock:
                    given_up.append(key)
                break
            time.sleep(0.2)


def reader():
    while time.time() < stop_at:
        path = random.choice(PAGES)
        try:
            status, _ = request("GET", path)
            ok = status == 200
        except OSError:
            ok = False
        with lock:
            pages["ok" if ok else "failed"] += 1


def main():
    dept = department_id()
    started = time.time()
    threads = [threading.Thread(target=writer, args=(dept,)) for _ in range(WRITERS)]
    threads += [threading.Thread(target=reader) for _ in range(READERS)]
    if os.environ.get("EDITOR_PASSWORD"):
        threads.append(threading.Thread(target=editor, args=(
            os.environ.get("EDITOR_USER", "admin"), os.environ["EDITOR_PASSWORD"],
            os.environ.get("EDITOR_ITEM", "zhzf/CF-ZHZF-0001"))))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    summary = {"seconds": elapsed, "acknowledged": acked, "given_up": given_up, "pages": pages,
               "complaints_per_s": len(acked) / elapsed, "pages_per_s": pages["ok"] / elapsed,
               "published": published, "publish_failures": publish_failures["count"]}
    with open(OUT, "w") as f:
        json.dump(summary, f)
    print(f"{len(acked)} complaints acknowledged ({len(acked) / elapsed:.1f}/s), "
          f"{len(given_up)} given up, {pages['ok']} pages ({pages['ok'] / elapsed:.1f}/s), "
          f"{pages['failed']} page failures, {len(published)} publishes confirmed "
          f"({publish_failures['count']} refused or failed), in {elapsed:.0f} s")


main()
