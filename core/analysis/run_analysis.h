// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/breaker_series.h"
#include "analysis/delay_samples.h"
#include "analysis/duplicate_series.h"
#include "analysis/load_series.h"
#include "analysis/summary_tally.h"
#include "analysis/timeline_lanes.h"
#include "log/attempt_log.h"
#include "scenario/scenario.h"

#include <deque>
#include <memory>

namespace retrylab {

// Everything the charts show, kept up to date from a run's log: each update() reads only the
// records appended since the last one, so a chart refresh costs what arrived, not the whole
// run. The server-load series switches from "sent" to "arrived" once the built-in server's
// journal is in the log. The same pass counts the run's summary (SummaryTally).
class RunAnalysis
{
public:
    RunAnalysis(std::shared_ptr<const AttemptLog> log, const Scenario &scenario);

    // Reads what was appended since the last call; true when anything changed.
    bool update();

    const AttemptLog &log() const { return *m_log; }
    const Scenario &scenario() const { return m_scenario; }
    // Lanes per operation (the default) or per client; both are kept up to date.
    const TimelineLanes &timeline(TimelineLanes::By by = TimelineLanes::By::Operation) const
    {
        return by == TimelineLanes::By::Client ? m_clientTimeline : m_timeline;
    }
    const DelaySamples &delays() const { return m_delays; }
    const BreakerSeries &breakers() const { return m_breakers; }
    // The server's journal when the run is over; its arrivals while it goes on (built-in
    // server); what the clients sent otherwise.
    const LoadSeries &load() const
    {
        return m_journalLoad ? *m_journalLoad : m_liveLoad.count() ? m_liveLoad : sentLoad();
    }
    const LoadSeries &sentLoad() const { return m_tally.sent(); }
    // Duplicate charges over time, once the built-in server's journal is in (nullptr before).
    const DuplicateSeries *duplicates() const { return m_duplicates ? &*m_duplicates : nullptr; }
    // The client-side summary of what has been read (no server numbers).
    RunSummary summary() const { return m_tally.summary(*m_log); }
    const std::deque<RetryAfterJudge::Verdict> &verdicts() const { return m_verdicts; }
    qint64 violations() const { return m_violations; }
    double compliancePercent() const;
    std::size_t records() const { return m_read; }
    // The built-in server's capacity in requests per bucket (0: unlimited or unknown).
    double capacityPerBucket() const;

private:
    std::shared_ptr<const AttemptLog> m_log;
    Scenario m_scenario;
    std::size_t m_read = 0;
    std::size_t m_breakerRecords = 0;
    TimelineLanes m_timeline{TimelineLanes::By::Operation};
    TimelineLanes m_clientTimeline{TimelineLanes::By::Client};
    DelaySamples m_delays;
    BreakerSeries m_breakers;
    std::optional<LoadSeries> m_journalLoad;
    std::optional<DuplicateSeries> m_duplicates;
    LoadSeries m_liveLoad;
    std::size_t m_arrivalsRead = 0;
    SummaryTally m_tally;
    std::deque<RetryAfterJudge::Verdict> m_verdicts; // a deque: see DelaySamples
    qint64 m_violations = 0;
};

} // namespace retrylab
