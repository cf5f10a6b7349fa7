// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_record.h"
#include "policy/goodness_of_fit.h"
#include "policy/retry_policy.h"

#include <deque>
#include <optional>
#include <vector>

namespace retrylab {

// The waits before retries, by retry number (1 for the wait before the second attempt): those
// a run actually waited, or, as a preview of a policy, draws of its backoff. Only waits that
// came from the backoff count; those a server asked for, a breaker imposed or the time budget
// shortened are counted apart, since no backoff formula describes them.
class DelaySamples
{
public:
    void add(const AttemptRecord &r);
    // `perRetry` seeded draws of the backoff's whole sequence, for retries 1..maxAttempts-1.
    static DelaySamples fromPolicy(const RetryPolicy &policy, int perRetry, std::uint64_t seed);

    int maxRetry() const { return static_cast<int>(m_byRetry.size()); }
    // Deques: a vector of half a million waits that doubles stalls a live frame.
    using Samples = std::deque<double>;
    const Samples &samples(int retry) const; // milliseconds
    std::vector<double> all() const;
    qint64 total() const { return m_total; }
    qint64 notFromBackoff() const { return m_notFromBackoff; }

private:
    std::vector<Samples> m_byRetry;
    qint64 m_total = 0;
    qint64 m_notFromBackoff = 0;
};

// A histogram of delays with what the theory expects in each bin and, for one retry number,
// the Kolmogorov–Smirnov fit.
struct DelayHistogram {
    double loMs = 0;
    double binMs = 1;
    std::vector<qint64> counts;
    std::vector<double> expected; // expected counts per bin (empty: no theory)
    std::optional<KsResult> ks;
    QString theory; // "U(0 ms, 400 ms)"
    qint64 n = 0;

    // `retry` 0 pools every retry number (expected counts are then the mixture of each
    // number's distribution, weighted by its count; no KS statistic).
    // `maxMs` > 0 fixes the range (to compare several runs on the same bins).
    static DelayHistogram build(const DelaySamples &samples, const Backoff &backoff, int retry,
                                int bins = 40, double alpha = 1e-3, double maxMs = 0);
};

} // namespace retrylab
