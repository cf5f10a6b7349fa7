// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/load_series.h"
#include "log/attempt_log.h"
#include "log/retry_after_judge.h"
#include "log/run_summary.h"

#include <QHash>

#include <deque>
#include <optional>

namespace retrylab {

// The one count of a run's log behind every RunSummary: the run's worker thread keeps one for
// the live and the final summary, RunAnalysis feeds one from the same pass that feeds the
// charts, and of() counts a finished log (an opened file, a test). Each record is read once:
// a summary costs what arrived since the last, plus the completion percentiles.
class SummaryTally
{
public:
    // Counts one record; records come in log order. Returns the Retry-After verdict on it, if
    // it was judged (the compliance chart keeps them).
    std::optional<RetryAfterJudge::Verdict> add(const AttemptRecord &r);
    // Counts the records appended to `log` since the last call.
    void update(const AttemptLog &log);
    // The summary so far. The breaker and dropped counts come from `log` (its small side
    // lists); the server's numbers are left unknown for the run to fill in.
    RunSummary summary(const AttemptLog &log) const;
    // The attempts sent per 100 ms slot (the load chart's "sent" series).
    const LoadSeries &sent() const { return m_sent; }

    // A whole log at once.
    static RunSummary of(const AttemptLog &log);

private:
    RunSummary m_counts; // the fields counted record by record
    std::size_t m_read = 0;
    QHash<quint64, qint64> m_firstStart; // per operation still going: its first start
    std::deque<double> m_completionMs;   // a deque: growing never copies it all in one frame
    std::deque<double> m_lagMs;          // the client's lag, where the stack measured it
    RetryAfterJudge m_judge;
    LoadSeries m_sent;
};

} // namespace retrylab
