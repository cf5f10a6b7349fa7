#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# How precisely real-time waits are kept under load: CLIENTS clients against the built-in server
# (in its own thread) where each operation's first attempt gets a 503 and its retry succeeds.
# Computed from the JSON Lines log: actual − planned wait of every retry. Not a test.
#   tests/bench/wait_precision.sh BUILD_DIR [CLIENTS] [OPERATIONS] [STACK]
# SHARDS=N passes --shards N (the client's threads; by default one per core, less the one the
# built-in server gets). SHARE_CORES=1 passes --share-cores: the run's threads go wherever the
# system puts them, where by default the engine keeps to cores of its own (core/README.md).
# The reference, in the same run: cyclictest (Debian rt-tests), one ordinary (SCHED_OTHER)
# thread that sleeps a millisecond at a time and measures how late it wakes while the run
# loads the machine: how precisely the operating system itself keeps a wait just then. With
# the cores kept apart it keeps to the engine's core (the first this process may use), so
# that it sees what took that core from the engine (another process, a kernel thread); with
# SHARE_CORES=1 it goes wherever the system puts it. Without cyclictest the run is reported
# alone.
set -euo pipefail
build=${1:?usage: wait_precision.sh BUILD_DIR [CLIENTS] [OPERATIONS] [STACK]}
clients=${2:-2000}
ops=${3:-5}
stack=${4:-retrylab}
work=$(mktemp -d)
trap '[ -z "${ref:-}" ] || kill "$ref" 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/s.json" <<JSON
{"version": 1, "name": "wait precision",
 "target": {"kind": "builtin", "profile": {"version": 1, "name": "503-then-success",
   "routes": [{"method": "*", "path": "/*", "statuses": [{"status": 200, "weight": 1}],
               "failFirst": {"count": 1, "per": "key", "status": 503}}]}},
 "request": {"method": "GET", "path": "/items", "idempotencyKeys": "per-operation"},
 "load": {"clients": $clients, "operationsPerClient": $ops, "staggerMs": 1000},
 "policy": {"retry": {"maxAttempts": 3, "retryAfterMode": "ignore", "totalBudgetMs": 0,
            "backoff": {"kind": "full-jitter", "baseMs": 100, "capMs": 1000}},
            "breaker": {"enabled": false}},
 "client": {"stack": "$stack"}}
JSON
ref=""
if command -v cyclictest >/dev/null; then
    # -p 0 comes first: given after --policy, it switches the thread to SCHED_FIFO. --laptop
    # leaves /dev/cpu_dma_latency alone, which would change the machine under test.
    pin=()
    [ -n "${SHARE_CORES:-}" ] ||
        pin=(--affinity="$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')")
    cyclictest -t1 -p 0 --policy=normal --laptop -i 1000 -q -h 100000 "${pin[@]}" \
        --histfile="$work/reference.txt" >/dev/null 2>&1 &
    ref=$!
    sleep 0.2 # measuring before the run starts
fi
start=$(date +%s.%N)
"$build/bin/retrylab" --headless --scenario "$work/s.json" --log "$work/log.jsonl" \
    --summary "$work/sum.json" ${SHARDS:+--shards "$SHARDS"} ${SHARE_CORES:+--share-cores} \
    >/dev/null || true
end=$(date +%s.%N)
if [ -n "$ref" ]; then
    kill -INT "$ref"
    wait "$ref" || true
fi
python3 - "$work/log.jsonl" "$work/sum.json" "$clients" "$ops" "$start" "$end" \
    "$work/reference.txt" <<'PY'
import json, os, sys
late, early = [], 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("kind") != "attempt" or "plannedDelayMs" not in o:
        continue
    d = o["actualDelayMs"] - o["plannedDelayMs"]
    late.append(d)
    early += d < 0
late.sort()
q = lambda p: late[min(len(late) - 1, int(p * len(late)))] if late else 0
s = json.load(open(sys.argv[2]))
print(f"{sys.argv[3]} clients x {sys.argv[4]} operations, {s['attemptsSent']} attempts "
      f"(server saw {s.get('serverRequests')}) in {float(sys.argv[6]) - float(sys.argv[5]):.1f} s; "
      f"actual - planned wait over {len(late)} retries: p50 {q(0.5):.3f} ms, p99 {q(0.99):.3f} ms, "
      f"max {late[-1] if late else 0:.3f} ms, early {early}")
# cyclictest's histogram: "<us> <count>" a line, then "# Max Latencies: <us>" (overflows too).
if os.path.exists(sys.argv[7]):
    hist, worst = [], 0
    for line in open(sys.argv[7]):
        p = line.split()
        if len(p) == 2 and p[0].isdigit():
            hist.append((int(p[0]), int(p[1])))
        elif line.startswith("# Max Latencies:"):
            worst = int(p[-1])
    total = sum(c for _, c in hist)
    def rq(q):
        seen = 0
        for us, c in hist:
            seen += c
            if seen >= q * total:
                return us / 1000
        return worst / 1000
    # A wake-up late by L says the thread could not run for (at least) the last L of its
    # cycle of 1 ms + L: a deadline falling at a moment in there would have been late by the
    # rest of it. Weighted so, the reference reads like the run's retries, which fall due at
    # any moment, a hundred of them in a stall of a few milliseconds where the sleeper wakes
    # late once: the share of time a deadline is late by more than x is the sum of
    # max(0, L - x) over the whole time.
    span = sum(c * (1000 + us) for us, c in hist)
    def over(x):
        return sum(c * max(0, us - x) for us, c in hist) / span
    def tq(q):
        lo, hi = 0, max(worst, 1)
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if over(mid) <= 1 - q else (mid + 1, hi)
        return lo / 1000
    if total:
        where = "any core" if os.environ.get("SHARE_CORES") else "the engine's core"
        print(f"reference, same run: cyclictest (one SCHED_OTHER thread on {where}, 1 ms "
              f"sleeps), {total} wake-ups late by p50 {rq(0.5):.3f} ms, p99 {rq(0.99):.3f} ms, "
              f"max {worst / 1000:.3f} ms; a deadline at any moment would have been late by "
              f"p99 {tq(0.99):.3f} ms")
PY
