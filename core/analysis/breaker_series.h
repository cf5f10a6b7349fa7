// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_record.h"

#include <QMap>

#include <vector>

namespace retrylab {

// Each breaker's state over time, from its transitions, with what it saw underneath per time
// bucket: the calls it let through, those the service failed (as the policy counts failures)
// and the calls it rejected. Breaker ids are client numbers, or 0 for one shared breaker.
class BreakerSeries
{
public:
    struct Step {
        qint64 atUs = 0;
        BreakerState state = BreakerState::Closed;
        int transition = -1; // index into transitions(), -1 for the initial state
    };
    struct Bucket {
        int calls = 0;
        int failures = 0;
        int rejected = 0;
        double failureRate() const { return calls ? double(failures) / calls : 0.0; }
    };

    BreakerSeries(const RetryPolicy &policy, bool shared, qint64 bucketUs = 100'000);

    void add(const AttemptRecord &r);
    void setTransitions(std::vector<BreakerRecord> records);

    qint64 bucketUs() const { return m_bucketUs; }
    // Breakers that changed state or rejected a call, in id order.
    QList<std::uint32_t> active() const;
    std::vector<Step> steps(std::uint32_t breaker) const;
    const std::vector<Bucket> &buckets(std::uint32_t breaker) const;
    const std::vector<BreakerRecord> &transitions() const { return m_transitions; }
    qint64 rejected() const { return m_rejected; }

private:
    RetryPolicy m_policy;
    bool m_shared;
    qint64 m_bucketUs;
    QMap<std::uint32_t, std::vector<Bucket>> m_buckets;
    std::vector<BreakerRecord> m_transitions;
    qint64 m_rejected = 0;
};

} // namespace retrylab
