#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One probe of one URL, timed by curl -w and by Retry Lab's own client, phase by phase
# (transport/README.md has the correspondence). Not a test.
#   tests/bench/phases_vs_curl.sh BUILD_DIR [URL]
# Without a URL it probes a temporary nginx on loopback.
set -euo pipefail
build=${1:?usage: phases_vs_curl.sh BUILD_DIR [URL]}
url=${2:-}
if [[ -z "$url" ]]; then
    source "$(dirname "$0")/nginx_env.sh"
    url="http://localhost:$port/"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
curl -s -o /dev/null -w 'curl:     dns %{time_namelookup}  connect %{time_connect}  tls %{time_appconnect}  start %{time_starttransfer}  total %{time_total} (s, cumulative)\n' "$url"
cat >"$work/probe.json" <<JSON
{"version": 1, "name": "probe", "target": {"kind": "url", "url": "$url"},
 "request": {"method": "GET", "path": "$(python3 -c "import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print((p.path or '/') + ('?' + p.query if p.query else ''))" "$url")"},
 "load": {"clients": 1, "operationsPerClient": 1},
 "policy": {"retry": {"maxAttempts": 1}, "breaker": {"enabled": false}}}
JSON
"$build/bin/retrylab" --headless --scenario "$work/probe.json" --log "$work/probe.jsonl" >/dev/null || true
python3 - "$work/probe.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("kind") != "attempt":
        continue
    t = o.get("timings", {})
    acc, parts = 0.0, []
    for name in ("dns", "connect", "tls", "send", "wait", "receive"):
        v = t.get(name + "Ms")
        if v is None:
            continue
        acc += v
        parts.append(f"{name} {v / 1000:.6f}")
    print(f"retrylab: {'  '.join(parts)}  total {(o['finishedMs'] - o['startedMs']) / 1000:.6f} "
          f"(s, each phase alone; {o['outcome']} {o['status']})")
PY
