# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers decision vectors with this package, for tests/tst_locust_parity.cpp.

Reads one JSON object on standard input and prints the answers as JSON; the C++ test computes
the same answers with the core and requires them to be identical.
Run: /usr/bin/python3 -m retrylab_locust.parity < vectors.json
"""

import json
import sys

from .backoff import BackoffState
from .breaker import BreakerConfig, CircuitBreaker, RetryBudget
from .client import generated_headers, make_idempotency_key
from .pushback import read_pushback
from .random_source import RandomSource
from .retry_policy import RetryPolicy, is_idempotent_method


def _pushback_dict(p):
    if p is None:
        return None
    out = {"delayUs": p.delay_us, "source": p.source, "clamped": p.clamped,
           "doNotRetry": p.do_not_retry}
    if p.retry_after is not None:
        out.update({"form": p.retry_after.form, "pastDate": p.retry_after.past_date,
                    "measuredFromDate": p.retry_after.measured_from_date})
    return out


def _rng(v):
    rng = RandomSource(int(v["seed"]))
    out = {"next": [], "uniform": []}
    for _ in range(v["count"]):
        out["next"].append(str(rng.next()))
    for _ in range(v["count"]):
        out["uniform"].append(rng.uniform())
    return out


def _decisions(v):
    policy = RetryPolicy(v["policy"].get("retry"))
    rng = RandomSource(int(v["seed"]))
    state = BackoffState()
    keyed = v["keyed"]
    out = []
    for i, step in enumerate(v["steps"]):
        pushback = None
        status = step.get("status", 0)
        if status > 0:
            headers = [tuple(h) for h in step.get("headers", [])]
            generic, _ = read_pushback(status, headers, step["receivedMs"])
            pushback = policy.server_wait(generic, status, headers, step["receivedMs"])
        outcome = step["outcome"]
        d = policy.decide(i + 1, step["elapsedUs"], is_idempotent_method(v["method"]), keyed,
                          outcome, status, pushback, step.get("breakerOpenForUs"), state, rng,
                          step.get("attemptUs", 0))
        row = d.as_dict()
        row.update({"pushback": _pushback_dict(pushback),
                    "countsAgainstBudget": policy.counts_against_budget(outcome, status,
                                                                        pushback, keyed),
                    "serviceFailure": policy.is_service_failure(outcome, status),
                    "holdsClient": policy.holds_client_on_pushback(),
                    "attemptTimeoutUs": policy.effective_attempt_timeout(step["elapsedUs"])})
        out.append(row)
    return out


def _breaker(v):
    now = [0]
    transitions = []
    b = CircuitBreaker(BreakerConfig(v["config"]), lambda: now[0])
    b.listener = lambda t: transitions.append(
        {"atUs": t.at, "from": t.from_state, "to": t.to, "windowCalls": t.window_calls,
         "windowFailures": t.window_failures, "consecutive": t.consecutive_failures,
         "openForUs": t.open_for})
    out = []
    for e in v["events"]:
        now[0] = e["t"]
        row = {}
        if e["op"] == "acquire":
            p = b.try_acquire()
            row = {"allowed": p.allowed, "probe": p.probe, "retryInUs": p.retry_in}
        elif e["op"] == "success":
            b.on_success()
        elif e["op"] == "failure":
            b.on_failure()
        row.update({"state": b.state, "windowCalls": b.window_calls(),
                    "windowFailures": b.window_failures(), "consecutive": b.consecutive,
                    "rejected": b.rejected})
        out.append(row)
    return {"steps": out, "transitions": transitions}


def _budget(v):
    budget = RetryBudget(v["config"])
    out = []
    for e in v["events"]:
        row = {}
        if e["op"] == "acquire":
            allowed, cost = budget.try_acquire_retry(e["outcome"])
            row = {"allowed": allowed, "cost": cost}
        elif e["op"] == "success":
            budget.on_attempt_succeeded(e["cost"])
        else:
            budget.on_attempt_failed()
        row["level"] = budget.level
        row["denied"] = budget.denied
        out.append(row)
    return out


def _keys(v):
    rng = RandomSource(int(v["seed"]))
    out = []
    for i in range(v["count"]):
        key = make_idempotency_key(rng) if v["keyed"] else ""
        out.append([[n, value] for n, value in generated_headers(v["client"], i, i + 1, key)])
    return out


def answer(vectors):
    return {
        "rng": [_rng(v) for v in vectors.get("rng", [])],
        "decisions": [_decisions(v) for v in vectors.get("decisions", [])],
        "breakers": [_breaker(v) for v in vectors.get("breakers", [])],
        "budgets": [_budget(v) for v in vectors.get("budgets", [])],
        "pushbacks": [_pushback_dict(read_pushback(v["status"], [tuple(h) for h in v["headers"]],
                                                   v["receivedMs"])[0])
                      for v in vectors.get("pushbacks", [])],
        "keys": [_keys(v) for v in vectors.get("keys", [])],
    }


def main():
    json.dump(answer(json.load(sys.stdin)), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
