# SPDX-License-Identifier: GPL-3.0-or-later
"""Retry Lab's JSON Lines attempt log (core/log/jsonl_log.cpp), written by one process.

The first line describes the run (kind "run": the scenario, the target, the wall-clock start);
every attempt and breaker transition follows as one line, flushed at once, so a killed worker
loses at most the line it was writing. `retrylab --headless --merge` puts several such files
on one time line by their start times.
"""

import datetime
import json
import time

SECRET_HEADERS = ("authorization", "cookie", "set-cookie", "proxy-authorization")
MASK = "[redacted]"


def headers_json(headers):
    return [{"name": n, "value": MASK if n.lower() in SECRET_HEADERS else v} for n, v in headers]


def _ms(us):
    return us / 1000.0


class JsonlLog:
    def __init__(self, path, scenario, target):
        self._file = open(path, "w", encoding="utf-8")
        self._mono = time.monotonic()
        started = datetime.datetime.now(datetime.timezone.utc)
        scenario = json.loads(json.dumps(scenario))
        for h in scenario.get("request", {}).get("headers", []):
            if h.get("name", "").lower() in SECRET_HEADERS:
                h["value"] = MASK
        self._line({"kind": "run", "scenario": scenario, "target": target,
                    "startedAt": started.strftime("%Y-%m-%dT%H:%M:%S.") +
                    "%03dZ" % (started.microsecond // 1000)})
        self.path = path
        self.attempts = 0

    def now_us(self):
        """Microseconds since this log's run started (monotonic)."""
        return int((time.monotonic() - self._mono) * 1_000_000)

    def _line(self, obj):
        self._file.write(json.dumps(obj, separators=(",", ":")) + "\n")
        self._file.flush()

    def attempt(self, r):
        """One attempt; `r` holds the fields of AttemptRecord (times in microseconds)."""
        o = {"kind": "attempt", "run": 1, "client": r["client"], "operation": r["operation"],
             "attempt": r["attempt"], "method": r["method"], "url": r["url"],
             "scheduledMs": _ms(r["scheduledUs"]), "startedMs": _ms(r["startedUs"]),
             "finishedMs": _ms(r["finishedUs"]), "outcome": r["outcome"],
             "status": r.get("status", 0), "breakerState": r["breakerState"],
             "requestHeaders": headers_json(r["requestHeaders"])}
        if r.get("responseHeaders"):
            o["responseHeaders"] = headers_json(r["responseHeaders"])
        if r.get("key"):
            o["idempotencyKey"] = r["key"]
        if r.get("retryAfterUs", -1) >= 0:
            o["retryAfterMs"] = _ms(r["retryAfterUs"])
        if r.get("plannedDelayUs", -1) >= 0:
            o["plannedDelayMs"] = _ms(r["plannedDelayUs"])
            o["delayReason"] = r["delaySource"]
            o["actualDelayMs"] = _ms(r.get("actualDelayUs", -1))
            if r.get("shortened"):
                o["shortened"] = True
        if r.get("detail"):
            o["detail"] = r["detail"]
        if r.get("stop"):
            o["stop"] = r["stop"]
        self._line(o)
        self.attempts += 1

    def breaker(self, owner, t):
        """One breaker transition (a breaker.Transition)."""
        o = {"kind": "breaker", "run": 1, "breaker": owner, "atMs": _ms(t.at),
             "from": t.from_state, "to": t.to, "reason": t.reason, "windowCalls": t.window_calls,
             "windowFailures": t.window_failures, "consecutiveFailures": t.consecutive_failures}
        if t.to == "open":
            o["openForMs"] = _ms(t.open_for)
        self._line(o)

    def close(self):
        self._file.close()
