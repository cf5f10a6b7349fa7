// SPDX-License-Identifier: GPL-3.0-or-later
#include "backoff.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

struct KindInfo {
    BackoffKind kind;
    const char16_t *id;
    const char16_t *title;
    const char16_t *formula;
};

constexpr std::array kKinds{
    KindInfo{BackoffKind::Fixed, u"fixed", u"Fixed", u"base"},
    KindInfo{BackoffKind::Exponential, u"exponential", u"Exponential (no jitter)",
             u"min(cap, base × m^n)"},
    KindInfo{BackoffKind::FullJitter, u"full-jitter", u"Full jitter",
             u"U(0, min(cap, base × m^n))"},
    KindInfo{BackoffKind::EqualJitter, u"equal-jitter", u"Equal jitter",
             u"e/2 + U(0, e/2), e = min(cap, base × m^n)"},
    KindInfo{BackoffKind::DecorrelatedJitter, u"decorrelated-jitter", u"Decorrelated jitter",
             u"min(cap, U(base, 3 × previous sleep))"},
    KindInfo{BackoffKind::PollyDecorrelatedV2, u"polly-v2", u"Polly v8 decorrelated jitter V2",
             u"(f(n+r) − f(n−1+r′)) × base / 1.4, f(t) = 2^t × tanh(√(4t))"},
    KindInfo{BackoffKind::ProportionalJitter, u"grpc-proportional",
             u"gRPC exponential ±jitter (A6 2024, C-core)",
             u"min(cap, base × m^n) × U(1 − j, 1 + j)"},
    KindInfo{BackoffKind::RandomizedExponential, u"resilience4j-randomized",
             u"resilience4j 2.3 randomized exponential",
             u"min(cap, ⌊U(i(1 − j), i(1 + j))⌋), i = base × m^n in whole ms"},
    KindInfo{BackoffKind::EnvoyJittered, u"envoy", u"Envoy jittered exponential (current)",
             u"random % i ms, i = min(cap, base × 2^n)"},
    KindInfo{BackoffKind::RandomizedExponentialPlusOne, u"resilience4j-randomized-2.2",
             u"resilience4j ≤ 2.2 randomized exponential",
             u"min(cap, ⌊i(1 − j) + r × (2ij + 1)⌋), i = base × m^n in whole ms"},
    KindInfo{BackoffKind::EnvoyLegacy, u"envoy-legacy", u"Envoy jittered backoff (older releases)",
             u"min(cap, random % ((2^(n+1) − 1) × base))"},
    KindInfo{BackoffKind::None, u"none", u"None (retry at once)", u"0"},
};

const KindInfo &info(BackoffKind kind)
{
    for (const auto &k : kKinds)
        if (k.kind == kind)
            return k;
    return kKinds.front();
}

double micros(Duration d)
{
    return static_cast<double>(d.count());
}

// Polly's f(t) = 2^t × tanh(√(4t)).
double pollyIntrinsic(double t)
{
    return std::pow(2.0, t) * std::tanh(std::sqrt(4.0 * t));
}

constexpr double kPollyScale = 1.0 / 1.4;

} // namespace

double Backoff::cappedExponentialMicros(int retry) const
{
    const double base = micros(m_p.base);
    const double cap = micros(m_p.cap);
    if (base <= 0.0)
        return 0.0;
    if (base >= cap)
        return cap;
    // Compare exponents so that base × m^n is never formed when it would pass the cap.
    const double n = std::max(0, retry);
    if (m_p.multiplier <= 1.0)
        return base;
    if (n * std::log(m_p.multiplier) >= std::log(cap / base))
        return cap;
    return std::min(cap, base * std::pow(m_p.multiplier, n));
}

double Backoff::envoyIntervalMillis(int retry) const
{
    // JitteredExponentialBackOffStrategy doubles its interval from base while that stays below
    // max / 2 and sets it to max otherwise: min(max, base × 2^n), in whole milliseconds.
    const double base = std::max(1.0, std::floor(micros(m_p.base) / 1000.0));
    const double cap = std::max(base, std::floor(micros(m_p.cap) / 1000.0));
    double interval = base;
    for (int k = 0; k < retry && interval < cap; ++k)
        interval = interval < cap / 2.0 ? interval * 2.0 : cap;
    return std::min(interval, cap);
}

double Backoff::envoyLegacyRangeMillis(int retry) const
{
    // The older JitteredBackOffStrategy: (2^k − 1) × base with k from 1, grown only while the
    // range is within the cap, so the range stops at the first value past the cap and the
    // clamp applies to the draw.
    const double base = std::max(1.0, std::floor(micros(m_p.base) / 1000.0));
    const double cap = std::floor(micros(m_p.cap) / 1000.0);
    double range = base;
    for (int k = 0; k < retry && range <= cap; ++k)
        range = range * 2.0 + base;
    return range;
}

double Backoff::resilience4jIntervalMicros(int retry) const
{
    // resilience4j multiplies whole milliseconds and truncates at each step.
    double ms = std::floor(micros(m_p.base) / 1000.0);
    const double ceiling = micros(m_p.cap) / 1000.0 * 4.0 + 1.0;
    for (int i = 0; i < retry && ms <= ceiling; ++i) {
        const double next = std::floor(ms * m_p.multiplier);
        if (next <= ms)
            break;
        ms = next;
    }
    return ms * 1000.0;
}

int Backoff::exponent(int retry) const
{
    retry = std::max(0, retry);
    const int shift = std::clamp(m_p.firstRetryExponent, 0, kMaxFirstRetryExponent);
    return retry > std::numeric_limits<int>::max() - shift ? std::numeric_limits<int>::max()
                                                           : retry + shift;
}

Duration Backoff::delay(int retryIndex, BackoffState &state, RandomSource &rng) const
{
    // Stateful strategies restart on the operation's first retry; the formulas see the
    // exponent.
    const bool firstRetry = retryIndex <= 0;
    const int retry = exponent(retryIndex);
    const double base = micros(m_p.base);
    const double cap = micros(m_p.cap);
    double d = 0.0;
    switch (m_p.kind) {
    case BackoffKind::Fixed:
        d = std::min(base, cap);
        break;
    case BackoffKind::Exponential:
        d = cappedExponentialMicros(retry);
        break;
    case BackoffKind::FullJitter:
        d = rng.uniform(0.0, cappedExponentialMicros(retry));
        break;
    case BackoffKind::EqualJitter: {
        const double e = cappedExponentialMicros(retry);
        d = e / 2.0 + rng.uniform(0.0, e / 2.0);
        break;
    }
    case BackoffKind::DecorrelatedJitter: {
        const double previous =
            (firstRetry || state.previousMicros <= 0.0) ? base : state.previousMicros;
        d = std::min(cap, rng.uniform(base, 3.0 * previous));
        state.previousMicros = d;
        break;
    }
    case BackoffKind::PollyDecorrelatedV2: {
        if (firstRetry)
            state.pollyPrevious = 0.0;
        const double next = pollyIntrinsic(retry + rng.uniform());
        if (!std::isfinite(next) || !std::isfinite(state.pollyPrevious)) {
            d = cap;
            state.pollyPrevious = next;
            break;
        }
        d = std::min(cap, (next - state.pollyPrevious) * kPollyScale * base);
        state.pollyPrevious = next;
        break;
    }
    case BackoffKind::ProportionalJitter:
        // Every retry is jittered, the first too (gRPC A6 as revised in 2024, C-core BackOff).
        d = cappedExponentialMicros(retry) * rng.uniform(1.0 - m_p.jitter, 1.0 + m_p.jitter);
        break;
    case BackoffKind::RandomizedExponential:
    case BackoffKind::RandomizedExponentialPlusOne: {
        const double i = resilience4jIntervalMicros(retry) / 1000.0;
        const double lo = i * (1.0 - m_p.jitter);
        const double width = 2.0 * i * m_p.jitter +
                             (m_p.kind == BackoffKind::RandomizedExponentialPlusOne ? 1.0 : 0.0);
        d = std::min(cap, std::floor(lo + rng.uniform() * width) * 1000.0);
        break;
    }
    case BackoffKind::EnvoyJittered:
        d = std::floor(rng.uniform() * envoyIntervalMillis(retry)) * 1000.0;
        break;
    case BackoffKind::EnvoyLegacy:
        d = std::min(cap, std::floor(rng.uniform() * envoyLegacyRangeMillis(retry)) * 1000.0);
        break;
    case BackoffKind::None:
        break;
    }
    return std::min(clampMicros(d), upperBound(retryIndex));
}

Duration Backoff::upperBound(int retryIndex) const
{
    const int retry = exponent(retryIndex);
    const double base = micros(m_p.base);
    const double cap = micros(m_p.cap);
    double bound = cap;
    switch (m_p.kind) {
    case BackoffKind::Fixed:
        bound = std::min(base, cap);
        break;
    case BackoffKind::Exponential:
    case BackoffKind::FullJitter:
    case BackoffKind::EqualJitter:
        bound = cappedExponentialMicros(retry);
        break;
    case BackoffKind::DecorrelatedJitter:
        // Each sleep is below 3 × the previous one: base × 3^(n+1) at most.
        {
            const double exponent = static_cast<double>(retry) + 1.0;
            bound = exponent * std::log(3.0) >= std::log(cap / std::max(base, 1.0))
                        ? cap
                        : std::min(cap, base * std::pow(3.0, exponent));
        }
        break;
    case BackoffKind::ProportionalJitter:
        // gRPC applies its jitter after the cap, so a wait can pass the cap by the jitter.
        bound = cappedExponentialMicros(retry) * (1.0 + m_p.jitter);
        break;
    case BackoffKind::RandomizedExponential:
        bound = std::min(cap, resilience4jIntervalMicros(retry) * (1.0 + m_p.jitter));
        break;
    case BackoffKind::RandomizedExponentialPlusOne:
        bound = std::min(cap, resilience4jIntervalMicros(retry) * (1.0 + m_p.jitter) + 1000.0);
        break;
    case BackoffKind::EnvoyJittered:
        bound = std::max(0.0, envoyIntervalMillis(retry) - 1.0) * 1000.0;
        break;
    case BackoffKind::EnvoyLegacy:
        bound = std::min(cap, std::max(0.0, envoyLegacyRangeMillis(retry) - 1.0) * 1000.0);
        break;
    case BackoffKind::PollyDecorrelatedV2:
        break; // the formula has no tighter closed bound than the cap
    case BackoffKind::None:
        bound = 0.0;
        break;
    }
    return clampMicros(bound);
}

DelayDistribution Backoff::distribution(int retryIndex, int samples, std::uint64_t seed) const
{
    const int retry = exponent(retryIndex);
    const double toMs = 1.0 / 1000.0;
    const double base = micros(m_p.base) * toMs;
    const double cap = micros(m_p.cap) * toMs;
    const double e = cappedExponentialMicros(retry) * toMs;
    switch (m_p.kind) {
    case BackoffKind::Fixed:
        return DelayDistribution::point(std::min(base, cap));
    case BackoffKind::Exponential:
        return DelayDistribution::point(e);
    case BackoffKind::FullJitter:
        return DelayDistribution::uniform(0.0, e);
    case BackoffKind::EqualJitter:
        return DelayDistribution::uniform(e / 2.0, e);
    case BackoffKind::DecorrelatedJitter:
        if (retryIndex <= 0)
            return DelayDistribution::uniform(base, 3.0 * base, cap);
        break;
    case BackoffKind::None:
        return DelayDistribution::point(0.0);
    case BackoffKind::ProportionalJitter:
        return DelayDistribution::uniform(e * (1.0 - m_p.jitter), e * (1.0 + m_p.jitter));
    case BackoffKind::RandomizedExponential:
    case BackoffKind::RandomizedExponentialPlusOne: {
        const double i = resilience4jIntervalMicros(retry) * toMs;
        const double extra = m_p.kind == BackoffKind::RandomizedExponentialPlusOne ? 1.0 : 0.0;
        return DelayDistribution::uniform(i * (1.0 - m_p.jitter), i * (1.0 + m_p.jitter) + extra,
                                          cap, 1.0);
    }
    case BackoffKind::EnvoyJittered:
        return DelayDistribution::uniform(0.0, envoyIntervalMillis(retry),
                                          std::numeric_limits<double>::infinity(), 1.0);
    case BackoffKind::EnvoyLegacy:
        return DelayDistribution::uniform(0.0, envoyLegacyRangeMillis(retry), cap, 1.0);
    case BackoffKind::PollyDecorrelatedV2:
        break;
    }
    // Stateful strategies: sample whole sequences 0..n.
    RandomSource rng(seed);
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(std::max(1, samples)));
    for (int s = 0; s < std::max(1, samples); ++s) {
        BackoffState state;
        Duration last{};
        for (int n = 0; n <= std::max(0, retryIndex); ++n)
            last = delay(n, state, rng);
        values.push_back(static_cast<double>(last.count()) * toMs);
    }
    return DelayDistribution::empirical(std::move(values));
}

QString Backoff::id(BackoffKind kind)
{
    return QString::fromUtf16(info(kind).id);
}
QString Backoff::title(BackoffKind kind)
{
    return QString::fromUtf16(info(kind).title);
}
QString Backoff::formula(BackoffKind kind)
{
    return QString::fromUtf16(info(kind).formula);
}

std::optional<BackoffKind> Backoff::kindFromId(const QString &id)
{
    for (const auto &k : kKinds)
        if (id == QStringView(k.id))
            return k.kind;
    return std::nullopt;
}

QStringList Backoff::ids()
{
    QStringList out;
    for (const auto &k : kKinds)
        out << QString::fromUtf16(k.id);
    return out;
}

} // namespace retrylab
