// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What tst_backoff and tst_backoff_presets both draw: delays as plain numbers, samples of one
// retry's delay from fresh operations, and the test of those samples against the theory.
#include "policy/backoff.h"
#include "policy/goodness_of_fit.h"

#include <QString>

#include <vector>

inline double us(retrylab::Duration d)
{
    return static_cast<double>(d.count());
}

// Draws `count` delays for retry n, each from a fresh operation (stateful strategies replay
// retries 0..n-1 first), in milliseconds.
inline std::vector<double> sample(const retrylab::Backoff &b, int retry, int count,
                                  std::uint64_t seed)
{
    retrylab::RandomSource rng(seed);
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        retrylab::BackoffState state;
        retrylab::Duration d{};
        for (int n = 0; n <= retry; ++n)
            d = b.delay(n, state, rng);
        out.push_back(us(d) / 1000.0);
    }
    return out;
}

// Empty when `samples` of retry `retry` fit its distribution `theory` by the Kolmogorov-Smirnov
// test (against the closed form, or against a second sample, seeded apart, where there is
// none); otherwise the statistic, its threshold and the theory, for the failure message.
inline QString ksMisfit(const retrylab::Backoff &b, int retry, const std::vector<double> &samples,
                        const retrylab::DelayDistribution &theory)
{
    const retrylab::KsResult ks =
        theory.isClosedForm() ? retrylab::ksTest(samples, theory)
                              : retrylab::ksTwoSample(samples, sample(b, retry, 40000, 0x5eed));
    if (!ks.rejects())
        return {};
    return QStringLiteral("D = %1 above %2 (%3)")
        .arg(ks.statistic)
        .arg(ks.critical)
        .arg(theory.describe());
}
