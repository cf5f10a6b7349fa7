// SPDX-License-Identifier: GPL-3.0-or-later
// The decision vectors of tst_locust_parity: built from the core's own lists (every backoff
// kind, every preset, every Retry-After mode), so a new preset or kind is covered by itself.
#pragma once

#include "base/random_source.h"
#include "policy/client_policy.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

#include <array>

namespace parity {

using namespace Qt::StringLiterals;

inline const std::array<const char *, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
inline const std::array<const char *, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"};
inline const std::array<const char *, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The response of every step arrives at this instant; the server's Date is 2 s behind it, so a
// date measured from Date and one measured from the arrival differ.
constexpr qint64 kReceivedMs = 1'796'040'000'250; // 2026-11-30T12:00:00.250Z
constexpr qint64 kDateMs = kReceivedMs - 2'250;

inline QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
}

inline QString two(int n)
{
    return QString::number(n).rightJustified(2, u'0');
}

inline QString hms(const QDateTime &d)
{
    return two(d.time().hour()) + u':' + two(d.time().minute()) + u':' + two(d.time().second());
}

inline QString rfc850(qint64 ms)
{
    const QDateTime d = at(ms);
    return QString::fromLatin1(kLongDays[d.date().dayOfWeek() - 1]) + u", "_s +
           two(d.date().day()) + u'-' + QString::fromLatin1(kMonths[d.date().month() - 1]) + u'-' +
           two(d.date().year() % 100) + u' ' + hms(d) + u" GMT"_s;
}

inline QString asctime(qint64 ms)
{
    const QDateTime d = at(ms);
    return QString::fromLatin1(kDays[d.date().dayOfWeek() - 1]) + u' ' +
           QString::fromLatin1(kMonths[d.date().month() - 1]) + u' ' +
           QString::number(d.date().day()).rightJustified(2, u' ') + u' ' + hms(d) + u' ' +
           QString::number(d.date().year());
}

inline QString imf(qint64 ms)
{
    return QString::fromLatin1(retrylab::formatHttpDate(at(ms)));
}

inline QJsonArray header(const QString &name, const QString &value, bool withDate = true)
{
    QJsonArray h{QJsonArray{name, value}};
    if (withDate)
        h.append(QJsonArray{u"Date"_s, imf(kDateMs)});
    return h;
}

// Every Retry-After form and the other pushback headers, as header lists.
inline QList<QJsonArray> pushbackHeaders()
{
    return {
        {},
        header(u"Retry-After"_s, u"3"_s),
        header(u"Retry-After"_s, u"0"_s),
        header(u"Retry-After"_s, u"120"_s),
        header(u"Retry-After"_s, u"99999999999999999999"_s),
        header(u"Retry-After"_s, u"-1"_s),
        header(u"Retry-After"_s, u"1.5"_s),
        header(u"Retry-After"_s, u" 4 "_s),
        header(u"Retry-After"_s, imf(kDateMs + 5'000)),
        header(u"Retry-After"_s, imf(kDateMs + 5'000), false),
        header(u"Retry-After"_s, rfc850(kDateMs + 7'000)),
        header(u"Retry-After"_s, asctime(kDateMs + 3'000)),
        header(u"Retry-After"_s, asctime(kDateMs - 86'400'000 * 20)), // day < 10: " 9"
        header(u"Retry-After"_s, imf(kDateMs - 10'000)),              // in the past
        header(u"Retry-After"_s, imf(kDateMs + 90'000'000)),          // beyond a day
        header(u"Retry-After"_s, u"Mon, 30 Nov 2026 12:00:05 +0000"_s),
        header(u"Retry-After"_s, u"Sun, 31 Feb 2026 12:00:05 GMT"_s),
        QJsonArray{QJsonArray{u"Retry-After"_s, u"2"_s}, QJsonArray{u"retry-after"_s, u"3"_s}},
        header(u"grpc-retry-pushback-ms"_s, u"-1"_s),
        header(u"grpc-retry-pushback-ms"_s, u"250"_s),
        header(u"grpc-retry-pushback-ms"_s, u"soon"_s),
        header(u"grpc-retry-pushback-ms"_s, u"0"_s),
        header(u"x-amz-retry-after"_s, u"1500"_s),
        header(u"x-amz-retry-after"_s, u"9000"_s), // beyond botocore's t + 5 s
        header(u"x-amz-retry-after"_s, u"-5"_s),
        header(u"Retry-After"_s, u"400"_s), // beyond Envoy's max_interval (300 s)
        // Two headers at once: the Retry Lab modes take Retry-After, a library its own.
        QJsonArray{QJsonArray{u"Retry-After"_s, u"2"_s},
                   QJsonArray{u"grpc-retry-pushback-ms"_s, u"700"_s},
                   QJsonArray{u"x-amz-retry-after"_s, u"2500"_s}},
        header(u"RateLimit"_s, u"\"default\";r=0;t=4"_s),
        QJsonArray{QJsonArray{u"RateLimit-Remaining"_s, u"0"_s},
                   QJsonArray{u"RateLimit-Reset"_s, u"6"_s}},
        QJsonArray{QJsonArray{u"X-RateLimit-Remaining"_s, u"0"_s},
                   QJsonArray{u"X-RateLimit-Reset"_s, QString::number(kDateMs / 1000 + 9)},
                   QJsonArray{u"Date"_s, imf(kDateMs)}},
        QJsonArray{QJsonArray{u"X-RateLimit-Reset"_s, u"12"_s}},
    };
}

inline QJsonObject step(const char *outcome, int status, qint64 elapsedMs,
                        const QJsonArray &headers = {})
{
    // How long the attempt took: 0 to 2.4 s, below and above the first waits of every
    // preset (gRPC connection backoff subtracts it from its wait).
    const qint64 attemptMs = (elapsedMs * 7) % 2'500;
    QJsonObject s{{u"outcome"_s, QString::fromLatin1(outcome)},
                  {u"status"_s, status},
                  {u"elapsedUs"_s, elapsedMs * 1000},
                  {u"attemptUs"_s, attemptMs * 1000},
                  {u"receivedMs"_s, kReceivedMs}};
    if (!headers.isEmpty())
        s.insert(u"headers"_s, headers);
    return s;
}

// Outcome sequences: each step is the attempt that just ended and where the operation stands.
inline QList<QJsonArray> sequences()
{
    const auto ph = pushbackHeaders();
    QList<QJsonArray> out;
    QJsonArray failures;
    for (int i = 0; i < 16; ++i)
        failures.append(step("server-error", 503, 150 + 700 * i));
    out << failures;
    QJsonArray mixed;
    const char *outcomes[] = {
        "server-error", "timeout",      "connection-reset", "client-error", "connection-refused",
        "server-error", "server-error", "client-error",     "server-error", "server-error",
        "dns",          "tls",          "network-other",    "client-error", "server-error",
        "success"};
    const int statuses[] = {503, 0, 0, 429, 0, 502, 504, 409, 500, 503, 0, 0, 0, 408, 503, 200};
    for (int i = 0; i < 16; ++i)
        mixed.append(step(outcomes[i], statuses[i], 90 + 650 * i,
                          statuses[i] > 0 ? ph[(i * 5 + 1) % ph.size()] : QJsonArray{}));
    out << mixed;
    // Every pushback header after a 429 and a 503, one attempt each.
    QJsonArray pushed;
    for (int i = 0; i < ph.size(); ++i)
        pushed.append(
            step(i % 2 ? "client-error" : "server-error", i % 2 ? 429 : 503, 100 * i, ph[i]));
    out << pushed;
    // Server waits between plain failures: gRPC's backoff restarts after a pushback, botocore
    // bounds x-amz-retry-after by the backoff, Envoy jitters the Retry-After it reads.
    const auto h = [](const char *name, const char *value) {
        return header(QString::fromLatin1(name), QString::fromLatin1(value));
    };
    const QJsonArray between[] = {{},
                                  h("grpc-retry-pushback-ms", "250"),
                                  {},
                                  {},
                                  h("x-amz-retry-after", "1500"),
                                  h("Retry-After", "3"),
                                  h("x-amz-retry-after", "9000"),
                                  h("grpc-retry-pushback-ms", "0"),
                                  {},
                                  h("Retry-After", "1"),
                                  h("x-amz-retry-after", "10"),
                                  {},
                                  h("grpc-retry-pushback-ms", "-1"),
                                  {}};
    QJsonArray waits;
    for (int i = 0; i < int(std::size(between)); ++i)
        waits.append(step(i % 3 ? "server-error" : "client-error", i % 3 ? 503 : 429, 40 + 450 * i,
                          between[i]));
    out << waits;
    QJsonArray local{step("rejected-by-breaker", 0, 10), step("rejected-by-budget", 0, 20),
                     step("budget-exhausted", 0, 30),    step("cancelled", 0, 40),
                     step("client-error", 404, 50),      step("redirect", 302, 60)};
    QJsonObject rejected = step("rejected-by-breaker", 0, 70);
    rejected.insert(u"breakerOpenForUs"_s, 1'500'000);
    local.append(rejected);
    rejected.insert(u"breakerOpenForUs"_s, 40'000'000);
    local.append(rejected);
    out << local;
    return out;
}

inline QJsonObject policyWith(const std::function<void(retrylab::ClientPolicy &)> &edit)
{
    retrylab::ClientPolicy p;
    edit(p);
    return p.toJson();
}

inline QJsonArray decisionVectors()
{
    using namespace retrylab;
    QList<QPair<QString, QJsonObject>> policies;
    for (const PolicyPreset &p : policyPresets())
        policies.append({p.id, p.policy.toJson()});
    for (const QString &id : Backoff::ids()) {
        const BackoffKind kind = *Backoff::kindFromId(id);
        policies.append({QString(), policyWith([&](ClientPolicy &p) {
                             p.retry.backoff.kind = kind;
                             p.retry.maxAttempts = 16;
                             p.retry.totalBudget = std::chrono::seconds(60);
                         })});
        policies.append({QString(), policyWith([&](ClientPolicy &p) {
                             p.retry.backoff = {kind, std::chrono::milliseconds(250),
                                                std::chrono::seconds(3), 1.5, 0.5};
                             p.retry.backoff.firstRetryExponent = 1; // the AWS simulator's count
                             p.retry.maxAttempts = 12;
                             p.retry.totalBudget = std::chrono::seconds(8);
                             p.retry.overrun = OverrunMode::Stop;
                         })});
    }
    for (const RetryAfterMode mode : retryAfterModes()) {
        for (const bool stopOnOverrun : {false, true}) {
            policies.append({QString(), policyWith([&](ClientPolicy &p) {
                                 p.retry.retryAfterMode = mode;
                                 p.retry.retryAfterCap = std::chrono::seconds(4);
                                 p.retry.maxAttempts = 40;
                                 p.retry.totalBudget = std::chrono::seconds(12);
                                 p.retry.overrun =
                                     stopOnOverrun ? OverrunMode::Stop : OverrunMode::Shorten;
                                 p.retry.waitForBreaker = stopOnOverrun;
                                 p.retry.retryNonIdempotentWithoutKey = stopOnOverrun;
                                 p.retry.retryableFailures.insert(OutcomeClass::Dns);
                             })});
        }
    }
    QJsonArray out;
    const QList<QJsonArray> seqs = sequences();
    const char *seeds[] = {"1", "42", "18446744073709551557"};
    for (const auto &[preset, policy] : policies) {
        for (const QJsonArray &seq : seqs) {
            for (int m = 0; m < 3; ++m) {
                out.append(QJsonObject{{u"preset"_s, preset},
                                       {u"policy"_s, policy},
                                       {u"seed"_s, QString::fromLatin1(seeds[m])},
                                       {u"method"_s, m == 0 ? u"GET"_s : u"POST"_s},
                                       {u"keyed"_s, m == 1},
                                       {u"steps"_s, seq}});
            }
        }
    }
    return out;
}

// Calls against a breaker at seeded times: acquire, then the call's result if it was let
// through; now and then a late result from before the breaker opened.
inline QJsonArray breakerEvents(std::uint64_t seed, double failureShare)
{
    retrylab::RandomSource rng(seed);
    QJsonArray events;
    qint64 t = 0;
    for (int i = 0; i < 400; ++i) {
        t += static_cast<qint64>(rng.uniform(0.0, 600'000.0));
        events.append(QJsonObject{{u"t"_s, t}, {u"op"_s, u"acquire"_s}});
        const bool failed = rng.uniform() < failureShare;
        events.append(
            QJsonObject{{u"t"_s, t + 20'000}, {u"op"_s, failed ? u"failure"_s : u"success"_s}});
    }
    return events;
}

inline QJsonArray breakerVectors()
{
    using namespace retrylab;
    QList<QJsonObject> configs{
        QJsonObject{{u"rule"_s, u"consecutive-failures"_s},
                    {u"consecutiveFailures"_s, 3},
                    {u"openDurationMs"_s, 1000},
                    {u"openGrowth"_s, 2.0},
                    {u"maxOpenDurationMs"_s, 5000},
                    {u"halfOpenProbes"_s, 2}},
        QJsonObject{{u"rule"_s, u"failure-rate"_s},
                    {u"window"_s, u"count"_s},
                    {u"windowCalls"_s, 10},
                    {u"minimumCalls"_s, 5},
                    {u"failureRateThreshold"_s, 0.5},
                    {u"openDurationMs"_s, 2000}},
        QJsonObject{{u"rule"_s, u"failure-rate"_s},
                    {u"window"_s, u"time"_s},
                    {u"windowTimeMs"_s, 2000},
                    {u"minimumCalls"_s, 4},
                    {u"failureRateThreshold"_s, 0.4},
                    {u"openDurationMs"_s, 1500},
                    {u"openGrowth"_s, 1.5},
                    {u"maxOpenDurationMs"_s, 4000}},
        QJsonObject{{u"enabled"_s, false}},
    };
    for (const PolicyPreset &p : policyPresets())
        configs << p.policy.toJson()[u"breaker"_s].toObject();
    QJsonArray out;
    std::uint64_t seed = 7;
    for (const QJsonObject &c : configs)
        for (const double share : {0.2, 0.5, 0.8})
            out.append(QJsonObject{{u"config"_s, c}, {u"events"_s, breakerEvents(seed++, share)}});
    return out;
}

inline QJsonArray budgetVectors()
{
    using namespace retrylab;
    QList<QJsonObject> configs{
        QJsonObject{{u"kind"_s, u"token-bucket"_s}},
        QJsonObject{{u"kind"_s, u"token-bucket"_s}, {u"maxTokens"_s, 3.0}, {u"tokenRatio"_s, 0.5}},
        QJsonObject{{u"kind"_s, u"aws-quota"_s}},
        QJsonObject{{u"kind"_s, u"aws-quota"_s}, {u"quotaCapacity"_s, 20}},
        QJsonObject{{u"kind"_s, u"none"_s}},
    };
    for (const PolicyPreset &p : policyPresets())
        configs << p.policy.toJson()[u"budget"_s].toObject();
    QJsonArray out;
    RandomSource rng(99);
    for (const QJsonObject &c : configs) {
        QJsonArray events;
        for (int i = 0; i < 300; ++i) {
            const double u = rng.uniform();
            if (u < 0.35)
                events.append(QJsonObject{
                    {u"op"_s, u"acquire"_s},
                    {u"outcome"_s, rng.uniform() < 0.3 ? u"timeout"_s : u"server-error"_s}});
            else if (u < 0.7)
                events.append(QJsonObject{{u"op"_s, u"failed"_s}});
            else
                events.append(QJsonObject{{u"op"_s, u"success"_s},
                                          {u"cost"_s, rng.uniform() < 0.5 ? 0.0 : 5.0}});
        }
        out.append(QJsonObject{{u"config"_s, c}, {u"events"_s, events}});
    }
    return out;
}

} // namespace parity

inline QJsonObject parityVectors()
{
    using namespace parity;
    QJsonArray rng, keys, pushbacks;
    for (const char *seed : {"0", "1", "42", "5489", "9223372036854775808", "18446744073709551615"})
        rng.append(QJsonObject{{u"seed"_s, QString::fromLatin1(seed)}, {u"count"_s, 700}});
    for (const char *seed : {"1", "42", "18446744073709551557"})
        for (const qint64 client : {7, 123456})
            for (const bool keyed : {true, false})
                keys.append(QJsonObject{{u"seed"_s, QString::fromLatin1(seed)},
                                        {u"client"_s, client},
                                        {u"count"_s, 5},
                                        {u"keyed"_s, keyed}});
    for (const QJsonArray &h : pushbackHeaders())
        for (const int status : {429, 503, 200})
            pushbacks.append(QJsonObject{
                {u"status"_s, status}, {u"headers"_s, h}, {u"receivedMs"_s, kReceivedMs}});
    return {{u"rng"_s, rng},
            {u"decisions"_s, decisionVectors()},
            {u"breakers"_s, breakerVectors()},
            {u"budgets"_s, budgetVectors()},
            {u"pushbacks"_s, pushbacks},
            {u"keys"_s, keys}};
}
