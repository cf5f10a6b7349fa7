// SPDX-License-Identifier: GPL-3.0-or-later
#include "breaker_series.h"

#include <QSet>

#include <algorithm>

namespace retrylab {

namespace {
const std::vector<BreakerSeries::Bucket> kNoBuckets;
}

BreakerSeries::BreakerSeries(const RetryPolicy &policy, bool shared, qint64 bucketUs)
    : m_policy(policy)
    , m_shared(shared)
    , m_bucketUs(bucketUs)
{}

void BreakerSeries::add(const AttemptRecord &r)
{
    const bool rejected = r.outcome == OutcomeClass::RejectedByBreaker;
    const bool sent = !outcome::isLocalRejection(r.outcome);
    if (!rejected && !sent)
        return;
    auto &buckets = m_buckets[m_shared ? 0 : r.client];
    const auto i = static_cast<std::size_t>(std::max<qint64>(0, r.startedUs) / m_bucketUs);
    if (i >= buckets.size())
        buckets.resize(i + 1);
    if (rejected) {
        ++buckets[i].rejected;
        ++m_rejected;
        return;
    }
    ++buckets[i].calls;
    if (m_policy.isServiceFailure(r.outcome, r.status))
        ++buckets[i].failures;
}

void BreakerSeries::setTransitions(std::vector<BreakerRecord> records)
{
    m_transitions = std::move(records);
}

QList<std::uint32_t> BreakerSeries::active() const
{
    QSet<std::uint32_t> ids;
    for (const BreakerRecord &t : m_transitions)
        ids.insert(t.breaker);
    QList<std::uint32_t> list(ids.begin(), ids.end());
    std::sort(list.begin(), list.end());
    return list;
}

std::vector<BreakerSeries::Step> BreakerSeries::steps(std::uint32_t breaker) const
{
    std::vector<Step> steps{{0, BreakerState::Closed, -1}};
    for (std::size_t i = 0; i < m_transitions.size(); ++i) {
        const BreakerRecord &t = m_transitions[i];
        if (t.breaker != breaker)
            continue;
        if (steps.size() == 1)
            steps.front().state = t.transition.from;
        steps.push_back({t.atUs, t.transition.to, static_cast<int>(i)});
    }
    return steps;
}

const std::vector<BreakerSeries::Bucket> &BreakerSeries::buckets(std::uint32_t breaker) const
{
    const auto it = m_buckets.constFind(breaker);
    return it == m_buckets.constEnd() ? kNoBuckets : *it;
}

} // namespace retrylab
