#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Retry Lab's own client against nginx on loopback, next to wrk against the same nginx in the
# same run (transport/README.md), and the client's CPU per attempt. Not a test: it prints figures
# for the notes.
#   tests/bench/wire_vs_wrk.sh BUILD_DIR [SECONDS] [STACK]
# SHARDS=N passes --shards N (the client's threads; one per core by default).
# Retry Lab's completion time ends when the answer arrived (the kernel's stamp); the time the
# answer then waited for the client is printed beside it ("answers waited"). wrk's ends when
# wrk had read and parsed the answer, its own delay included.
# Needs nginx (Debian nginx-light) and wrk. One nginx worker answering `return 200`, on
# 127.0.0.1 and a port the OS picks; everything is removed at the end.
set -euo pipefail
build=${1:?usage: wire_vs_wrk.sh BUILD_DIR [SECONDS] [STACK]}
seconds=${2:-5}
stack=${3:-retrylab}
retrylab="$build/bin/retrylab"
source "$(dirname "$0")/nginx_env.sh"

# wrk prints its p50 as "50%  123.45us" (us, ms or s).
wrk_run() {
    local c=$1 out
    out=$(wrk -t1 -c"$c" -d"${seconds}s" --latency "http://127.0.0.1:$port/")
    local rps p50
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
    echo "$rps $p50"
}

# A closed-loop scenario: each client sends its GETs one after another, no retries.
retrylab_run() {
    local clients=$1 ops=$2
    cat >"$work/s.json" <<JSON
{"version": 1, "name": "wire bench", "target": {"kind": "url", "url": "http://127.0.0.1:$port/"},
 "request": {"method": "GET", "path": "/"},
 "load": {"clients": $clients, "operationsPerClient": $ops},
 "policy": {"retry": {"maxAttempts": 1}, "breaker": {"enabled": false}},
 "client": {"stack": "$stack", "connections": "keep-alive"}}
JSON
    local start end cpu
    start=$(date +%s.%N)
    # The client's own CPU (user + system, all its threads): bash's `time`, nothing to install.
    cpu=$( { TIMEFORMAT='%3U %3S'; time "$retrylab" --headless --scenario "$work/s.json" \
        --summary "$work/sum.json" ${SHARDS:+--shards "$SHARDS"} >/dev/null; } 2>&1 | tail -1)
    end=$(date +%s.%N)
    python3 - "$work/sum.json" "$start" "$end" $cpu <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
secs = s.get("runMs", wall * 1000) / 1000
cpu_us = (float(sys.argv[4]) + float(sys.argv[5])) * 1e6 / max(1, s["attemptsSent"])
lag = s.get("clientLagMs", {"p50": -1, "p99": -1})
print(f'{s["attemptsSent"] / secs:.0f} {s["completionMs"]["p50"]:.3f} {s["attemptsSent"]} {secs:.2f} {wall:.2f} {cpu_us:.1f} {lag["p50"]:.3f} {lag["p99"]:.3f}')
PY
}

echo "nginx on 127.0.0.1:$port, one worker; wrk -t1 -d${seconds}s; retrylab stack: $stack"
for c in 50 1; do
    read -r wrps wp50 < <(wrk_run "$c")
    # As many requests as wrk made: at wrk's rate, as long a run. A shorter one would end
    # before the attempt timeout (5 s) ever comes due, and hide what that costs.
    ops=$(python3 -c "print(max(200, int($wrps * $seconds / $c)))")
    read -r rrps rp50 sent secs wall cpu lag50 lag99 < <(retrylab_run "$c" "$ops")
    python3 - "$c" "$wrps" "$wp50" "$rrps" "$rp50" "$sent" "$secs" "$cpu" "$lag50" "$lag99" <<'PY'
import sys
c, wrps, wp50, rrps, rp50, sent, secs, cpu, lag50, lag99 = sys.argv[1:]
wrps, wp50, rrps, rp50 = map(float, (wrps, wp50, rrps, rp50))
print(f"{c:>3} connections: wrk {wrps:,.0f} req/s p50 {wp50:.3f} ms | retrylab {rrps:,.0f} attempts/s "
      f"({sent} in {float(secs):.2f} s, {cpu} us CPU each) p50 {rp50:.3f} ms | ratio {rrps / wrps:.2f}, "
      f"p50 difference {rp50 - wp50:+.3f} ms; answers waited for the client p50 {lag50} ms, "
      f"p99 {lag99} ms")
PY
done
