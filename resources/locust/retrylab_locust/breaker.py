# SPDX-License-Identifier: GPL-3.0-or-later
"""The circuit breaker (core/policy/circuit_breaker.cpp) and the retry budgets
(core/policy/retry_budget.cpp). Time comes only from the clock passed in: a function that
returns microseconds."""

import collections
import math

from .backoff import MAX_DURATION_US, clamp_micros, from_ms


class BreakerConfig:
    def __init__(self, b=None):
        b = b or {}
        self.enabled = bool(b.get("enabled", True))
        self.rule = b.get("rule", "consecutive-failures")
        self.consecutive_failures = int(b.get("consecutiveFailures", 5))
        self.failure_rate_threshold = float(b.get("failureRateThreshold", 0.5))
        self.window = b.get("window", "count")
        self.window_calls = int(b.get("windowCalls", 100))
        self.window_time = from_ms(b.get("windowTimeMs", 30000))
        self.minimum_calls = int(b.get("minimumCalls", 20))
        self.open_duration = from_ms(b.get("openDurationMs", 5000))
        self.open_growth = float(b.get("openGrowth", 1.0))
        self.max_open_duration = from_ms(b.get("maxOpenDurationMs", 60000))
        self.half_open_probes = int(b.get("halfOpenProbes", 1))


class Transition:
    def __init__(self, at, from_state, to, reason, window_calls, window_failures, consecutive):
        self.at = at
        self.from_state = from_state
        self.to = to
        self.reason = reason
        self.window_calls = window_calls
        self.window_failures = window_failures
        self.consecutive_failures = consecutive
        self.open_for = 0


class Permit:
    def __init__(self, allowed, probe=False, retry_in=0):
        self.allowed = allowed
        self.probe = probe
        self.retry_in = retry_in


class CircuitBreaker:
    """closed → open → half-open → closed (or open again), plus forced-open and disabled."""

    def __init__(self, config, clock, listener=None):
        self.config = config
        self._clock = clock
        self.listener = listener
        self.state = "closed" if config.enabled else "disabled"
        self._open_until = 0
        self._last_open_for = 0
        self._reopens = 0
        self.consecutive = 0
        self.rejected = 0
        self._ring = [False] * max(1, config.window_calls) \
            if (config.rule == "failure-rate" and config.window == "count") else []
        self._ring_next = 0
        self._ring_filled = 0
        self._ring_failures = 0
        self._timed = collections.deque()
        self._timed_failures = 0
        self._probes_issued = 0
        self._probes_succeeded = 0

    def _current_open_duration(self):
        c = self.config
        grown = float(c.open_duration) * math.pow(max(1.0, c.open_growth), self._reopens)
        return clamp_micros(min(grown, max(float(c.max_open_duration), float(c.open_duration))))

    def window_calls(self):
        return self._ring_filled if self.config.window == "count" else len(self._timed)

    def window_failures(self):
        return self._ring_failures if self.config.window == "count" else self._timed_failures

    def open_remaining(self):
        if self.state == "open":
            return max(0, self._open_until - self._clock())
        return 0

    def _transition(self, to, reason, at):
        t = Transition(at, self.state, to, reason, self.window_calls(), self.window_failures(),
                       self.consecutive)
        self.state = to
        if to == "open":
            t.open_for = self._last_open_for
        if to != "half-open":
            self._clear_window()
        self._probes_issued = self._probes_succeeded = 0
        if self.listener:
            self.listener(t)

    def _trip(self, reason):
        self._last_open_for = self._current_open_duration()
        now = self._clock()
        self._open_until = now + self._last_open_for
        self._transition("open", reason, now)

    def poll(self):
        if self.state == "open" and self._clock() >= self._open_until:
            self._transition("half-open", "open for %d ms: letting %d probe call(s) through"
                             % (self._last_open_for // 1000, self.config.half_open_probes),
                             self._open_until)

    def try_acquire(self):
        self.poll()
        if self.state in ("closed", "disabled"):
            return Permit(True)
        if self.state == "half-open":
            if self._probes_issued < self.config.half_open_probes:
                self._probes_issued += 1
                return Permit(True, True)
            self.rejected += 1
            return Permit(False, False, 0)
        self.rejected += 1
        if self.state == "open":
            return Permit(False, False, self.open_remaining())
        return Permit(False, False, MAX_DURATION_US)  # forced open

    def _evict_expired(self):
        horizon = self._clock() - self.config.window_time
        while self._timed and self._timed[0][0] <= horizon:
            if self._timed[0][1]:
                self._timed_failures -= 1
            self._timed.popleft()

    def _record(self, failure):
        self.consecutive = self.consecutive + 1 if failure else 0
        if self.config.rule != "failure-rate":
            return
        if self.config.window == "count":
            if self._ring_filled == len(self._ring):
                if self._ring[self._ring_next]:
                    self._ring_failures -= 1
            else:
                self._ring_filled += 1
            self._ring[self._ring_next] = failure
            if failure:
                self._ring_failures += 1
            self._ring_next = (self._ring_next + 1) % len(self._ring)
        else:
            self._evict_expired()
            self._timed.append((self._clock(), failure))
            if failure:
                self._timed_failures += 1

    def on_success(self):
        self.poll()
        if self.state == "closed":
            self._record(False)
        elif self.state == "half-open":
            self._probes_succeeded += 1
            if self._probes_succeeded >= self.config.half_open_probes:
                self._reopens = 0
                self._transition("closed", "%d of %d probe call(s) succeeded"
                                 % (self.config.half_open_probes, self.config.half_open_probes),
                                 self._clock())

    def on_failure(self):
        self.poll()
        c = self.config
        if self.state == "closed":
            self._record(True)
            if c.rule == "consecutive-failures":
                if self.consecutive >= c.consecutive_failures:
                    self._trip("%d consecutive failures (threshold %d)"
                               % (self.consecutive, c.consecutive_failures))
                return
            if c.window == "time":
                self._evict_expired()
            calls = self.window_calls()
            failures = self.window_failures()
            if calls >= c.minimum_calls and float(failures) >= c.failure_rate_threshold * calls:
                self._trip("failure rate %.1f%% (%d of %d calls) reached the threshold of %g%%"
                           % (100.0 * failures / calls, failures, calls,
                              100.0 * c.failure_rate_threshold))
        elif self.state == "half-open":
            self._reopens += 1
            self._trip("a probe call failed")

    def _clear_window(self):
        self._ring = [False] * len(self._ring)
        self._ring_next = 0
        self._ring_filled = self._ring_failures = 0
        self._timed.clear()
        self._timed_failures = 0
        self.consecutive = 0


class RetryBudget:
    """gRPC's token bucket (A6) or the AWS SDK's retry quota; "none" allows every retry."""

    def __init__(self, b=None):
        b = b or {}
        self.kind = b.get("kind", "none")
        self.max_tokens = float(b.get("maxTokens", 10.0))
        self.token_ratio = float(b.get("tokenRatio", 0.1))
        self.quota_capacity = int(b.get("quotaCapacity", 500))
        self.retry_cost = int(b.get("retryCost", 5))
        self.timeout_retry_cost = int(b.get("timeoutRetryCost", 10))
        self.success_reward = int(b.get("successReward", 1))
        self.denied = 0
        self.level = self.capacity()

    def capacity(self):
        if self.kind == "token-bucket":
            return self.max_tokens
        if self.kind == "aws-quota":
            return float(self.quota_capacity)
        return 0.0

    def try_acquire_retry(self, previous_outcome):
        """(allowed, cost): may the operation retry after an attempt that ended so?"""
        if self.kind == "token-bucket":
            if self.level > self.max_tokens / 2.0:
                return True, 0.0
            self.denied += 1
            return False, 0.0
        if self.kind == "aws-quota":
            cost = float(self.timeout_retry_cost if previous_outcome == "timeout"
                         else self.retry_cost)
            if self.level < cost:
                self.denied += 1
                return False, 0.0
            self.level -= cost
            return True, cost
        return True, 0.0

    def on_attempt_succeeded(self, retry_cost):
        if self.kind == "token-bucket":
            self.level = min(self.max_tokens, self.level + self.token_ratio)
        elif self.kind == "aws-quota":
            self.level = min(float(self.quota_capacity),
                             self.level + (retry_cost if retry_cost > 0.0 else self.success_reward))

    def on_attempt_failed(self):
        if self.kind == "token-bucket":
            self.level = max(0.0, self.level - 1.0)
