// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The C++ side of the Locust parity vectors (tst_locust_parity_vectors.h): what the core
// answers to each, in the JSON the Python side answers in. tst_locust_parity compares it with
// the Python policy's answer; tst_locust_parity_coverage checks that the vectors reach every
// backoff kind, preset, Retry-After mode, stop reason and pushback header.
#include "http/idempotency.h"
#include "http/request_headers.h"
#include "policy/client_policy.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

namespace parity {

using namespace retrylab;
using namespace Qt::StringLiterals;

inline QJsonValue optionalUs(const std::optional<Duration> &d)
{
    return d ? QJsonValue(static_cast<qint64>(d->count())) : QJsonValue(QJsonValue::Null);
}

inline QJsonArray headersJson(const HeaderList &h)
{
    QJsonArray a;
    for (const auto &[n, v] : h)
        a.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(v)});
    return a;
}

inline HeaderList headersFrom(const QJsonValue &v)
{
    HeaderList h;
    for (const QJsonValue &e : v.toArray())
        h.append({e[0].toString().toLatin1(), e[1].toString().toLatin1()});
    return h;
}

inline QJsonValue pushbackJson(const std::optional<Pushback> &p)
{
    if (!p)
        return QJsonValue(QJsonValue::Null);
    QJsonObject out{{u"delayUs"_s, static_cast<qint64>(p->delay.count())},
                    {u"source"_s, pushbackSourceId(p->source)},
                    {u"clamped"_s, p->clamped},
                    {u"doNotRetry"_s, p->doNotRetry}};
    if (p->source == PushbackSource::RetryAfter) {
        out.insert(u"form"_s, retryAfterFormId(p->retryAfter.form));
        out.insert(u"pastDate"_s, p->retryAfter.pastDate);
        out.insert(u"measuredFromDate"_s, p->retryAfter.measuredFromDate);
    }
    return out;
}

inline QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

inline QJsonObject rngAnswer(const QJsonObject &v)
{
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    QJsonArray next, uniform;
    const int count = v[u"count"_s].toInt();
    for (int i = 0; i < count; ++i)
        next.append(QString::number(rng.next()));
    for (int i = 0; i < count; ++i)
        uniform.append(rng.uniform());
    return {{u"next"_s, next}, {u"uniform"_s, uniform}};
}

inline QJsonArray decisionsAnswer(const QJsonObject &v)
{
    const auto policy = ClientPolicy::fromJson(v[u"policy"_s].toObject(), nullptr);
    Q_ASSERT(policy);
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    BackoffState state;
    QJsonArray out;
    const QJsonArray steps = v[u"steps"_s].toArray();
    for (int i = 0; i < steps.size(); ++i) {
        const QJsonObject s = steps[i].toObject();
        // As the engine reads a response (core/engine/run_engine.cpp, onResult): every pushback
        // header first, then what this policy's Retry-After mode takes from them.
        AttemptResult result;
        result.outcome = *outcome::fromId(s[u"outcome"_s].toString());
        result.httpStatus = s[u"status"_s].toInt();
        if (result.httpStatus > 0) {
            const HeaderList headers = headersFrom(s[u"headers"_s]);
            const QDateTime received = fromMs(s[u"receivedMs"_s].toInteger());
            result.pushback =
                policy->retry.serverWait(readPushback(result.httpStatus, headers, received),
                                         result.httpStatus, headers, received);
        }
        if (s.contains(u"breakerOpenForUs"_s))
            result.breakerOpenFor = Duration(s[u"breakerOpenForUs"_s].toInteger());
        const bool keyed = v[u"keyed"_s].toBool();
        const Duration elapsed(s[u"elapsedUs"_s].toInteger());
        const AttemptContext ctx{i + 1, elapsed,
                                 isIdempotentMethod(v[u"method"_s].toString().toLatin1()), keyed,
                                 Duration(s[u"attemptUs"_s].toInteger())};
        const RetryDecision d = policy->retry.decide(ctx, result, state, rng);
        const Duration timeout = policy->retry.effectiveAttemptTimeout(elapsed);
        out.append(QJsonObject{
            {u"retry"_s, d.retry},
            {u"stop"_s, stopReasonId(d.stop)},
            {u"delayUs"_s, static_cast<qint64>(d.delay.count())},
            {u"source"_s, delaySourceId(d.source)},
            {u"backoffUs"_s, static_cast<qint64>(d.backoffDelay.count())},
            {u"serverUs"_s, optionalUs(d.serverDelay)},
            {u"serverCapped"_s, d.serverDelayCapped},
            {u"shortened"_s, d.shortened},
            {u"pushback"_s, pushbackJson(result.pushback)},
            {u"countsAgainstBudget"_s, policy->retry.countsAgainstBudget(result, keyed)},
            {u"serviceFailure"_s,
             policy->retry.isServiceFailure(result.outcome, result.httpStatus)},
            {u"holdsClient"_s, policy->retry.holdsClientOnPushback()},
            {u"attemptTimeoutUs"_s, timeout >= kMaxDuration
                                        ? QJsonValue(QJsonValue::Null)
                                        : QJsonValue(qint64(timeout.count()))}});
    }
    return out;
}

inline QJsonObject breakerAnswer(const QJsonObject &v)
{
    const auto policy =
        ClientPolicy::fromJson(QJsonObject{{u"breaker"_s, v[u"config"_s]}}, nullptr);
    Q_ASSERT(policy);
    ManualClock clock;
    CircuitBreaker b(policy->breaker, clock);
    QJsonArray transitions, steps;
    b.setListener([&](const BreakerTransition &t) {
        transitions.append(QJsonObject{{u"atUs"_s, static_cast<qint64>(t.at.count())},
                                       {u"from"_s, breakerStateId(t.from)},
                                       {u"to"_s, breakerStateId(t.to)},
                                       {u"windowCalls"_s, t.windowCalls},
                                       {u"windowFailures"_s, t.windowFailures},
                                       {u"consecutive"_s, t.consecutiveFailures},
                                       {u"openForUs"_s, static_cast<qint64>(t.openFor.count())}});
    });
    for (const QJsonValue &e : v[u"events"_s].toArray()) {
        clock.set(Duration(e[u"t"_s].toInteger()));
        const QString op = e[u"op"_s].toString();
        QJsonObject row;
        if (op == u"acquire"_s) {
            const auto p = b.tryAcquire();
            row = {{u"allowed"_s, p.allowed},
                   {u"probe"_s, p.probe},
                   {u"retryInUs"_s, static_cast<qint64>(p.retryIn.count())}};
        } else if (op == u"success"_s) {
            b.onSuccess();
        } else {
            b.onFailure();
        }
        row.insert(u"state"_s, breakerStateId(b.state()));
        row.insert(u"windowCalls"_s, b.windowCalls());
        row.insert(u"windowFailures"_s, b.windowFailures());
        row.insert(u"consecutive"_s, b.consecutiveFailures());
        row.insert(u"rejected"_s, b.rejected());
        steps.append(row);
    }
    return {{u"steps"_s, steps}, {u"transitions"_s, transitions}};
}

inline QJsonArray budgetAnswer(const QJsonObject &v)
{
    const auto policy = ClientPolicy::fromJson(QJsonObject{{u"budget"_s, v[u"config"_s]}}, nullptr);
    Q_ASSERT(policy);
    RetryBudget budget(policy->budget);
    QJsonArray out;
    for (const QJsonValue &e : v[u"events"_s].toArray()) {
        const QString op = e[u"op"_s].toString();
        QJsonObject row;
        if (op == u"acquire"_s) {
            const auto p = budget.tryAcquireRetry(*outcome::fromId(e[u"outcome"_s].toString()));
            row = {{u"allowed"_s, p.allowed}, {u"cost"_s, p.cost}};
        } else if (op == u"success"_s) {
            budget.onAttemptSucceeded(e[u"cost"_s].toDouble());
        } else {
            budget.onAttemptFailed();
        }
        row.insert(u"level"_s, budget.level());
        row.insert(u"denied"_s, budget.denied());
        out.append(row);
    }
    return out;
}

inline QJsonArray keysAnswer(const QJsonObject &v)
{
    RandomSource rng(v[u"seed"_s].toString().toULongLong());
    QJsonArray out;
    const auto client = static_cast<std::uint32_t>(v[u"client"_s].toInteger());
    for (int i = 0; i < v[u"count"_s].toInt(); ++i) {
        const QString key = v[u"keyed"_s].toBool() ? makeIdempotencyKey(rng) : QString();
        out.append(
            headersJson(generatedHeaders(client, static_cast<std::uint32_t>(i), i + 1, key)));
    }
    return out;
}

inline QJsonObject cppAnswer(const QJsonObject &vectors)
{
    QJsonObject out;
    const auto each = [&](const QString &name, auto answer) {
        QJsonArray a;
        for (const QJsonValue &v : vectors[name].toArray())
            a.append(answer(v.toObject()));
        out.insert(name, a);
    };
    each(u"rng"_s, rngAnswer);
    each(u"decisions"_s, decisionsAnswer);
    each(u"breakers"_s, breakerAnswer);
    each(u"budgets"_s, budgetAnswer);
    each(u"keys"_s, keysAnswer);
    QJsonArray pushbacks;
    for (const QJsonValue &v : vectors[u"pushbacks"_s].toArray())
        pushbacks.append(
            pushbackJson(readPushback(v[u"status"_s].toInt(), headersFrom(v[u"headers"_s]),
                                      fromMs(v[u"receivedMs"_s].toInteger()))
                             .wait));
    out.insert(u"pushbacks"_s, pushbacks);
    return out;
}

} // namespace parity
