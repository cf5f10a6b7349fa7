// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"
#include "http/retry_after.h"

#include <QJsonObject>
#include <QMap>

namespace retrylab {

// What a run came to, counted from the attempt log by SummaryTally (analysis/summary_tally.h)
// alone, plus the server's own numbers when the target was the built-in server. The status
// bar, the comparison, the headless report and the expectations all read this one summary.
// "Per 100 ms" is always a fixed 100 ms slot counted from the run's start, as the load chart
// draws it: the busiest slot, not the busiest sliding window.
struct RunSummary {
    qint64 operations = 0;
    qint64 succeeded = 0;
    QMap<QString, qint64> failedBy; // stop reason → operations
    qint64 attemptsSent = 0;        // attempts that went on the wire
    qint64 attemptsRefused = 0;     // rejected locally by breaker or budget
    qint64 retries = 0;             // sent attempts after the first of an operation
    double amplification = 0;       // sent attempts per operation
    // Completion time of operations: from the first attempt's start to the moment the last
    // answer arrived (with the client's own lag, below, taken off where the stack knows it).
    double p50Ms = 0, p95Ms = 0, p99Ms = 0;
    // How long answers waited on this machine for the client to read them (PhaseTimings::lagUs):
    // an overloaded client, not a slow server. -1 where the stack cannot tell.
    double lagP50Ms = -1, lagP99Ms = -1;
    double runMs = 0; // from the first attempt's start to the last one's end
    // Judged as the built-in server judges: each client's next attempt after a response that
    // asked it to wait, whichever operation it belongs to.
    qint64 retryAfterJudged = 0;
    qint64 retryAfterViolations = 0;
    double worstEarlyMs = 0;
    qint64 breakerTransitions = 0;
    qint64 breakersNotClosed = 0;   // breakers whose last transition left them open or half-open
    qint64 peakPer100ms = 0;        // attempts sent in the busiest 100 ms slot
    qint64 peakRetriesPer100ms = 0; // retries sent in the busiest slot: where herds show
    qint64 dropped = 0;             // records past the log's cap
    // From the server, when it is the built-in one (-1: unknown).
    qint64 duplicates = -1;
    // Requests the server saw. More than attemptsSent means the HTTP stack re-sent some on
    // its own (Qt re-sends once when a connection dies before any answer).
    qint64 serverRequests = -1;
    double serverCompliancePercent = -1;
    qint64 peakServerPer100ms = -1; // requests arriving in the server's busiest 100 ms slot

    double attemptsPerSecond() const { return runMs > 0 ? attemptsSent / (runMs / 1000.0) : 0; }
    double successRate() const { return operations ? double(succeeded) / operations : 1.0; }
    double compliancePercent() const
    {
        return retrylab::compliancePercent(retryAfterJudged, retryAfterViolations);
    }

    QJsonObject toJson() const;
    QString toText() const; // a few lines for a terminal
};

} // namespace retrylab
