// SPDX-License-Identifier: GPL-3.0-or-later
#include "load_series.h"

#include <algorithm>

namespace retrylab {

void LoadSeries::addSent(const AttemptRecord &r)
{
    if (!outcome::isLocalRejection(r.outcome))
        add(r.startedUs, r.isRetry());
}

void LoadSeries::addArrival(const JournalEntry &e)
{
    m_source = Source::Arrived;
    // Requests without X-Attempt (other clients) count as first attempts.
    add(std::chrono::duration_cast<std::chrono::microseconds>(e.at).count(), e.attempt > 1);
}

void LoadSeries::addArrival(qint64 atUs, bool retry)
{
    m_source = Source::Arrived;
    add(atUs, retry);
}

LoadSeries LoadSeries::fromJournal(const std::vector<JournalEntry> &journal, qint64 bucketUs)
{
    LoadSeries s(bucketUs);
    s.m_source = Source::Arrived;
    for (const JournalEntry &e : journal)
        s.addArrival(e);
    return s;
}

void LoadSeries::add(qint64 atUs, bool retry)
{
    const auto i = static_cast<std::size_t>(std::max<qint64>(0, atUs) / m_bucketUs);
    if (i >= m_first.size()) {
        m_first.resize(i + 1, 0);
        m_retries.resize(i + 1, 0);
    }
    ++(retry ? m_retries : m_first)[i];
    m_peak = std::max(m_peak, total(i));
    m_peakRetries = std::max(m_peakRetries, m_retries[i]);
    ++m_count;
}

} // namespace retrylab
