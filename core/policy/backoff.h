// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "base/random_source.h"
#include "delay_distribution.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace retrylab {

// The delay formulas. The first five are the AWS Architecture Blog's; the rest reproduce what a
// named library's own source computes, so a team can see its library's behaviour. Each formula,
// with the library version and source file it follows, is in core/policy/README.md.
enum class BackoffKind {
    Fixed,
    Exponential,
    FullJitter,
    EqualJitter,
    DecorrelatedJitter,
    PollyDecorrelatedV2,   // Polly v8 Exponential + UseJitter (DecorrelatedJitterBackoffV2)
    ProportionalJitter,    // gRPC (A6 2024, C-core BackOff): min(cap, base m^n) × U(1-j, 1+j)
    RandomizedExponential, // resilience4j 2.3+ ofExponentialRandomBackoff: draw in [min, max)
    EnvoyJittered,         // Envoy JitteredExponentialBackOffStrategy: random % interval
    RandomizedExponentialPlusOne, // resilience4j up to 2.2: min + r × (max − min + 1)
    EnvoyLegacy, // older Envoy JitteredBackOffStrategy: random % ((2^k − 1) base)
    None,        // retry at once: the baseline of the AWS study ("no backoff")
};

struct BackoffParams {
    BackoffKind kind = BackoffKind::FullJitter;
    Duration base = std::chrono::milliseconds(100);
    Duration cap = std::chrono::seconds(10);
    double multiplier = 2.0;
    // Randomisation factor of ProportionalJitter and RandomizedExponential, in [0, 1].
    double jitter = 0.2;
    // The exponent of the first retry: 0 waits base × m^0 first; 1 (the AWS simulator's and
    // some libraries' count, where the first retry is attempt 1) waits base × m first.
    int firstRetryExponent = 0;

    bool operator==(const BackoffParams &) const = default;
};

// What a stateful strategy remembers between the retries of one operation.
struct BackoffState {
    double previousMicros = 0.0; // decorrelated jitter: the last sleep
    double pollyPrevious = 0.0;  // Polly V2: the formula's previous intrinsic value
    // Retries made before the latest server pushback: gRPC restarts its backoff after one, so
    // the retry index given to delay() is counted from there.
    int retriesBeforePushback = 0;
};

// Computes retry delays for one set of parameters. Retry index n is 0 for the first retry.
class Backoff
{
public:
    explicit Backoff(const BackoffParams &params)
        : m_p(params)
    {}

    const BackoffParams &params() const { return m_p; }

    // The delay before retry n (0 for the first retry, whatever firstRetryExponent says: the
    // formulas see n + firstRetryExponent). Never negative, never above upperBound(n), never
    // overflows.
    Duration delay(int retry, BackoffState &state, RandomSource &rng) const;

    // The largest value delay(n) can return: at most the cap, except for gRPC's proportional
    // jitter, which is applied after the cap (cap × (1 + jitter)).
    Duration upperBound(int retry) const;

    // The theoretical distribution of delay(n), closed form where one exists; otherwise
    // `samples` seeded draws of the whole sequence up to n.
    DelayDistribution distribution(int retry, int samples = 20000,
                                   std::uint64_t seed = 0x5eed) const;

    // min(cap, base * multiplier^n), clamped before multiplying.
    double cappedExponentialMicros(int retry) const;

    static QString id(BackoffKind kind);    // stable name used in files: "full-jitter"
    static QString title(BackoffKind kind); // for people: "Full jitter"
    static QString formula(BackoffKind kind);
    static std::optional<BackoffKind> kindFromId(const QString &id);
    static QStringList ids();

    static constexpr int kMaxFirstRetryExponent = 16;

private:
    // The exponent the formulas use for retry index n: n + firstRetryExponent, never
    // overflowing.
    int exponent(int retry) const;
    double envoyIntervalMillis(int retry) const;
    double envoyLegacyRangeMillis(int retry) const;
    double resilience4jIntervalMicros(int retry) const;

    BackoffParams m_p;
};

} // namespace retrylab
