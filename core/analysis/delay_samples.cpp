// SPDX-License-Identifier: GPL-3.0-or-later
#include "delay_samples.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
const DelaySamples::Samples kNone;
}

void DelaySamples::add(const AttemptRecord &r)
{
    if (!r.isRetry() || r.actualDelayUs < 0 || outcome::isLocalRejection(r.outcome))
        return;
    ++m_total;
    if (r.delaySource != DelaySource::Backoff || r.shortened) {
        ++m_notFromBackoff;
        return;
    }
    const auto retry = static_cast<std::size_t>(r.attempt - 1);
    if (m_byRetry.size() < retry)
        m_byRetry.resize(retry);
    m_byRetry[retry - 1].push_back(r.actualDelayUs / 1000.0);
}

DelaySamples DelaySamples::fromPolicy(const RetryPolicy &policy, int perRetry, std::uint64_t seed)
{
    DelaySamples s;
    const int retries = std::clamp(policy.maxAttempts - 1, 0, 64);
    s.m_byRetry.resize(static_cast<std::size_t>(retries));
    const Backoff backoff(policy.backoff);
    RandomSource rng(seed);
    for (int i = 0; i < perRetry; ++i) {
        BackoffState state;
        for (int n = 0; n < retries; ++n) {
            const Duration d = backoff.delay(n, state, rng);
            s.m_byRetry[static_cast<std::size_t>(n)].push_back(
                std::chrono::duration<double, std::milli>(d).count());
            ++s.m_total;
        }
    }
    return s;
}

const DelaySamples::Samples &DelaySamples::samples(int retry) const
{
    if (retry < 1 || retry > maxRetry())
        return kNone;
    return m_byRetry[static_cast<std::size_t>(retry - 1)];
}

std::vector<double> DelaySamples::all() const
{
    std::vector<double> v;
    for (const auto &r : m_byRetry)
        v.insert(v.end(), r.begin(), r.end());
    return v;
}

DelayHistogram DelayHistogram::build(const DelaySamples &samples, const Backoff &backoff, int retry,
                                     int bins, double alpha, double maxMs)
{
    DelayHistogram h;
    std::vector<double> data;
    if (retry > 0)
        data.assign(samples.samples(retry).begin(), samples.samples(retry).end());
    else
        data = samples.all();
    h.n = static_cast<qint64>(data.size());
    // Theoretical distributions of each retry number that contributes.
    std::vector<std::pair<DelayDistribution, double>> theories; // distribution, weight
    const int firstRetry = retry > 0 ? retry : 1;
    const int lastRetry = retry > 0 ? retry : samples.maxRetry();
    double hi = 0;
    for (int n = firstRetry; n <= lastRetry; ++n) {
        const auto count = static_cast<double>(samples.samples(n).size());
        if (count == 0 && retry == 0)
            continue;
        DelayDistribution d = backoff.distribution(n - 1, 4000);
        hi = std::max(hi, d.upperBound());
        theories.emplace_back(std::move(d), count);
    }
    for (double x : data)
        hi = std::max(hi, x);
    if (maxMs > 0)
        hi = maxMs; // a common range: larger values fall in the last bin
    if (hi <= 0)
        hi = 1;
    bins = std::max(1, bins);
    h.loMs = 0;
    h.binMs = hi / bins; // bins start at round values; the largest value joins the last bin
    h.counts.assign(static_cast<std::size_t>(bins), 0);
    for (double x : data) {
        const auto i = std::min<std::size_t>(static_cast<std::size_t>(x / h.binMs),
                                             static_cast<std::size_t>(bins - 1));
        ++h.counts[i];
    }
    if (!theories.empty()) {
        h.expected.assign(static_cast<std::size_t>(bins), 0.0);
        for (const auto &[d, weight] : theories) {
            const double w = retry > 0 ? static_cast<double>(h.n) : weight;
            for (int b = 0; b < bins; ++b) {
                // Mass at exactly a bin's lower edge belongs to that bin.
                const double lo = std::nextafter(b * h.binMs, -INFINITY);
                const double up = b == bins - 1 ? INFINITY // and so does mass at the top
                                                : std::nextafter((b + 1) * h.binMs, -INFINITY);
                h.expected[static_cast<std::size_t>(b)] += w * (d.cdf(up) - d.cdf(lo));
            }
        }
        if (retry > 0) {
            h.theory = theories.front().first.describe();
            if (h.n > 0)
                h.ks = ksTest(data, theories.front().first, alpha);
        } else {
            h.theory = u"mixture of %1 retry numbers"_s.arg(theories.size());
        }
    }
    return h;
}

} // namespace retrylab
