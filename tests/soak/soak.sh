#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Soak: real-time load against the built-in server (retrylab-mock, its own process) with
# connection faults, for an hour by default. Not part of CI. At the end it checks:
#   - client attempts = server journal: every attempt that went on the wire is one arrival,
#     per client id and attempt number (a stack that re-sends on its own shows up here);
#   - no lost or torn line in the streamed JSON Lines log (each line parses, none is cut);
#   - RSS, sampled every 30 s: the server's stays flat once its journal ring is full; the
#     client's grows only with its attempt log (bytes per attempt, reported and bounded).
# Usage: tests/soak/soak.sh [SECONDS=3600] [BUILD_DIR=build/ci] [OUT_DIR=soak-out]
# Loopback only; the load is bounded (RATE attempts per second, CLIENTS clients).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-3600}
build=${2:-build/ci}
out=${3:-soak-out}
rate=${RATE:-60}          # operations per second (Poisson arrivals)
clients=${CLIENTS:-50}
sample=${SAMPLE_SECONDS:-30}
mkdir -p "$out"
rm -f "$out"/*

# The server: flaky-503 plus every connection fault that ends in an answer or a close.
# Its journal ring holds 5,000 entries (full after about a minute, so that its RSS must be flat
# from then on); the journal is pulled every 2 s, in order.
cat > "$out/profile.json" <<JSON
{"version": 1, "name": "soak",
 "routes": [{"method": "*", "path": "/*",
   "statuses": [{"status": 200, "weight": 0.75}, {"status": 503, "weight": 0.15},
                {"status": 429, "weight": 0.1}],
   "retryAfter": {"on": [429, 503], "minSeconds": 0, "maxSeconds": 1, "form": "mixed"},
   "latency": {"kind": "lognormal", "medianMs": 5, "sigma": 0.6, "maxMs": 300},
   "faults": {"reset": 0.01, "close": 0.01, "truncate": 0.005, "garbage": 0.005,
              "slowBody": 0.01, "slowBodyMs": 300, "hang": 0.002}}],
 "limits": {"hangMaxMs": 2000, "journalCapacity": 5000}}
JSON
"$build/bin/retrylab-mock" --profile "$out/profile.json" --port 0 --seed 7 \
    > "$out/mock.url" 2> "$out/mock.err" &
mock=$!
trap 'kill $mock 2>/dev/null || true; [ -n "${client:-}" ] && kill $client 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$out/mock.url" ] && break; sleep 0.1; done
url=$(head -1 "$out/mock.url")
[ -n "$url" ] || { echo "soak: the server did not start" >&2; cat "$out/mock.err" >&2; exit 2; }

cat > "$out/scenario.json" <<JSON
{"version": 1, "name": "soak",
 "target": {"kind": "url", "url": "${url}"},
 "request": {"method": "GET", "path": "/orders", "idempotencyKeys": "per-operation"},
 "load": {"clients": ${clients}, "arrivalRatePerSecond": ${rate}, "durationMs": $((seconds * 1000))},
 "policy": {"retry": {"backoff": {"kind": "full-jitter", "baseMs": 50, "capMs": 1000},
                      "maxAttempts": 4, "totalBudgetMs": 10000, "attemptTimeoutMs": 1000,
                      "retryAfterMode": "honour-capped"},
            "breaker": {"enabled": false}, "budget": {"kind": "none"}},
 "clock": "real", "seed": 7}
JSON

"$build/bin/retrylab" --headless --scenario "$out/scenario.json" --log "$out/run.jsonl" \
    --summary "$out/summary.json" > "$out/run.out" 2> "$out/run.err" &
client=$!

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
logged() { # attempts in the streamed log so far (grep -c prints 0 and fails on none)
    local n
    n=$(grep -c '"kind":"attempt"' "$out/run.jsonl" 2>/dev/null || true)
    echo "${n:-0}"
}
since=0
pull() { # the server's journal since the last pull, appended in order
    local got
    got=$(curl -sf "${url}__admin/journal?since=${since}&format=jsonl&limit=100000") || return 0
    [ -z "$got" ] && return 0
    printf '%s\n' "$got" >> "$out/journal.jsonl"
    since=$(printf '%s\n' "$got" | tail -1 | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["id"])')
}
echo "elapsed_s client_rss_kb server_rss_kb client_fds server_fds attempts_logged" > "$out/rss.txt"
start=$(date +%s)
next_sample=0
while kill -0 $client 2>/dev/null; do
    now=$(( $(date +%s) - start ))
    pull
    if [ "$now" -ge "$next_sample" ]; then
        echo "$now $(rss $client) $(rss $mock) $(fds $client) $(fds $mock) $(logged)" >> "$out/rss.txt"
        next_sample=$((next_sample + sample))
    fi
    sleep 2
done
set +e
wait $client
code=$?
set -e
client=
sleep 1
pull
echo "$(( $(date +%s) - start )) 0 $(rss $mock) 0 $(fds $mock) $(logged)" >> "$out/rss.txt"
curl -sf "${url}__admin/stats" > "$out/stats.json" || true
kill $mock; wait $mock 2>/dev/null || true

python3 - "$out" "$code" "$clients" <<'PY'
import collections, json, sys
out, code, clients = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
problems = []
if code != 0:
    problems.append(f"retrylab exited {code}")
local = {"rejected-by-breaker", "rejected-by-budget", "budget-exhausted", "cancelled"}
client = collections.Counter()
lines = torn = 0
with open(f"{out}/run.jsonl", "rb") as f:
    data = f.read()
if data and not data.endswith(b"\n"):
    torn += 1
for raw in data.split(b"\n"):
    if not raw.strip():
        continue
    lines += 1
    try:
        o = json.loads(raw)
    except ValueError:
        torn += 1
        continue
    if o.get("kind") == "attempt" and o["outcome"] not in local:
        client[(str(o["client"]), o["attempt"])] += 1
server = collections.Counter()
ids = []
with open(f"{out}/journal.jsonl") as f:
    for raw in f:
        if raw.strip():
            e = json.loads(raw)
            ids.append(e["id"])
            server[(str(e.get("clientId", "")), e.get("attempt", 0))] += 1
gaps = sum(1 for a, b in zip(ids, ids[1:]) if b != a + 1) + (1 if ids and ids[0] != 1 else 0)
extra = sum((server - client).values())
missing = sum((client - server).values())
sent, arrived = sum(client.values()), sum(server.values())
rows = [l.split() for l in open(f"{out}/rss.txt").read().splitlines()[1:]]
rows = [[int(x) for x in r] for r in rows]
# elapsed_s client_rss_kb server_rss_kb client_fds server_fds attempts_logged
csamples = [r for r in rows if r[1] > 0]
ssamples = [r[2] for r in rows if r[2] > 0]
cfds = [r[3] for r in csamples]
sfds = [r[4] for r in rows if r[4] > 0]
print(f"soak: {lines} log lines, {torn} torn; {sent} attempts sent, {arrived} server arrivals "
      f"({extra} with no client attempt, {missing} client attempts never arrived); "
      f"journal gaps: {gaps}")
if csamples:
    first, last = csamples[min(1, len(csamples) - 1)], csamples[-1]
    per = (last[1] - first[1]) * 1024 / max(1, last[5] - first[5])
    print(f"soak: client RSS {first[1] // 1024} MB at {first[0]} s -> {last[1] // 1024} MB at "
          f"{last[0]} s, {per:.0f} bytes per attempt logged")
    if per > 1024:
        problems.append(f"the client grows {per:.0f} bytes per attempt (more than its log needs)")
if len(ssamples) >= 4:
    q = len(ssamples) // 4
    early, late = max(ssamples[q:2 * q] or ssamples[:1]), max(ssamples[-q:])
    print(f"soak: server RSS max {early // 1024} MB in the second quarter, {late // 1024} MB in "
          f"the last")
    if late > early * 1.1 + 8 * 1024:
        problems.append(f"the server's RSS grew from {early} kB to {late} kB")
if cfds and sfds:
    print(f"soak: open descriptors: client {min(cfds)}..{max(cfds)}, server {min(sfds)}..{max(sfds)} "
          f"(server {sfds[-1]} after the client ended)")
    # Each client holds at most one keep-alive connection; the server one per client, plus the
    # listening socket and the admin pulls. More than that is a leak.
    bound = 2 * clients + 64
    if max(cfds) > bound:
        problems.append(f"the client held {max(cfds)} descriptors (more than {bound})")
    if max(sfds) > bound:
        problems.append(f"the server held {max(sfds)} descriptors (more than {bound})")
    if sfds[-1] > min(sfds) + 8:
        problems.append(f"the server still holds {sfds[-1]} descriptors after the client ended "
                        f"(it started with {min(sfds)})")
if torn:
    problems.append(f"{torn} torn log lines")
if gaps:
    problems.append(f"{gaps} gaps in the server journal (pulled too slowly)")
if extra or missing:
    problems.append(f"client attempts != server journal ({sent} vs {arrived})")
for p in problems:
    print("soak: FAILED: " + p)
sys.exit(1 if problems else 0)
PY
