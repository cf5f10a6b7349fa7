// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_summary.h"

using namespace Qt::StringLiterals;

namespace retrylab {

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
    if (lagP50Ms >= 0)
        o.insert(u"clientLagMs"_s, QJsonObject{{u"p50"_s, lagP50Ms}, {u"p99"_s, lagP99Ms}});
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
    if (lagP50Ms >= 0)
        lines << u"  answers waited for the client to read them (not counted above): p50 %1 ms, "
                 "p99 %2 ms"_s.arg(QString::number(lagP50Ms, 'f', 3),
                                   QString::number(lagP99Ms, 'f', 3));
    lines << u"Retry-After: %1 judged, %2 early (%3% compliant)"_s.arg(retryAfterJudged)
                 .arg(retryAfterViolations)
                 .arg(QString::number(compliancePercent(), 'f', 1));
    lines << u"breaker transitions: %1; peak %2 attempts (%3 retries) in a 100 ms slot"_s
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
