// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_summary.h"

#include "log/retry_after_judge.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
qint64 busiestWindow(std::vector<qint64> &times, qint64 windowUs)
{
    std::sort(times.begin(), times.end());
    qint64 best = 0;
    std::size_t lo = 0;
    for (std::size_t hi = 0; hi < times.size(); ++hi) {
        while (times[hi] - times[lo] >= windowUs)
            ++lo;
        best = std::max<qint64>(best, qint64(hi - lo + 1));
    }
    return best;
}

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

RunSummary RunSummary::compute(const AttemptLog &log)
{
    RunSummary s;
    std::vector<double> completion;
    // Per operation: its first start.
    QHash<quint64, qint64> firstStart;
    RetryAfterJudge judge;
    std::vector<qint64> sentAt;
    std::vector<qint64> retriedAt;
    qint64 firstUs = std::numeric_limits<qint64>::max();
    qint64 lastUs = std::numeric_limits<qint64>::min();
    log.forEach([&](const AttemptRecord &r) {
        firstUs = std::min(firstUs, r.startedUs);
        lastUs = std::max(lastUs, r.finishedUs);
        const quint64 key = (quint64(r.client) << 32) | r.operation;
        if (r.attempt == 1)
            firstStart.insert(key, r.startedUs);
        if (outcome::isLocalRejection(r.outcome)) {
            ++s.attemptsRefused;
        } else {
            ++s.attemptsSent;
            sentAt.push_back(r.startedUs);
            if (r.attempt > 1) {
                ++s.retries;
                retriedAt.push_back(r.startedUs);
            }
        }
        if (const auto verdict = judge.observe(r)) {
            ++s.retryAfterJudged;
            if (verdict->violated()) {
                ++s.retryAfterViolations;
                s.worstEarlyMs = std::max(s.worstEarlyMs, verdict->earlyUs() / 1000.0);
            }
        }
        if (r.lastOfOperation) {
            ++s.operations;
            // Only a 2xx that ended the operation is a success; any other end (a 3xx that
            // was not followed included) counts under its own stop reason.
            if (r.stop == StopReason::Succeeded && r.outcome == OutcomeClass::Success)
                ++s.succeeded;
            else
                ++s.failedBy[stopReasonId(r.stop)];
            completion.push_back((r.finishedUs - firstStart.take(key)) / 1000.0);
        }
    });
    s.runMs = lastUs > firstUs ? double(lastUs - firstUs) / 1000.0 : 0;
    s.amplification = s.operations ? double(s.attemptsSent) / double(s.operations) : 0;
    s.p50Ms = percentile(completion, 0.50);
    s.p95Ms = percentile(completion, 0.95);
    s.p99Ms = percentile(completion, 0.99);
    const auto breakers = log.breakerRecords();
    s.breakerTransitions = static_cast<qint64>(breakers.size());
    QHash<std::uint32_t, BreakerState> last;
    for (const BreakerRecord &b : breakers)
        last.insert(b.breaker, b.transition.to);
    for (BreakerState state : std::as_const(last))
        s.breakersNotClosed += state != BreakerState::Closed && state != BreakerState::Disabled;
    s.peakPer100ms = busiestWindow(sentAt, 100'000);
    s.peakRetriesPer100ms = busiestWindow(retriedAt, 100'000);
    s.dropped = static_cast<qint64>(log.dropped());
    return s;
}

QJsonObject RunSummary::toJson() const
{
    QJsonObject failed;
    for (auto it = failedBy.cbegin(); it != failedBy.cend(); ++it)
        failed.insert(it.key(), it.value());
    QJsonObject o{
        {u"operations"_s, operations},
        {u"succeeded"_s, succeeded},
        {u"failedBy"_s, failed},
        {u"successRate"_s, successRate()},
        {u"attemptsSent"_s, attemptsSent},
        {u"attemptsRefused"_s, attemptsRefused},
        {u"retries"_s, retries},
        {u"amplification"_s, amplification},
        {u"runMs"_s, runMs},
        {u"attemptsPerSecond"_s, attemptsPerSecond()},
        {u"completionMs"_s, QJsonObject{{u"p50"_s, p50Ms}, {u"p95"_s, p95Ms}, {u"p99"_s, p99Ms}}},
        {u"retryAfter"_s, QJsonObject{{u"judged"_s, retryAfterJudged},
                                      {u"violations"_s, retryAfterViolations},
                                      {u"compliancePercent"_s, compliancePercent()},
                                      {u"worstEarlyMs"_s, worstEarlyMs}}},
        {u"breakerTransitions"_s, breakerTransitions},
        {u"peakAttemptsPer100ms"_s, peakPer100ms},
        {u"peakRetriesPer100ms"_s, peakRetriesPer100ms},
        {u"droppedRecords"_s, dropped},
    };
    if (duplicates >= 0)
        o.insert(u"duplicateEffects"_s, duplicates);
    if (serverCompliancePercent >= 0)
        o.insert(u"serverCompliancePercent"_s, serverCompliancePercent);
    if (serverRequests >= 0)
        o.insert(u"serverRequests"_s, serverRequests);
    if (peakServerPer100ms >= 0)
        o.insert(u"peakServerRequestsPer100ms"_s, peakServerPer100ms);
    return o;
}

QString RunSummary::toText() const
{
    QStringList lines;
    lines << u"operations: %1 (%2 succeeded, %3%)"_s.arg(operations)
                 .arg(succeeded)
                 .arg(QString::number(100.0 * successRate(), 'f', 1));
    for (auto it = failedBy.cbegin(); it != failedBy.cend(); ++it)
        lines << u"  failed, %1: %2"_s.arg(it.key()).arg(it.value());
    lines << u"attempts: %1 sent, %2 retries, %3 refused locally; amplification %4"_s
                 .arg(attemptsSent)
                 .arg(retries)
                 .arg(attemptsRefused)
                 .arg(QString::number(amplification, 'f', 2));
    lines << u"completion: p50 %1 ms, p95 %2 ms, p99 %3 ms"_s.arg(QString::number(p50Ms, 'f', 1),
                                                                  QString::number(p95Ms, 'f', 1),
                                                                  QString::number(p99Ms, 'f', 1));
    lines << u"Retry-After: %1 judged, %2 early (%3% compliant)"_s.arg(retryAfterJudged)
                 .arg(retryAfterViolations)
                 .arg(QString::number(compliancePercent(), 'f', 1));
    lines << u"breaker transitions: %1; peak %2 attempts (%3 retries) per 100 ms"_s
                 .arg(breakerTransitions)
                 .arg(peakPer100ms)
                 .arg(peakRetriesPer100ms);
    if (serverCompliancePercent >= 0)
        lines << u"server side: Retry-After %1% compliant"_s.arg(
            QString::number(serverCompliancePercent, 'f', 1));
    if (serverRequests > attemptsSent)
        lines << u"server side: %1 requests for %2 attempts sent: the HTTP stack re-sent %3 on "
                 "its own"_s.arg(serverRequests)
                     .arg(attemptsSent)
                     .arg(serverRequests - attemptsSent);
    if (duplicates >= 0)
        lines << u"duplicate effects (server ledger): %1"_s.arg(duplicates);
    return lines.join(u'\n');
}

} // namespace retrylab
