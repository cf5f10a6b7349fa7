// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario.h"

#include "http/idempotency.h"
#include "json/json_file.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

QString keyModeId(KeyMode m)
{
    switch (m) {
    case KeyMode::None:
        return u"none"_s;
    case KeyMode::PerOperation:
        return u"per-operation"_s;
    case KeyMode::PerAttempt:
        return u"per-attempt"_s;
    }
    return {};
}

std::optional<KeyMode> keyModeFromId(const QString &id)
{
    for (const auto m : {KeyMode::None, KeyMode::PerOperation, KeyMode::PerAttempt})
        if (keyModeId(m) == id)
            return m;
    return std::nullopt;
}

QJsonObject Scenario::toJson() const
{
    QJsonArray headerArray;
    for (const auto &[k, v] : headers)
        headerArray.append(
            QJsonObject{{u"name"_s, QString::fromLatin1(k)}, {u"value"_s, QString::fromLatin1(v)}});
    QJsonObject target{{u"kind"_s, builtinServer ? u"builtin"_s : u"url"_s}};
    if (builtinServer)
        target.insert(u"profile"_s, profile.toJson());
    else
        target.insert(u"url"_s, url.toString());
    if (!allowInvalidCertificates.isEmpty())
        target.insert(u"allowInvalidCertificatesFor"_s,
                      QJsonArray::fromStringList(allowInvalidCertificates));
    QJsonObject o{
        {u"version"_s, kVersion},
        {u"name"_s, name},
        {u"description"_s, description},
        {u"target"_s, target},
        {u"request"_s, QJsonObject{{u"method"_s, QString::fromLatin1(method)},
                                   {u"path"_s, path},
                                   {u"headers"_s, headerArray},
                                   {u"body"_s, QString::fromUtf8(body)},
                                   {u"idempotencyKeys"_s, keyModeId(keys)}}},
        {u"load"_s, QJsonObject{{u"clients"_s, clients},
                                {u"operationsPerClient"_s, operationsPerClient},
                                {u"arrivalRatePerSecond"_s, arrivalRatePerSecond},
                                {u"durationMs"_s, toMs(duration)},
                                {u"staggerMs"_s, toMs(stagger)},
                                {u"maxRecords"_s, maxRecords}}},
        {u"policy"_s, policy.toJson()},
        {u"sharing"_s, QJsonObject{{u"breaker"_s, sharedBreaker ? u"shared"_s : u"per-client"_s},
                                   {u"budget"_s, sharedBudget ? u"shared"_s : u"per-client"_s}}},
        {u"clock"_s, simulated ? u"simulated"_s : u"real"_s},
        {u"seed"_s, QString::number(seed)},
        {u"simulation"_s,
         QJsonObject{{u"networkDelay"_s, networkDelay.toJson()}, {u"contention"_s, contention}}},
    };
    o.insert(u"client"_s, client.toJson());
    if (!expectations.isEmpty())
        o.insert(u"expectations"_s, expectations.toJson());
    if (!compare.isEmpty()) {
        QJsonArray list;
        for (const NamedPolicy &p : compare) {
            QJsonObject entry{{u"name"_s, p.name}, {u"policy"_s, p.policy.toJson()}};
            if (!p.expectations.isEmpty())
                entry.insert(u"expectations"_s, p.expectations.toJson());
            list.append(entry);
        }
        o.insert(u"compare"_s, list);
    }
    return o;
}

FieldProblems Scenario::advise() const
{
    FieldProblems p;
    const RetryPolicy &r = policy.retry;
    // (Retrying POST without a key at all is the policy's own advice.)
    if (r.maxAttempts > 1 && !isIdempotentMethod(method) && keys == KeyMode::None &&
        !r.retryNonIdempotentWithoutKey)
        p.append({u"request.idempotencyKeys"_s,
                  u"%1 without an idempotency key is never retried: send keys to let it "
                  "retry safely"_s.arg(QString::fromLatin1(method))});
    if (keys == KeyMode::PerAttempt)
        p.append({u"request.idempotencyKeys"_s,
                  u"a new idempotency key on every attempt defeats the key: the server cannot "
                  "tell a retry from a new request"_s});
    // The method changed and the body stayed: it is sent as it is (as curl -X GET -d sends it).
    if (!body.isEmpty() && (method == "GET" || method == "HEAD"))
        p.append({u"request.body"_s,
                  u"a %1 with a body: the body is sent, and most servers ignore it; empty the "
                  "body or choose POST"_s.arg(QString::fromLatin1(method))});
    const bool jitterless =
        r.backoff.kind == BackoffKind::Fixed || r.backoff.kind == BackoffKind::Exponential;
    if (r.maxAttempts > 1 && jitterless && clients >= 10)
        p.append({u"policy.retry.backoff.kind"_s,
                  u"no jitter with %1 clients: clients that fail together retry together, in "
                  "synchronized waves"_s.arg(clients)});
    return p;
}

Scenario Scenario::variant(int i) const
{
    Scenario s = *this;
    s.compare.clear();
    s.policy = compare.at(i).policy;
    s.expectations = expectations.overriddenBy(compare.at(i).expectations);
    s.name = name + u" — "_s + compare.at(i).name;
    return s;
}

std::optional<Scenario> Scenario::load(const QString &fileName, QString *error)
{
    const auto json = readJsonObjectFile(fileName, error);
    if (!json)
        return std::nullopt;
    FieldProblems problems;
    auto scenario = fromJson(*json, &problems);
    if (!scenario && error)
        *error = describeProblems(fileName, problems);
    return scenario;
}

bool Scenario::save(const QString &fileName, QString *error) const
{
    return writeJsonFile(fileName, QJsonDocument(toJson()), error);
}

} // namespace retrylab
