// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_analysis.h"

namespace retrylab {

RunAnalysis::RunAnalysis(std::shared_ptr<const AttemptLog> log, const Scenario &scenario)
    : m_log(std::move(log))
    , m_scenario(scenario)
    , m_breakers(scenario.policy.retry, scenario.sharedBreaker)
{}

bool RunAnalysis::update()
{
    bool changed = false;
    const std::size_t from = m_read;
    std::size_t index = from;
    m_log->forEach(
        [&](const AttemptRecord &r) {
            m_timeline.add(r, static_cast<std::uint32_t>(index));
            m_clientTimeline.add(r, static_cast<std::uint32_t>(index++));
            m_delays.add(r);
            m_breakers.add(r);
            if (const auto verdict = m_tally.add(r)) {
                m_verdicts.push_back(*verdict);
                m_violations += verdict->violated() ? 1 : 0;
            }
        },
        from);
    changed = index != from;
    m_read = index;
    if (m_log->breakerCount() != m_breakerRecords) {
        auto records = m_log->breakerRecords();
        m_breakerRecords = records.size();
        m_breakers.setTransitions(std::move(records));
        changed = true;
    }
    if (m_log->arrivalCount() > m_arrivalsRead) {
        const auto arrivals = m_log->arrivalsSince(m_arrivalsRead);
        m_arrivalsRead += arrivals.size();
        for (const auto &a : arrivals)
            m_liveLoad.addArrival(a.atUs, a.attempt > 1);
        changed = true;
    }
    if (!m_journalLoad && m_log->journalSize() > 0) {
        const auto journal = m_log->journalRecords();
        m_journalLoad = LoadSeries::fromJournal(journal, sentLoad().bucketUs());
        qint64 spanUs = 0;
        for (const JournalEntry &e : journal)
            spanUs = std::max<qint64>(
                spanUs, std::chrono::duration_cast<std::chrono::microseconds>(e.at).count());
        m_duplicates = DuplicateSeries::fromJournal(journal, DuplicateSeries::bucketFor(spanUs));
        changed = true;
    }
    return changed;
}

double RunAnalysis::compliancePercent() const
{
    return retrylab::compliancePercent(qint64(m_verdicts.size()), m_violations);
}

double RunAnalysis::capacityPerBucket() const
{
    if (!m_scenario.builtinServer)
        return 0;
    const CapacitySpec &c = m_scenario.profile.capacity;
    return c.ratePerSecond > 0 ? c.ratePerSecond * double(sentLoad().bucketUs()) / 1e6 : 0;
}

} // namespace retrylab
