# SPDX-License-Identifier: GPL-3.0-or-later
"""The retry policy of core/policy/retry_policy.cpp: retry or stop, why, and after what delay.

Reads the policy object of a scenario file (the "retry" part of ClientPolicy::toJson); missing
fields keep the C++ defaults. Durations are integer microseconds.
"""

import math

from .backoff import Backoff, from_ms
from .pushback import read_pushback

NETWORK_FAILURES = ("timeout", "connection-reset", "connection-refused", "dns", "tls",
                    "network-other")
LOCAL_REJECTIONS = ("rejected-by-breaker", "rejected-by-budget", "budget-exhausted", "cancelled")
RETRY_AFTER_MODES = ("ignore", "honour", "honour-capped", "larger-of-both", "grpc-pushback",
                     "x-amz-retry-after", "envoy-rate-limited")
# The Retry Lab modes read whichever pushback header a response carries; the others are what
# one library does with its own header (core/policy/README.md, "Retry-After and pushback").
_GENERIC_MODES = ("ignore", "honour", "honour-capped", "larger-of-both")
# botocore's _RETRY_AFTER_MAX_ADDITIONAL: x-amz-retry-after may add at most 5 s to the backoff.
_AMZ_RETRY_AFTER_MAX_ADDITIONAL_US = 5_000_000
# Only the headers one pushback source reads (and Date, which dates are measured against).
_HEADERS_OF = {
    "retry-after": ("retry-after",),
    "ratelimit": ("ratelimit", "ratelimit-remaining", "ratelimit-reset"),
    "x-amz-retry-after": ("x-amz-retry-after",),
    "grpc-retry-pushback-ms": ("grpc-retry-pushback-ms",),
    "x-ratelimit-reset": ("x-ratelimit-reset", "x-ratelimit-remaining"),
}
IDEMPOTENT_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")


def outcome_from_status(status):
    """2xx → success, 4xx → client-error ...; outside 100..599 → network-other."""
    if 100 <= status < 200:
        return "informational"
    if 200 <= status < 300:
        return "success"
    if 300 <= status < 400:
        return "redirect"
    if 400 <= status < 500:
        return "client-error"
    if 500 <= status < 600:
        return "server-error"
    return "network-other"


def _read_only(source, status, headers, received_ms):
    names = ("date",) + _HEADERS_OF[source]
    own = [(k, v) for (k, v) in headers if k.lower() in names]
    wait, _ = read_pushback(status, own, received_ms)
    return wait if wait is not None and wait.source == source else None


def is_network_failure(outcome):
    return outcome in NETWORK_FAILURES


def is_local_rejection(outcome):
    return outcome in LOCAL_REJECTIONS


def is_idempotent_method(method):
    return method.upper() in IDEMPOTENT_METHODS


class Decision:
    def __init__(self):
        self.retry = False
        self.stop = "retry"
        self.delay_us = 0
        self.source = "backoff"
        self.backoff_us = 0
        self.server_us = None
        self.server_capped = False
        self.shortened = False
        self.explanation = ""

    def as_dict(self):
        return {"retry": self.retry, "stop": self.stop, "delayUs": self.delay_us,
                "source": self.source, "backoffUs": self.backoff_us, "serverUs": self.server_us,
                "serverCapped": self.server_capped, "shortened": self.shortened}


class RetryPolicy:
    def __init__(self, retry=None):
        r = retry or {}
        b = r.get("backoff", {})
        self.backoff = Backoff(b.get("kind", "full-jitter"), from_ms(b.get("baseMs", 100)),
                               from_ms(b.get("capMs", 10000)), b.get("multiplier", 2.0),
                               b.get("jitter", 0.2), b.get("firstRetryExponent", 0))
        self.max_attempts = int(r.get("maxAttempts", 4))
        self.total_budget = from_ms(r.get("totalBudgetMs", 30000))
        self.attempt_timeout = from_ms(r.get("attemptTimeoutMs", 5000))
        self.min_attempt_window = from_ms(r.get("minAttemptWindowMs", 50))
        self.overrun = r.get("overrun", "shorten")
        self.retryable_statuses = [int(s) for s in r.get("retryableStatuses",
                                                         [408, 429, 500, 502, 503, 504])]
        self.retryable_failures = set(r.get("retryableFailures",
                                            ["timeout", "connection-reset", "connection-refused"]))
        self.retry_after_mode = r.get("retryAfterMode", "honour")
        if self.retry_after_mode not in RETRY_AFTER_MODES:
            raise ValueError("retryAfterMode '%s' is not one of: %s"
                             % (self.retry_after_mode, ", ".join(RETRY_AFTER_MODES)))
        self.retry_after_cap = from_ms(r.get("retryAfterCapMs", 60000))
        self.retry_non_idempotent_with_key = bool(r.get("retryNonIdempotentWithKey", True))
        self.retry_non_idempotent_without_key = bool(r.get("retryNonIdempotentWithoutKey", False))
        self.retry_in_flight_conflict = bool(r.get("retryInFlightConflict", True))
        self.wait_for_breaker = bool(r.get("waitForBreaker", False))
        # gRPC connection backoff: the wait is measured from the failed attempt's start.
        self.backoff_from_attempt_start = bool(r.get("backoffFromAttemptStart", False))

    def is_retryable(self, outcome, status, keyed):
        if outcome == "rejected-by-breaker":
            return self.wait_for_breaker
        if is_local_rejection(outcome):
            return False
        if is_network_failure(outcome):
            return outcome in self.retryable_failures
        if status == 409 and keyed and self.retry_in_flight_conflict:
            return True
        if outcome in ("client-error", "server-error"):
            return status in self.retryable_statuses
        return False

    def is_service_failure(self, outcome, status):
        """What breakers and budgets count as a failure of the service."""
        return (is_network_failure(outcome) or outcome == "server-error"
                or (outcome == "client-error" and status in self.retryable_statuses))

    def counts_against_budget(self, outcome, status, pushback, keyed):
        """What a retry budget counts as a failure: gRPC's throttle takes a token only for a
        retryable failure or a pushback that says "do not retry"."""
        if is_local_rejection(outcome):
            return False
        if pushback is not None and pushback.do_not_retry:
            return True
        return self.is_retryable(outcome, status, keyed)

    def server_wait(self, generic, status, headers, received_ms):
        """The server's wait as this policy reads it: `generic` (read_pushback's) for the Retry
        Lab modes; only the library's own header otherwise."""
        mode = self.retry_after_mode
        if mode in _GENERIC_MODES:
            return generic
        if mode == "grpc-pushback":
            return _read_only("grpc-retry-pushback-ms", status, headers, received_ms)
        if mode == "x-amz-retry-after":
            return _read_only("x-amz-retry-after", status, headers, received_ms)
        # envoy-rate-limited: Retry-After in seconds (not an HTTP-date), else X-RateLimit-Reset.
        ra = _read_only("retry-after", status, headers, received_ms)
        if ra is not None and ra.retry_after is not None \
                and ra.retry_after.form == "delay-seconds":
            return ra
        return _read_only("x-ratelimit-reset", status, headers, received_ms)

    def holds_client_on_pushback(self):
        """A server's wait also holds the client's new operations in the Retry Lab modes only."""
        return self.retry_after_mode in ("honour", "honour-capped", "larger-of-both")

    def effective_attempt_timeout(self, elapsed_us):
        """The next attempt's timeout in microseconds (None: unlimited), never past the deadline."""
        t = self.attempt_timeout if self.attempt_timeout > 0 else None
        if self.total_budget > 0:
            left = max(0, self.total_budget - elapsed_us)
            t = left if t is None else min(t, left)
        return t

    def decide(self, attempts_made, elapsed_us, idempotent_method, keyed, outcome, status,
               pushback, breaker_open_for_us, state, rng, last_attempt_us=0):
        """RetryPolicy::decide. `pushback`: the server's wait as server_wait() reads it, or
        None; `last_attempt_us`: how long the attempt that just finished took."""
        d = Decision()

        def stop(why, text):
            d.retry = False
            d.stop = why
            d.explanation = text
            return d

        if outcome == "success":
            return stop("succeeded", "final answer %d" % status)
        if outcome in ("informational", "redirect"):
            # Final too (redirects are not followed), but not what the operation asked for.
            return stop("final-answer",
                        "final answer %d is not a success (redirects are not followed)" % status)
        if not self.is_retryable(outcome, status, keyed):
            if outcome == "rejected-by-budget":
                return stop("rejected", "the retry budget refused another attempt")
            if outcome == "rejected-by-breaker":
                return stop("rejected", "the circuit breaker is open")
            if outcome == "budget-exhausted":
                return stop("time-budget-exhausted", "the time budget is used up")
            what = outcome if is_network_failure(outcome) else str(status)
            return stop("not-retryable", "%s is not retryable" % what)
        never_reached = outcome in ("connection-refused", "dns") or is_local_rejection(outcome)
        if not idempotent_method and not never_reached:
            allowed = (self.retry_non_idempotent_with_key if keyed
                       else self.retry_non_idempotent_without_key)
            if not allowed:
                return stop("non-idempotent",
                            "non-idempotent request; retries with a key are disabled" if keyed
                            else "non-idempotent request without an idempotency key")
        use_server = pushback is not None and self.retry_after_mode != "ignore"
        if use_server and pushback.do_not_retry:
            return stop("server-said-no-retry", "the server asked for no retry")
        if attempts_made >= self.max_attempts:
            return stop("max-attempts", "%d of %d attempts used" % (attempts_made, self.max_attempts))
        max_duration = 24 * 365 * 3600 * 1_000_000
        remaining = self.total_budget - elapsed_us if self.total_budget > 0 else max_duration
        if remaining <= self.min_attempt_window:
            return stop("time-budget-exhausted",
                        "%d ms left of the time budget" % (max(0, remaining) // 1000))
        # Drawn even when the server's wait wins, so the strategy's memory advances alike.
        retry_index = max(0, attempts_made - 1 - state.retries_before_pushback)
        d.backoff_us = self.backoff.delay(retry_index, state, rng)
        if self.backoff_from_attempt_start:
            d.backoff_us = max(0, d.backoff_us - last_attempt_us)
        d.delay_us = d.backoff_us
        d.source = "backoff"
        if use_server:
            d.server_us = pushback.delay_us
            mode = self.retry_after_mode
            if mode == "honour":
                d.delay_us = d.server_us
                d.source = "retry-after"
            elif mode == "honour-capped":
                d.delay_us = min(d.server_us, self.retry_after_cap)
                d.server_capped = d.server_us > self.retry_after_cap
                d.source = "retry-after"
            elif mode == "larger-of-both":
                if d.server_us >= d.backoff_us:
                    d.delay_us = d.server_us
                    d.source = "retry-after"
            elif mode == "grpc-pushback":
                # Exactly that delay, and the backoff starts again from initialBackoff.
                d.delay_us = d.server_us
                d.source = "retry-after"
                state.retries_before_pushback = attempts_made
            elif mode == "x-amz-retry-after":
                # botocore: max(t_i, min(retry_after, t_i + 5 s)).
                d.delay_us = max(d.backoff_us, min(d.server_us, d.backoff_us
                                                   + _AMZ_RETRY_AFTER_MAX_ADDITIONAL_US))
                d.server_capped = d.server_us > d.delay_us
                if d.delay_us != d.backoff_us:
                    d.source = "retry-after"
            elif mode == "envoy-rate-limited" and d.server_us <= self.retry_after_cap:
                # JitteredLowerBoundBackOffStrategy: random % (d / 2) + d in whole ms; a value
                # above max_interval is discarded and the backoff applies.
                ms = d.server_us // 1000
                half = ms // 2
                extra = int(math.floor(rng.uniform() * float(half))) if half > 0 else 0
                d.delay_us = (ms + extra) * 1000
                d.source = "retry-after"
        if (outcome == "rejected-by-breaker" and breaker_open_for_us is not None
                and breaker_open_for_us > d.delay_us):
            d.delay_us = breaker_open_for_us
            d.source = "breaker"
        if d.delay_us > remaining - self.min_attempt_window:
            if d.source == "retry-after":
                return stop("pushback-beyond-budget",
                            "the server asked to wait %d ms but only %d ms of the budget is left"
                            % (d.delay_us // 1000, remaining // 1000))
            if self.overrun == "stop":
                return stop("time-budget-exhausted", "waiting %d ms would pass the deadline"
                            % (d.delay_us // 1000))
            d.delay_us = remaining - self.min_attempt_window
            d.shortened = True
        d.retry = True
        d.stop = "retry"
        d.explanation = "retry %d after %d ms (%s)" % (attempts_made, d.delay_us // 1000, d.source)
        return d
