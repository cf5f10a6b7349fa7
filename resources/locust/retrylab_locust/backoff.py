# SPDX-License-Identifier: GPL-3.0-or-later
"""The delay formulas of core/policy/backoff.cpp, in integer microseconds like the C++."""

import math

MAX_DURATION_US = 24 * 365 * 3600 * 1_000_000

KINDS = (
    "fixed",
    "exponential",
    "full-jitter",
    "equal-jitter",
    "decorrelated-jitter",
    "polly-v2",
    "grpc-proportional",
    "resilience4j-randomized",
    "envoy",
    "resilience4j-randomized-2.2",
    "envoy-legacy",
    "none",
)

_POLLY_SCALE = 1.0 / 1.4


def clamp_micros(micros):
    """A double number of microseconds as a whole Duration in [0, MAX] (std::llround)."""
    if not micros > 0.0:  # also NaN
        return 0
    if micros >= float(MAX_DURATION_US):
        return MAX_DURATION_US
    return int(math.floor(micros + 0.5))


def from_ms(ms):
    return clamp_micros(float(ms) * 1000.0)


class BackoffState:
    """What a stateful strategy remembers between the retries of one operation."""

    def __init__(self):
        self.previous_micros = 0.0
        self.polly_previous = 0.0
        # Retries made before the latest server pushback: gRPC restarts its backoff after one,
        # so the retry index given to delay() is counted from there.
        self.retries_before_pushback = 0


def _polly_intrinsic(t):
    return math.pow(2.0, t) * math.tanh(math.sqrt(4.0 * t))


class Backoff:
    def __init__(self, kind="full-jitter", base_us=100_000, cap_us=10_000_000, multiplier=2.0,
                 jitter=0.2, first_retry_exponent=0):
        if kind not in KINDS:
            raise ValueError("backoff kind '%s' is not one of: %s" % (kind, ", ".join(KINDS)))
        self.kind = kind
        self.base = base_us
        self.cap = cap_us
        self.multiplier = float(multiplier)
        self.jitter = float(jitter)
        # The exponent of the first retry (0, or 1 where the first retry counts as attempt 1).
        self.first_retry_exponent = min(max(0, int(first_retry_exponent)), 16)

    def capped_exponential_micros(self, retry):
        base = float(self.base)
        cap = float(self.cap)
        if base <= 0.0:
            return 0.0
        if base >= cap:
            return cap
        n = float(max(0, retry))
        if self.multiplier <= 1.0:
            return base
        if n * math.log(self.multiplier) >= math.log(cap / base):
            return cap
        return min(cap, base * math.pow(self.multiplier, n))

    def _envoy_interval_millis(self, retry):
        # JitteredExponentialBackOffStrategy: min(max, base × 2^n) in whole milliseconds.
        base = max(1.0, float(math.floor(float(self.base) / 1000.0)))
        cap = max(base, float(math.floor(float(self.cap) / 1000.0)))
        interval = base
        k = 0
        while k < retry and interval < cap:
            interval = interval * 2.0 if interval < cap / 2.0 else cap
            k += 1
        return min(interval, cap)

    def _envoy_legacy_range_millis(self, retry):
        # The older JitteredBackOffStrategy: (2^k − 1) × base, grown only while within the cap.
        base = max(1.0, float(math.floor(float(self.base) / 1000.0)))
        cap = float(math.floor(float(self.cap) / 1000.0))
        value = base
        k = 0
        while k < retry and value <= cap:
            value = value * 2.0 + base
            k += 1
        return value

    def _resilience4j_interval_micros(self, retry):
        ms = float(math.floor(float(self.base) / 1000.0))
        ceiling = float(self.cap) / 1000.0 * 4.0 + 1.0
        i = 0
        while i < retry and ms <= ceiling:
            nxt = float(math.floor(ms * self.multiplier))
            if nxt <= ms:
                break
            ms = nxt
            i += 1
        return ms * 1000.0

    def delay(self, retry_index, state, rng):
        """The delay before retry `retry_index` (0 for the first retry), in microseconds."""
        first_retry = retry_index <= 0
        retry = max(0, retry_index) + self.first_retry_exponent
        base = float(self.base)
        cap = float(self.cap)
        kind = self.kind
        d = 0.0
        if kind == "fixed":
            d = min(base, cap)
        elif kind == "exponential":
            d = self.capped_exponential_micros(retry)
        elif kind == "full-jitter":
            d = rng.uniform(0.0, self.capped_exponential_micros(retry))
        elif kind == "equal-jitter":
            e = self.capped_exponential_micros(retry)
            d = e / 2.0 + rng.uniform(0.0, e / 2.0)
        elif kind == "decorrelated-jitter":
            previous = base if (first_retry or state.previous_micros <= 0.0) else state.previous_micros
            d = min(cap, rng.uniform(base, 3.0 * previous))
            state.previous_micros = d
        elif kind == "polly-v2":
            if first_retry:
                state.polly_previous = 0.0
            try:
                nxt = _polly_intrinsic(retry + rng.uniform())
            except OverflowError:
                nxt = math.inf
            if not math.isfinite(nxt) or not math.isfinite(state.polly_previous):
                d = cap
            else:
                d = min(cap, (nxt - state.polly_previous) * _POLLY_SCALE * base)
            state.polly_previous = nxt
        elif kind == "grpc-proportional":
            # Every retry is jittered, the first too (gRPC A6 as revised in 2024, C-core).
            d = self.capped_exponential_micros(retry) * rng.uniform(1.0 - self.jitter,
                                                                     1.0 + self.jitter)
        elif kind in ("resilience4j-randomized", "resilience4j-randomized-2.2"):
            i = self._resilience4j_interval_micros(retry) / 1000.0
            lo = i * (1.0 - self.jitter)
            width = 2.0 * i * self.jitter + (1.0 if kind == "resilience4j-randomized-2.2" else 0.0)
            d = min(cap, float(math.floor(lo + rng.uniform() * width)) * 1000.0)
        elif kind == "envoy":
            d = float(math.floor(rng.uniform() * self._envoy_interval_millis(retry))) * 1000.0
        elif kind == "envoy-legacy":
            d = min(cap, float(math.floor(rng.uniform() * self._envoy_legacy_range_millis(retry)))
                    * 1000.0)
        return min(clamp_micros(d), self.upper_bound(retry_index))

    def upper_bound(self, retry_index):
        retry = max(0, retry_index) + self.first_retry_exponent
        base = float(self.base)
        cap = float(self.cap)
        kind = self.kind
        bound = cap
        if kind == "fixed":
            bound = min(base, cap)
        elif kind in ("exponential", "full-jitter", "equal-jitter"):
            bound = self.capped_exponential_micros(retry)
        elif kind == "decorrelated-jitter":
            exponent = float(retry) + 1.0
            if exponent * math.log(3.0) >= math.log(cap / max(base, 1.0)):
                bound = cap
            else:
                bound = min(cap, base * math.pow(3.0, exponent))
        elif kind == "grpc-proportional":
            # gRPC applies its jitter after the cap, so a wait can pass the cap by the jitter.
            bound = self.capped_exponential_micros(retry) * (1.0 + self.jitter)
        elif kind == "resilience4j-randomized":
            bound = min(cap, self._resilience4j_interval_micros(retry) * (1.0 + self.jitter))
        elif kind == "resilience4j-randomized-2.2":
            bound = min(cap, self._resilience4j_interval_micros(retry) * (1.0 + self.jitter)
                        + 1000.0)
        elif kind == "envoy":
            bound = max(0.0, self._envoy_interval_millis(retry) - 1.0) * 1000.0
        elif kind == "envoy-legacy":
            bound = min(cap, max(0.0, self._envoy_legacy_range_millis(retry) - 1.0) * 1000.0)
        elif kind == "none":
            bound = 0.0
        return clamp_micros(bound)
