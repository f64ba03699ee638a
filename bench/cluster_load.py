#!/usr/bin/env python3
"""Load for the cluster test and benchmark: complaints submitted and pages read through the
balancer, as citizens would (the public form with its idempotency key; a failed submission is
sent again with the same key until it is acknowledged, as a browser's retry would).

Writes a JSON summary: every acknowledged complaint (key, number, time), the pages read and
failed, and the times of every acknowledgment (for the failover gap).

usage: cluster_load.py URL SECONDS WRITERS READERS OUT.json
"""
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
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - started
    summary = {"seconds": elapsed, "acknowledged": acked, "given_up": given_up, "pages": pages,
               "complaints_per_s": len(acked) / elapsed, "pages_per_s": pages["ok"] / elapsed}
    with open(OUT, "w") as f:
        json.dump(summary, f)
    print(f"{len(acked)} complaints acknowledged ({len(acked) / elapsed:.1f}/s), "
          f"{len(given_up)} given up, {pages['ok']} pages ({pages['ok'] / elapsed:.1f}/s), "
          f"{pages['failed']} page failures, in {elapsed:.0f} s")


main()
