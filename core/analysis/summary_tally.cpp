// SPDX-License-Identifier: GPL-3.0-or-later
#include "summary_tally.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <vector>

namespace retrylab {

namespace {
// Reorders `v` (nth_element).
double percentile(std::vector<double> &v, double p)
{
    if (v.empty())
        return 0;
    const auto k = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    const auto index = std::min(v.size() - 1, k == static_cast<std::size_t>(-1) ? 0 : k);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(index), v.end());
    return v[index];
}
} // namespace

std::optional<RetryAfterJudge::Verdict> SummaryTally::add(const AttemptRecord &r)
{
    RunSummary &s = m_counts;
    const quint64 key = (quint64(r.client) << 32) | r.operation;
    if (r.attempt == 1)
        m_firstStart.insert(key, r.startedUs);
    if (outcome::isLocalRejection(r.outcome)) {
        ++s.attemptsRefused;
    } else {
        ++s.attemptsSent;
        s.retries += r.isRetry() ? 1 : 0;
    }
    m_sent.addSent(r);
    if (r.phases.lagUs >= 0)
        m_lagMs.push_back(r.phases.lagUs / 1000.0);
    const auto verdict = m_judge.observe(r);
    if (verdict) {
        ++s.retryAfterJudged;
        if (verdict->violated()) {
            ++s.retryAfterViolations;
            s.worstEarlyMs = std::max(s.worstEarlyMs, verdict->earlyUs() / 1000.0);
        }
    }
    if (r.lastOfOperation) {
        ++s.operations;
        if (r.stop == StopReason::Succeeded && r.outcome == OutcomeClass::Success)
            ++s.succeeded;
        else
            ++s.failedBy[stopReasonId(r.stop)];
        // Ended when the answer arrived, not when a busy client got to it.
        m_completionMs.push_back(double(r.arrivedUs() - m_firstStart.take(key)) / 1000.0);
    }
    return verdict;
}

void SummaryTally::update(const AttemptLog &log)
{
    log.forEach(
        [this](const AttemptRecord &r) {
            add(r);
            ++m_read;
        },
        m_read);
}

RunSummary SummaryTally::summary(const AttemptLog &log) const
{
    RunSummary s = m_counts;
    s.amplification = s.operations ? double(s.attemptsSent) / double(s.operations) : 0;
    std::vector<double> completion(m_completionMs.begin(), m_completionMs.end());
    s.p50Ms = percentile(completion, 0.50);
    s.p95Ms = percentile(completion, 0.95);
    s.p99Ms = percentile(completion, 0.99);
    if (!m_lagMs.empty()) {
        std::vector<double> lag(m_lagMs.begin(), m_lagMs.end());
        s.lagP50Ms = percentile(lag, 0.50);
        s.lagP99Ms = percentile(lag, 0.99);
    }
    s.peakPer100ms = m_sent.peak();
    s.peakRetriesPer100ms = m_sent.peakRetries();
    const auto breakers = log.breakerRecords();
    s.breakerTransitions = static_cast<qint64>(breakers.size());
    QHash<std::uint32_t, BreakerState> last;
    for (const BreakerRecord &b : breakers)
        last.insert(b.breaker, b.transition.to);
    for (BreakerState state : std::as_const(last))
        s.breakersNotClosed += state != BreakerState::Closed && state != BreakerState::Disabled;
    s.dropped = static_cast<qint64>(log.dropped());
    return s;
}

RunSummary SummaryTally::of(const AttemptLog &log)
{
    SummaryTally t;
    t.update(log);
    return t.summary(log);
}

} // namespace retrylab
