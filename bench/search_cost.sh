#!/usr/bin/env bash
# Where the portal's search costs more than raw Xapian, query by query: CPU time of each query
# in the portal's search module (bench_search_profile, one thread, no HTTP) and in the raw
# baseline (bench_raw_xapian cost, one thread, the same work as bench/search.sh's baseline),
# set side by side and summed by what the baseline found. The baseline ANDs every term of the
# query and finds nothing for a query whose words no single item holds (two stretches of
# different items, a colloquial word in front); the portal then fills the page from its relaxed
# passes (issue 12, item 2), work the baseline never does. The baseline with a bigram-OR second
# pass (bench_raw_xapian cost ... or) does comparable work there, and is set beside both.
#
#   bench/search_cost.sh PORTAL_INDEX RAW_INDEX QUERIES
# (bench/search.sh runs it over the indexes it builds; it needs build-release's benches.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 3 ] || { echo "usage: $0 PORTAL_INDEX RAW_INDEX QUERIES" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$ROOT/build-release/bench/bench_search_profile" "$1" "$3" 10 - "$TMP/portal.tsv" >/dev/null  # warm-up
"$ROOT/build-release/bench/bench_search_profile" "$1" "$3" 10 - "$TMP/portal.tsv" >/dev/null
"$ROOT/build-release/bench/bench_raw_xapian" cost "$2" "$3" >"$TMP/raw.tsv"
"$ROOT/build-release/bench/bench_raw_xapian" cost "$2" "$3" or >"$TMP/raw-or.tsv"
python3 - "$TMP/portal.tsv" "$TMP/raw.tsv" "$TMP/raw-or.tsv" <<'PY'
import sys
def read(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        ms, n, q = line.rstrip("\n").split("\t", 2)
        out[q] = (float(ms), int(n))
    return out
portal, raw, raw_or = read(sys.argv[1]), read(sys.argv[2]), read(sys.argv[3])
groups = {}
for q, (p_ms, _) in portal.items():
    if q not in raw or q not in raw_or: continue
    r_ms, r_n = raw[q]
    g = groups.setdefault("raw finds nothing" if r_n == 0 else "raw finds something", [0, 0.0, 0.0, 0.0])
    g[0] += 1; g[1] += p_ms; g[2] += r_ms; g[3] += raw_or[q][0]
n = sum(g[0] for g in groups.values())
p_all, r_all, o_all = (sum(g[i] for g in groups.values()) for i in (1, 2, 3))
print(f"search CPU per query, one thread, {n} queries: portal {p_all / n:.2f} ms, raw {r_all / n:.2f} ms "
      f"(raw/portal {r_all / p_all:.2f} x), raw with a bigram-OR second pass {o_all / n:.2f} ms "
      f"(raw-or/portal {o_all / p_all:.2f} x)")
for name, (k, p, r, o) in sorted(groups.items()):
    print(f"  {name}: {k} queries, portal {p / k:.2f} ms, raw {r / k:.2f} ms ({r / p:.2f} x), "
          f"raw-or {o / k:.2f} ms ({o / p:.2f} x), {100 * p / p_all:.0f}% of the portal's CPU")
PY
