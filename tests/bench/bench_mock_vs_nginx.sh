#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A benchmark, not a test: retrylab-mock against nginx (Debian's nginx-light: one worker,
# `return 200`, access log off) on 127.0.0.1, side by side in one run, with
# `wrk -t1 -c50 -d5s`, for a plain 200 route and a 503 + Retry-After route, the server's
# journal on. Then retrylab-mock's RSS with its journal full, and 5,000 idle keep-alive
# connections: held, new clients still served, all closed after the idle timeout.
#
#   tests/bench/bench_mock_vs_nginx.sh [BUILD_DIR] [ROUNDS]     (as root: nginx, ulimit -n)
set -euo pipefail
build=${1:-build/ci}
rounds=${2:-2}
mock="$build/bin/retrylab-mock"
[ -x "$mock" ] || { echo "no $mock: build retrylab-mock first" >&2; exit 2; }
command -v wrk >/dev/null && command -v nginx >/dev/null ||
    { echo "needs wrk and nginx (apt-get install wrk nginx-light)" >&2; exit 2; }
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on $1" >&2; exit 1
}

nginx_port=$(free_port)
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 200 'ok'; }
        location /busy { add_header Retry-After 2 always; return 503 'busy'; }
    }
}
CONF
nginx -c "$tmp/nginx.conf" -p "$tmp" &
pids+=($!)

mock_port=$(free_port)
cat > "$tmp/bench.json" <<'JSON'
{"name": "bench", "routes": [
  {"method": "*", "path": "/busy", "statuses": [{"status": 503, "weight": 1}],
   "retryAfter": {"on": [503], "minSeconds": 2, "maxSeconds": 2}},
  {"method": "*", "path": "/*", "statuses": [{"status": 200, "weight": 1}]}],
 "limits": {"idleTimeoutMs": 5000, "journalCapacity": 100000}}
JSON
"$mock" --port "$mock_port" --profile "$tmp/bench.json" >/dev/null 2>"$tmp/mock.log" &
mock_pid=$!
pids+=($mock_pid)
wait_port "$nginx_port"
wait_port "$mock_port"

rps() { wrk -t1 -c50 -d5s "$1" | awk '/Requests\/sec/ {print $2}'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$mock_pid/status"; }

echo "wrk -t1 -c50 -d5s, requests/s (nginx $(nginx -v 2>&1 | sed 's/.*\///'))"
printf '%-6s %-7s %12s %12s %7s %10s\n' round route nginx mock ratio mockRSSkB
for r in $(seq "$rounds"); do
    for route in / /busy; do
        n=$(rps "http://127.0.0.1:$nginx_port$route")
        m=$(rps "http://127.0.0.1:$mock_port$route")
        printf '%-6s %-7s %12s %12s %7s %10s\n' "$r" "$route" "$n" "$m" \
            "$(awk -v m="$m" -v n="$n" 'BEGIN {printf "%.2f", m / n}')" "$(rss)"
    done
done
curl -s "http://127.0.0.1:$mock_port/__admin/stats" |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print("journal: %d requests, capacity %d, dropped %d" % (s["requests"], s["journal"]["capacity"], s["journal"]["dropped"]))'

echo
echo "5000 idle keep-alive connections (idle timeout 5 s)"
python3 - "$mock_port" <<'PY'
import json, socket, sys, time
port = int(sys.argv[1])
def stats():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__admin/stats HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])
held = []
t0 = time.time()
for i in range(5000):
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"GET /idle HTTP/1.1\r\nHost: x\r\n\r\n")
    held.append(c)
for c in held:
    c.settimeout(5)
    assert c.recv(4096).startswith(b"HTTP/1.1 200")
print("opened and answered 5000 in %.2f s; server says %d open" % (time.time() - t0, stats()["openConnections"]))
fresh = socket.create_connection(("127.0.0.1", port))
fresh.sendall(b"GET /fresh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
fresh.settimeout(5)
print("a new client while they are held:", fresh.recv(4096).split(b"\r\n")[0].decode())
fresh.close()
time.sleep(7)
closed = 0
for c in held:
    c.settimeout(0.5)
    try:
        closed += c.recv(1) == b""
    except OSError:
        pass
print("after 7 s: %d of 5000 closed by the server; server says %d open" % (closed, stats()["openConnections"]))
PY
echo "mock RSS after all: $(rss) kB"
