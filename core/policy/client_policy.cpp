// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_policy.h"

#include "json/json_reader.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

FieldProblems prefixed(const QString &prefix, FieldProblems problems)
{
    for (auto &p : problems)
        p.field = prefix + u'.' + p.field;
    return problems;
}

const QList<OutcomeClass> kNetworkFailures{OutcomeClass::Timeout,
                                           OutcomeClass::ConnectionReset,
                                           OutcomeClass::ConnectionRefused,
                                           OutcomeClass::Dns,
                                           OutcomeClass::Tls,
                                           OutcomeClass::NetworkOther};

QStringList networkFailureIds()
{
    QStringList out;
    for (const auto c : kNetworkFailures)
        out << outcome::id(c);
    return out;
}

QJsonObject backoffToJson(const BackoffParams &b)
{
    QJsonObject o{{u"kind"_s, Backoff::id(b.kind)},
                  {u"baseMs"_s, toMs(b.base)},
                  {u"capMs"_s, toMs(b.cap)},
                  {u"multiplier"_s, b.multiplier},
                  {u"jitter"_s, b.jitter}};
    // Only when set, so that files of policies without it stay as they were.
    if (b.firstRetryExponent != 0)
        o.insert(u"firstRetryExponent"_s, b.firstRetryExponent);
    return o;
}

QJsonObject retryToJson(const RetryPolicy &r)
{
    QJsonArray statuses;
    for (const int s : r.retryableStatuses)
        statuses.append(s);
    QJsonArray failures;
    for (const auto c : kNetworkFailures) // a fixed order keeps saved files stable
        if (r.retryableFailures.contains(c))
            failures.append(outcome::id(c));
    return QJsonObject{
        {u"backoff"_s, backoffToJson(r.backoff)},
        {u"maxAttempts"_s, r.maxAttempts},
        {u"totalBudgetMs"_s, toMs(r.totalBudget)},
        {u"attemptTimeoutMs"_s, toMs(r.attemptTimeout)},
        {u"minAttemptWindowMs"_s, toMs(r.minAttemptWindow)},
        {u"overrun"_s, r.overrun == OverrunMode::Shorten ? u"shorten"_s : u"stop"_s},
        {u"retryableStatuses"_s, statuses},
        {u"retryableFailures"_s, failures},
        {u"retryAfterMode"_s, retryAfterModeId(r.retryAfterMode)},
        {u"retryAfterCapMs"_s, toMs(r.retryAfterCap)},
        {u"retryNonIdempotentWithKey"_s, r.retryNonIdempotentWithKey},
        {u"retryNonIdempotentWithoutKey"_s, r.retryNonIdempotentWithoutKey},
        {u"retryInFlightConflict"_s, r.retryInFlightConflict},
        {u"waitForBreaker"_s, r.waitForBreaker},
        {u"backoffFromAttemptStart"_s, r.backoffFromAttemptStart},
    };
}

void retryFromJson(const JsonReader &in, RetryPolicy &r)
{
    in.rejectUnknown({u"backoff"_s, u"maxAttempts"_s, u"totalBudgetMs"_s, u"attemptTimeoutMs"_s,
                      u"minAttemptWindowMs"_s, u"overrun"_s, u"retryableStatuses"_s,
                      u"retryableFailures"_s, u"retryAfterMode"_s, u"retryAfterCapMs"_s,
                      u"retryNonIdempotentWithKey"_s, u"retryNonIdempotentWithoutKey"_s,
                      u"retryInFlightConflict"_s, u"waitForBreaker"_s,
                      u"backoffFromAttemptStart"_s});
    const JsonReader b = in.child(u"backoff"_s);
    b.rejectUnknown({u"kind"_s, u"baseMs"_s, u"capMs"_s, u"multiplier"_s, u"jitter"_s,
                     u"firstRetryExponent"_s});
    b.readId<BackoffKind>(u"kind"_s, r.backoff.kind, &Backoff::kindFromId, Backoff::ids());
    b.readMs(u"baseMs"_s, r.backoff.base);
    b.readMs(u"capMs"_s, r.backoff.cap);
    b.read(u"multiplier"_s, r.backoff.multiplier, 1.0, 100.0);
    b.read(u"jitter"_s, r.backoff.jitter, 0.0, 1.0);
    b.read(u"firstRetryExponent"_s, r.backoff.firstRetryExponent, 0,
           Backoff::kMaxFirstRetryExponent);
    in.read(u"maxAttempts"_s, r.maxAttempts, 1, 1000);
    in.readMs(u"totalBudgetMs"_s, r.totalBudget);
    in.readMs(u"attemptTimeoutMs"_s, r.attemptTimeout);
    in.readMs(u"minAttemptWindowMs"_s, r.minAttemptWindow);
    in.readId<OverrunMode>(u"overrun"_s, r.overrun,
                           [](const QString &id) -> std::optional<OverrunMode> {
                               if (id == u"shorten"_s)
                                   return OverrunMode::Shorten;
                               if (id == u"stop"_s)
                                   return OverrunMode::Stop;
                               return std::nullopt;
                           },
                           {u"shorten"_s, u"stop"_s});
    QList<int> statuses;
    in.readArray(u"retryableStatuses"_s, [&](const QJsonValue &v, int) {
        const double d = v.toDouble(-1);
        if (!v.isDouble() || !isWholeNumber(d, 100, 599))
            return u"must be an HTTP status code from 100 to 599"_s;
        statuses << static_cast<int>(d);
        return QString();
    });
    if (in.has(u"retryableStatuses"_s))
        r.retryableStatuses = statuses;
    QSet<OutcomeClass> failures;
    in.readArray(u"retryableFailures"_s, [&](const QJsonValue &v, int) {
        const auto c = outcome::fromId(v.toString());
        if (!v.isString() || !c || !kNetworkFailures.contains(*c))
            return u"must be one of: %1"_s.arg(networkFailureIds().join(u", "_s));
        failures.insert(*c);
        return QString();
    });
    if (in.has(u"retryableFailures"_s))
        r.retryableFailures = failures;
    QStringList modeIds;
    for (const auto m : retryAfterModes())
        modeIds << retryAfterModeId(m);
    in.readId<RetryAfterMode>(u"retryAfterMode"_s, r.retryAfterMode, &retryAfterModeFromId,
                              modeIds);
    in.readMs(u"retryAfterCapMs"_s, r.retryAfterCap);
    in.read(u"retryNonIdempotentWithKey"_s, r.retryNonIdempotentWithKey);
    in.read(u"retryNonIdempotentWithoutKey"_s, r.retryNonIdempotentWithoutKey);
    in.read(u"retryInFlightConflict"_s, r.retryInFlightConflict);
    in.read(u"waitForBreaker"_s, r.waitForBreaker);
    in.read(u"backoffFromAttemptStart"_s, r.backoffFromAttemptStart);
}

QJsonObject breakerToJson(const BreakerConfig &b)
{
    return QJsonObject{
        {u"enabled"_s, b.enabled},
        {u"rule"_s, tripRuleId(b.rule)},
        {u"consecutiveFailures"_s, b.consecutiveFailures},
        {u"failureRateThreshold"_s, b.failureRateThreshold},
        {u"window"_s, b.window == WindowKind::Count ? u"count"_s : u"time"_s},
        {u"windowCalls"_s, b.windowCalls},
        {u"windowTimeMs"_s, toMs(b.windowTime)},
        {u"minimumCalls"_s, b.minimumCalls},
        {u"openDurationMs"_s, toMs(b.openDuration)},
        {u"openGrowth"_s, b.openGrowth},
        {u"maxOpenDurationMs"_s, toMs(b.maxOpenDuration)},
        {u"halfOpenProbes"_s, b.halfOpenProbes},
    };
}

void breakerFromJson(const JsonReader &in, BreakerConfig &b)
{
    in.rejectUnknown({u"enabled"_s, u"rule"_s, u"consecutiveFailures"_s, u"failureRateThreshold"_s,
                      u"window"_s, u"windowCalls"_s, u"windowTimeMs"_s, u"minimumCalls"_s,
                      u"openDurationMs"_s, u"openGrowth"_s, u"maxOpenDurationMs"_s,
                      u"halfOpenProbes"_s});
    in.read(u"enabled"_s, b.enabled);
    in.readId<TripRule>(u"rule"_s, b.rule, &tripRuleFromId,
                        {u"consecutive-failures"_s, u"failure-rate"_s});
    in.read(u"consecutiveFailures"_s, b.consecutiveFailures, 1, 1'000'000);
    in.read(u"failureRateThreshold"_s, b.failureRateThreshold, 0.0, 1.0);
    in.readId<WindowKind>(u"window"_s, b.window,
                          [](const QString &id) -> std::optional<WindowKind> {
                              if (id == u"count"_s)
                                  return WindowKind::Count;
                              if (id == u"time"_s)
                                  return WindowKind::Time;
                              return std::nullopt;
                          },
                          {u"count"_s, u"time"_s});
    in.read(u"windowCalls"_s, b.windowCalls, 1, 1'000'000);
    in.readMs(u"windowTimeMs"_s, b.windowTime);
    in.read(u"minimumCalls"_s, b.minimumCalls, 1, 1'000'000);
    in.readMs(u"openDurationMs"_s, b.openDuration);
    in.read(u"openGrowth"_s, b.openGrowth, 1.0, 100.0);
    in.readMs(u"maxOpenDurationMs"_s, b.maxOpenDuration);
    in.read(u"halfOpenProbes"_s, b.halfOpenProbes, 1, 1'000'000);
}

QJsonObject budgetToJson(const BudgetConfig &b)
{
    return QJsonObject{
        {u"kind"_s, budgetKindId(b.kind)},     {u"maxTokens"_s, b.maxTokens},
        {u"tokenRatio"_s, b.tokenRatio},       {u"quotaCapacity"_s, b.quotaCapacity},
        {u"retryCost"_s, b.retryCost},         {u"timeoutRetryCost"_s, b.timeoutRetryCost},
        {u"successReward"_s, b.successReward},
    };
}

void budgetFromJson(const JsonReader &in, BudgetConfig &b)
{
    in.rejectUnknown({u"kind"_s, u"maxTokens"_s, u"tokenRatio"_s, u"quotaCapacity"_s,
                      u"retryCost"_s, u"timeoutRetryCost"_s, u"successReward"_s});
    in.readId<BudgetKind>(u"kind"_s, b.kind, &budgetKindFromId,
                          {u"none"_s, u"token-bucket"_s, u"aws-quota"_s});
    in.read(u"maxTokens"_s, b.maxTokens, 0.0, 1000.0);
    in.read(u"tokenRatio"_s, b.tokenRatio, 0.0, 1000.0);
    in.read(u"quotaCapacity"_s, b.quotaCapacity, 0, 1'000'000);
    in.read(u"retryCost"_s, b.retryCost, 0, 1'000'000);
    in.read(u"timeoutRetryCost"_s, b.timeoutRetryCost, 0, 1'000'000);
    in.read(u"successReward"_s, b.successReward, 0, 1'000'000);
}

} // namespace

FieldProblems ClientPolicy::validate() const
{
    return prefixed(u"retry"_s, retry.validate()) + prefixed(u"breaker"_s, breaker.validate()) +
           prefixed(u"budget"_s, budget.validate());
}

FieldProblems ClientPolicy::advise() const
{
    FieldProblems p = prefixed(u"retry"_s, retry.advise());
    if (!breaker.enabled && budget.kind == BudgetKind::None && retry.maxAttempts > 1)
        p.append({u"budget.kind"_s,
                  u"no breaker and no retry budget: nothing stops a retry storm during an "
                  "outage"_s});
    return p;
}

QJsonObject ClientPolicy::toJson() const
{
    return QJsonObject{{u"retry"_s, retryToJson(retry)},
                       {u"breaker"_s, breakerToJson(breaker)},
                       {u"budget"_s, budgetToJson(budget)}};
}

std::optional<ClientPolicy> ClientPolicy::fromJson(const QJsonObject &json, FieldProblems *problems)
{
    FieldProblems local;
    FieldProblems &out = problems ? *problems : local;
    const auto before = out.size();
    ClientPolicy p;
    const JsonReader root(json, {}, &out);
    root.rejectUnknown({u"retry"_s, u"breaker"_s, u"budget"_s});
    retryFromJson(root.child(u"retry"_s), p.retry);
    breakerFromJson(root.child(u"breaker"_s), p.breaker);
    budgetFromJson(root.child(u"budget"_s), p.budget);
    if (out.size() == before)
        out += p.validate();
    if (out.size() != before)
        return std::nullopt;
    return p;
}

} // namespace retrylab
