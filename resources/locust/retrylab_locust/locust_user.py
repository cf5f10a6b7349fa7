# SPDX-License-Identifier: GPL-3.0-or-later
"""Locust glue: one Locust user is one Retry Lab client, one task run is one operation that
retries inside itself as the scenario's policy says (the same steps as the engine's
core/engine/run_engine.cpp, on real time and gevent instead of a scheduler).

Each worker process writes its attempts to its own JSON Lines file in --retrylab-log-dir,
and Locust's statistics get one entry per attempt, named by its outcome.
"""

import itertools
import math
import os
import socket
import time

import gevent
import requests
from gevent import GreenletExit
from locust import User, events, task
from locust.exception import StopUser

from .backoff import BackoffState
from .breaker import BreakerConfig, CircuitBreaker, RetryBudget
from .client import generated_headers, make_idempotency_key
from .jsonl import JsonlLog
from .pushback import read_pushback
from .random_source import RandomSource, client_seed, splitmix
from .retry_policy import RetryPolicy, is_idempotent_method, outcome_from_status

# Response headers are kept in the log for the first attempts only, as the engine does.
RESPONSE_HEADERS_KEPT = 200
IN_FLIGHT_AT_STOP = "in flight when the run stopped"


def agree_on_version():
    """Debian 12's python3-locust 2.12.1 reports an empty version, and a master refuses a worker
    whose version is empty as "pre 2.0". Master and workers import this same locustfile, so
    giving both the same non-empty version makes them agree; a real version is left alone."""
    import locust
    import locust.runners
    if locust.runners.__version__:
        return locust.runners.__version__
    try:
        from importlib.metadata import version
        found = version("locust")
    except Exception:  # no metadata at all: any shared value will do
        found = ""
    found = found or "0.0.0+retrylab"
    locust.runners.__version__ = found
    locust.__version__ = found
    return found


@events.init_command_line_parser.add_listener
def _add_options(parser):
    parser.add_argument("--retrylab-log-dir", type=str, default="./retrylab-logs",
                        help="Folder for Retry Lab's attempt logs, one JSON Lines file per "
                             "worker process (merge them with retrylab --headless --merge)")


def _classify(exc):
    """A transport failure as Retry Lab's outcome class."""
    if isinstance(exc, (gevent.Timeout, requests.exceptions.Timeout, socket.timeout)):
        return "timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls"
    text = repr(exc)
    cause = exc
    seen = 0
    while cause is not None and seen < 8:
        if isinstance(cause, ConnectionRefusedError):
            return "connection-refused"
        if isinstance(cause, (ConnectionResetError, BrokenPipeError)):
            return "connection-reset"
        if isinstance(cause, socket.gaierror):
            return "dns"
        cause = cause.__cause__ or cause.__context__ or \
            (cause.args[0] if cause.args and isinstance(cause.args[-1], BaseException) else None)
        seen += 1
    if "Connection refused" in text:
        return "connection-refused"
    if "NameResolution" in text or "Name or service not known" in text:
        return "dns"
    if isinstance(exc, (requests.exceptions.ConnectionError,
                        requests.exceptions.ChunkedEncodingError)):
        return "connection-reset"  # closed before a whole response arrived
    return "network-other"


def _join(host, path):
    """Locust's --host and the scenario's path: one slash between them, whatever was typed."""
    return (host or "").rstrip("/") + "/" + path.lstrip("/")


class _Worker:
    """What one worker process shares: its log, its client numbering, and the breaker and
    retry budget when the scenario shares them (shared per worker: workers share nothing)."""

    def __init__(self, environment, settings):
        self.settings = settings
        scenario = settings["scenario"]
        self.policy = RetryPolicy(scenario["policy"].get("retry"))
        runner = environment.runner
        self.index = getattr(runner, "worker_index", 0) or 0
        folder = getattr(environment.parsed_options, "retrylab_log_dir", None) or "./retrylab-logs"
        os.makedirs(folder, exist_ok=True)
        name = "retrylab-worker%d-%s-%d.jsonl" % (self.index, socket.gethostname(), os.getpid())
        self.log = JsonlLog(os.path.join(folder, name), scenario,
                            settings["url"] if not settings["relative"]
                            else _join(environment.host, settings["url"]))
        self.local_clients = itertools.count()
        self.shared_breaker = None
        self.shared_budget = None
        sharing = scenario.get("sharing", {})
        if sharing.get("breaker") == "shared":
            owner = 1_000_000_000 + self.index
            self.shared_breaker = CircuitBreaker(BreakerConfig(scenario["policy"].get("breaker")),
                                                 self.log.now_us,
                                                 lambda t: self.log.breaker(owner, t))
        if sharing.get("budget") == "shared":
            self.shared_budget = RetryBudget(scenario["policy"].get("budget"))

    def next_client(self):
        # Unique across workers, so the server tells every client apart (X-Client-Id).
        return self.index * self.settings["clients"] + next(self.local_clients)


_worker = None


def _worker_of(environment, settings):
    global _worker
    if _worker is None:
        _worker = _Worker(environment, settings)
    return _worker


class RetryLabUser(User):
    """One Retry Lab client. Subclassed by client_class() with the scenario's settings."""

    abstract = True
    settings = {}

    def wait_time(self):
        rate = self.settings["arrivalRatePerSecond"]
        if rate <= 0:
            return 0  # closed loop: each client runs its operations one after another
        # Open loop: each client's operations arrive as a Poisson process of rate / clients,
        # so all clients together arrive at the scenario's rate.
        u = self.arrivals.uniform()
        return -math.log(1.0 - u) * self.settings["clients"] / rate

    def on_start(self):
        s = self.settings
        self.worker = _worker_of(self.environment, s)
        self.client_id = self.worker.next_client()
        scenario = s["scenario"]
        seed = int(scenario.get("seed", "1"))
        self.rng = RandomSource(client_seed(seed, self.client_id))
        self.arrivals = RandomSource(splitmix(seed ^ 0xA11C0FFEE) ^ self.client_id)
        self.breaker = self.worker.shared_breaker or CircuitBreaker(
            BreakerConfig(scenario["policy"].get("breaker")), self.worker.log.now_us,
            lambda t: self.worker.log.breaker(self.client_id, t))
        self.budget = self.worker.shared_budget or RetryBudget(scenario["policy"].get("budget"))
        self.next_operation = 0
        self.not_before = 0
        self.session = requests.Session()
        self.request = scenario["request"]
        self.url = s["url"] if not s["relative"] else _join(self.host, s["url"])
        self.own_headers = [(h["name"], h["value"]) for h in self.request.get("headers", [])]

    def on_stop(self):
        self.session.close()

    @task
    def operation(self):
        s = self.settings
        if s["arrivalRatePerSecond"] <= 0 and self.next_operation >= s["operationsPerClient"]:
            raise StopUser()
        _Operation(self).run()


class _Operation:
    def __init__(self, user):
        self.u = user
        self.log = user.worker.log
        self.policy = user.worker.policy
        self.index = user.next_operation
        user.next_operation += 1
        self.key = ""
        if user.request.get("idempotencyKeys") == "per-operation":
            self.key = make_idempotency_key(user.rng)
        self.state = BackoffState()
        self.attempts = 0
        self.last_finished = 0
        self.last_outcome = "success"
        self.last_cost = 0.0
        self.last_started = 0
        self.refused_by_budget = False  # the budget refused the retry: end it at once, unsent
        self.planned = -1
        self.source = "backoff"
        self.shortened = False

    def _fire(self, rec, length=0, exception=None):
        self.u.environment.events.request.fire(
            request_type=rec["method"], name=rec["outcome"],
            response_time=(rec["finishedUs"] - rec["startedUs"]) / 1000.0,
            response_length=length, exception=exception, context={}, url=rec["url"])

    def _write(self, rec, stop=None):
        if stop:
            rec["stop"] = stop
        self.log.attempt(rec)
        failed = rec["outcome"] != "success"  # a 3xx or 1xx is a final answer, not a success
        self._fire(rec, rec.pop("_length", 0),
                   Exception("%s %s" % (rec["outcome"], rec.get("status") or "")) if failed else None)

    def _sleep_until(self, at_us, rec_template):
        wait = at_us - self.log.now_us()
        if wait > 0:
            try:
                gevent.sleep(wait / 1_000_000)
            except GreenletExit:
                # Stopped while waiting: the next attempt is recorded as cancelled, as the
                # engine does when a run is stopped.
                rec = rec_template()
                rec["outcome"] = "cancelled"
                rec["finishedUs"] = rec["startedUs"]
                self._write(rec, "stopped")
                raise

    def _record(self, scheduled):
        now = self.log.now_us()
        u = self.u
        return {"client": u.client_id, "operation": self.index, "attempt": self.attempts + 1,
                "method": u.request.get("method", "GET"), "url": u.url, "scheduledUs": scheduled,
                "startedUs": now, "finishedUs": now, "outcome": "success", "status": 0,
                "breakerState": u.breaker.state, "requestHeaders": list(u.own_headers),
                "plannedDelayUs": self.planned, "delaySource": self.source,
                "actualDelayUs": now - self.last_finished if self.attempts > 0 else -1,
                "shortened": self.shortened, "key": ""}

    def run(self):
        u = self.u
        started = self.log.now_us()
        scheduled = started
        if u.not_before > started:
            # A well-behaved client starts no new work while a server has asked it to wait.
            scheduled = u.not_before
            self.planned = u.not_before - started
            self.source = "retry-after"
            self._sleep_until(scheduled, lambda: self._record(scheduled))
        self.started = started
        while True:
            rec = self._record(scheduled)
            self.attempts += 1
            self.last_started = rec["startedUs"]
            u.breaker.poll()
            rec["breakerState"] = u.breaker.state
            # The budget was asked when the retry was decided (_decide); a refusal ends the
            # operation at once, without sending and without waiting out a backoff first.
            if self.refused_by_budget:
                rec["outcome"] = "rejected-by-budget"
                return self._write(rec, "rejected")
            permit = u.breaker.try_acquire()
            if not permit.allowed:
                rec["outcome"] = "rejected-by-breaker"
                self.last_finished = rec["finishedUs"]
                self.last_outcome = rec["outcome"]
                nxt = self._decide(rec, None, permit.retry_in)
            else:
                nxt = self._send(rec)
            if nxt is None:
                return
            scheduled = nxt
            self._sleep_until(scheduled, lambda: self._record(scheduled))

    def _send(self, rec):
        u = self.u
        if u.request.get("idempotencyKeys") == "per-attempt":
            self.key = make_idempotency_key(u.rng)
        now = rec["startedUs"]
        timeout = self.policy.effective_attempt_timeout(now - self.started)
        if timeout is not None and timeout <= 0:
            rec["outcome"] = "budget-exhausted"
            self._write(rec, "time-budget-exhausted")
            return None
        rec["key"] = self.key
        sent = generated_headers(u.client_id, self.index, self.attempts, self.key)
        rec["requestHeaders"] = list(u.own_headers) + sent
        headers = dict(u.own_headers)
        headers.update(dict(sent))
        body = u.request.get("body", "") or None
        seconds = None if timeout is None else timeout / 1_000_000
        status, response_headers, length, detail = 0, [], 0, ""
        try:
            with gevent.Timeout(seconds):
                r = u.session.request(rec["method"], u.url, headers=headers,
                                      data=body.encode("utf-8") if body else None,
                                      allow_redirects=False, timeout=seconds)
                status, length = r.status_code, len(r.content)
                # Each field line on its own (two Retry-After lines are an ambiguity to see).
                raw = getattr(r.raw, "headers", None)
                response_headers = list(raw.iteritems()) if hasattr(raw, "iteritems") \
                    else list(r.headers.items())
                outcome = outcome_from_status(status)
        except GreenletExit:
            rec["outcome"] = "cancelled"
            rec["finishedUs"] = self.log.now_us()
            rec["detail"] = IN_FLIGHT_AT_STOP
            self._write(rec, "stopped")
            raise
        except BaseException as e:  # gevent.Timeout is not an Exception
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            outcome = _classify(e)
            detail = str(e)[:300]
            # A timed-out or broken connection must not go back to the pool.
            u.session.close()
            u.session = requests.Session()
        finished = self.log.now_us()
        received_ms = int(time.time() * 1000)
        rec.update({"finishedUs": finished, "outcome": outcome, "status": status,
                    "detail": detail, "_length": length})
        if response_headers and self.log.attempts < RESPONSE_HEADERS_KEPT:
            rec["responseHeaders"] = response_headers
        self.last_finished = finished
        self.last_outcome = outcome
        pushback = None
        if status > 0:
            # Every pushback header is logged; the policy's mode says which of them it obeys.
            generic, _ = read_pushback(status, response_headers, received_ms)
            pushback = self.policy.server_wait(generic, status, response_headers, received_ms)
            if generic is not None:
                rec["retryAfterUs"] = generic.delay_us
                if self.policy.holds_client_on_pushback():
                    u.not_before = finished + generic.delay_us
        # The breaker counts what the service did: failures it could recover from.
        if self.policy.is_service_failure(outcome, status):
            u.breaker.on_failure()
        else:
            u.breaker.on_success()
        # Budgets count what their libraries count: a token back only for a 2xx, a token taken
        # only for a retryable failure (or a "do not retry" pushback).
        if outcome == "success":
            u.budget.on_attempt_succeeded(self.last_cost)
        elif self.policy.counts_against_budget(outcome, status, pushback, bool(self.key)):
            u.budget.on_attempt_failed()
        return self._decide(rec, pushback, None)

    def _decide(self, rec, pushback, breaker_open_for):
        now = rec["finishedUs"]
        d = self.policy.decide(self.attempts, now - self.started,
                               is_idempotent_method(rec["method"]), bool(self.key),
                               rec["outcome"], rec["status"], pushback, breaker_open_for,
                               self.state, self.u.rng, now - self.last_started)
        if not d.retry:
            self._write(rec, d.stop)
            return None
        self._write(rec)
        # Ask the budget now, as gRPC and botocore do before they wait: a refused retry ends at
        # once instead of first sitting through its backoff.
        allowed, cost = self.u.budget.try_acquire_retry(self.last_outcome)
        self.refused_by_budget = not allowed
        self.last_cost = cost
        delay = d.delay_us if allowed else 0
        self.planned = delay
        self.source = d.source
        self.shortened = d.shortened
        return now + delay


def client_class(scenario, url, relative, name="RetryLabClient"):
    """The Locust user class for a scenario (the parsed JSON of Scenario::toJson()).
    `url`: the request URL, or its path when `relative` (Locust's --host goes before it)."""
    load = scenario.get("load", {})
    settings = {"scenario": scenario, "url": url, "relative": relative,
                "clients": max(1, int(load.get("clients", 10))),
                "operationsPerClient": int(load.get("operationsPerClient", 10)),
                "arrivalRatePerSecond": float(load.get("arrivalRatePerSecond", 0))}
    return type(name, (RetryLabUser,), {"abstract": False, "settings": settings})


__all__ = ["agree_on_version", "client_class"]
