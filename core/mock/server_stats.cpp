// SPDX-License-Identifier: GPL-3.0-or-later
#include "server_stats.h"

#include "http/retry_after.h"

using namespace Qt::StringLiterals;

namespace retrylab {

double ServerStats::compliancePercent() const
{
    return retrylab::compliancePercent(retryAfterJudged, retryAfterViolations);
}

QJsonObject ServerStats::toJson() const
{
    QJsonObject statuses;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
        statuses.insert(it.key() == 0 ? u"none"_s : QString::number(it.key()), it.value());
    QJsonObject decisions;
    for (auto it = byDecision.cbegin(); it != byDecision.cend(); ++it)
        decisions.insert(it.key(), it.value());
    return QJsonObject{
        {u"profile"_s, profile},
        {u"uptimeMs"_s, toMs(uptime)},
        {u"requests"_s, requests},
        {u"requestsPerSecond"_s, requestsPerSecond},
        {u"requestsLastSecond"_s, requestsLastSecond},
        {u"inFlight"_s, inFlight},
        {u"openConnections"_s, openConnections},
        {u"refused"_s, refused},
        {u"byStatus"_s, statuses},
        {u"byDecision"_s, decisions},
        {u"retryAfter"_s, QJsonObject{{u"judged"_s, retryAfterJudged},
                                      {u"violations"_s, retryAfterViolations},
                                      {u"compliancePercent"_s, compliancePercent()}}},
        {u"payments"_s, QJsonObject{{u"payments"_s, payments},
                                    {u"operations"_s, paymentOperations},
                                    {u"duplicates"_s, duplicates}}},
        {u"idempotencyMode"_s, idempotencyMode},
        {u"journal"_s,
         QJsonObject{{u"capacity"_s, journalCapacity}, {u"dropped"_s, journalDropped}}},
        {u"outage"_s, QJsonObject{{u"active"_s, outageActive},
                                  {u"endsInMs"_s, outageActive ? toMs(outageEndsIn) : 0.0}}},
    };
}

} // namespace retrylab
