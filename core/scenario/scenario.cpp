// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario.h"

#include "http/idempotency.h"
#include "json/json_file.h"
#include "json/json_reader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

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

namespace {
std::optional<KeyMode> keyModeFromId(const QString &id)
{
    for (const auto m : {KeyMode::None, KeyMode::PerOperation, KeyMode::PerAttempt})
        if (keyModeId(m) == id)
            return m;
    return std::nullopt;
}
} // namespace

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
         QJsonObject{{u"networkDelayMs"_s, toMs(networkDelay)}, {u"contention"_s, contention}}},
    };
    if (!expectations.isEmpty())
        o.insert(u"expectations"_s, expectations.toJson());
    if (!compare.isEmpty()) {
        QJsonArray list;
        for (const NamedPolicy &p : compare)
            list.append(QJsonObject{{u"name"_s, p.name}, {u"policy"_s, p.policy.toJson()}});
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
    s.name = name + u" — "_s + compare.at(i).name;
    return s;
}

std::optional<Scenario> Scenario::fromJson(const QJsonObject &json, FieldProblems *problems)
{
    FieldProblems local;
    FieldProblems &out = problems ? *problems : local;
    const auto before = out.size();
    Scenario s;
    const JsonReader root(json, {}, &out);
    root.rejectUnknown({u"version"_s, u"name"_s, u"description"_s, u"target"_s, u"request"_s,
                        u"load"_s, u"policy"_s, u"sharing"_s, u"clock"_s, u"seed"_s,
                        u"simulation"_s, u"expectations"_s, u"compare"_s});
    if (!root.has(u"version"_s))
        root.problem(u"version"_s, u"is missing (this program writes version %1)"_s.arg(kVersion));
    int version = kVersion;
    root.read(u"version"_s, version, 1, kVersion);
    root.read(u"name"_s, s.name);
    root.read(u"description"_s, s.description);

    const JsonReader target = root.child(u"target"_s);
    target.rejectUnknown({u"kind"_s, u"profile"_s, u"url"_s, u"allowInvalidCertificatesFor"_s});
    if (json.value(u"target"_s).toObject().contains(u"allowInvalidCertificatesFor"_s)) {
        const QJsonValue hosts =
            json.value(u"target"_s).toObject().value(u"allowInvalidCertificatesFor"_s);
        bool ok = hosts.isArray();
        for (const QJsonValue &h : hosts.toArray()) {
            ok = ok && h.isString() && !h.toString().trimmed().isEmpty();
            s.allowInvalidCertificates << h.toString().trimmed().toLower();
        }
        if (!ok)
            target.problem(u"allowInvalidCertificatesFor"_s, u"must be a list of host names"_s);
    }
    QString kind = u"builtin"_s;
    target.readId<QString>(u"kind"_s, kind,
                           [](const QString &v) -> std::optional<QString> {
                               if (v == u"builtin"_s || v == u"url"_s)
                                   return v;
                               return std::nullopt;
                           },
                           {u"builtin"_s, u"url"_s});
    s.builtinServer = kind == u"builtin"_s;
    const QJsonValue profile = json.value(u"target"_s).toObject().value(u"profile"_s);
    if (profile.isString()) {
        const auto ready = FaultProfile::ready(profile.toString());
        if (ready)
            s.profile = *ready;
        else
            target.problem(u"profile"_s,
                           u"no ready profile is called '%1' (there are: %2)"_s.arg(
                               profile.toString(), FaultProfile::readyProfiles().join(u", "_s)));
    } else if (profile.isObject()) {
        FieldProblems inner;
        if (auto p = FaultProfile::fromJson(profile.toObject(), &inner))
            s.profile = *p;
        for (const auto &p : inner)
            out.append({u"target.profile."_s + p.field, p.message});
    } else if (!profile.isUndefined()) {
        target.problem(u"profile"_s, u"must be a ready profile's name or a profile object"_s);
    }
    QString url;
    target.read(u"url"_s, url);
    if (!s.builtinServer) {
        s.url = QUrl(url, QUrl::StrictMode);
        if (!s.url.isValid() || (s.url.scheme() != u"http"_s && s.url.scheme() != u"https"_s) ||
            s.url.host().isEmpty())
            target.problem(u"url"_s,
                           u"'%1' is not an http:// or https:// URL with a host"_s.arg(url));
    }

    const JsonReader request = root.child(u"request"_s);
    request.rejectUnknown({u"method"_s, u"path"_s, u"headers"_s, u"body"_s, u"idempotencyKeys"_s});
    QString method = QString::fromLatin1(s.method);
    request.read(u"method"_s, method);
    static const QStringList methods{u"GET"_s,    u"HEAD"_s,  u"POST"_s,    u"PUT"_s,
                                     u"DELETE"_s, u"PATCH"_s, u"OPTIONS"_s, u"TRACE"_s};
    if (!methods.contains(method))
        request.problem(u"method"_s, u"must be one of: "_s + methods.join(u", "_s));
    s.method = method.toLatin1();
    request.read(u"path"_s, s.path);
    if (!s.path.startsWith(u'/'))
        request.problem(u"path"_s, u"must start with /"_s);
    request.readArray(u"headers"_s, [&s](const QJsonValue &v, int) -> QString {
        const QString name = v.toObject().value(u"name"_s).toString();
        const QString value = v.toObject().value(u"value"_s).toString();
        if (name.isEmpty() || name.contains(u':') || name.contains(u' '))
            return u"must be {\"name\": a header name, \"value\": text}"_s;
        if (value.contains(u'\n') || value.contains(u'\r'))
            return u"a header value cannot hold a line break"_s;
        s.headers.append({name.toLatin1(), value.toLatin1()});
        return {};
    });
    QString body;
    request.read(u"body"_s, body);
    s.body = body.toUtf8();
    request.readId<KeyMode>(u"idempotencyKeys"_s, s.keys, &keyModeFromId,
                            {u"none"_s, u"per-operation"_s, u"per-attempt"_s});

    const JsonReader load = root.child(u"load"_s);
    load.rejectUnknown({u"clients"_s, u"operationsPerClient"_s, u"arrivalRatePerSecond"_s,
                        u"durationMs"_s, u"staggerMs"_s, u"maxRecords"_s});
    load.read(u"clients"_s, s.clients, 1, 1'000'000);
    load.read(u"operationsPerClient"_s, s.operationsPerClient, 1, 100'000'000);
    load.read(u"arrivalRatePerSecond"_s, s.arrivalRatePerSecond, 0, 1e7);
    load.readMs(u"durationMs"_s, s.duration);
    load.readMs(u"staggerMs"_s, s.stagger);
    load.read(u"maxRecords"_s, s.maxRecords, 1, 500'000'000);

    FieldProblems policyProblems;
    if (json.contains(u"policy"_s)) {
        const QJsonObject policy = json.value(u"policy"_s).toObject();
        if (!json.value(u"policy"_s).isObject()) {
            root.problem(u"policy"_s, u"must be an object"_s);
        } else if (policy.contains(u"preset"_s)) {
            // A library preset by name: {"preset": "aws-sdk-standard"}.
            const QString id = policy.value(u"preset"_s).toString();
            if (policy.size() > 1)
                root.problem(u"policy"_s, u"a preset cannot be combined with other fields"_s);
            else if (const auto preset = findPreset(id))
                s.policy = preset->policy;
            else
                root.problem(u"policy.preset"_s, u"'%1' is not a preset (one of: %2)"_s.arg(id, [] {
                    QStringList ids;
                    for (const auto &p : policyPresets())
                        ids << p.id;
                    return ids.join(u", "_s);
                }()));
        } else if (auto p = ClientPolicy::fromJson(json.value(u"policy"_s).toObject(),
                                                   &policyProblems)) {
            s.policy = *p;
        }
        for (const auto &p : policyProblems)
            out.append({u"policy."_s + p.field, p.message});
    }
    if (json.contains(u"expectations"_s)) {
        if (!json.value(u"expectations"_s).isObject())
            root.problem(u"expectations"_s, u"must be an object"_s);
        else if (auto e = Expectations::fromJson(json.value(u"expectations"_s).toObject(), &out))
            s.expectations = *e;
    }
    if (json.contains(u"compare"_s)) {
        const QJsonValue list = json.value(u"compare"_s);
        if (!list.isArray() || list.toArray().size() > kMaxCompared) {
            root.problem(u"compare"_s,
                         u"must be a list of at most %1 named policies"_s.arg(kMaxCompared));
        } else {
            const QJsonArray entries = list.toArray();
            for (qsizetype i = 0; i < entries.size(); ++i) {
                const QString at = u"compare[%1]"_s.arg(i);
                const QJsonObject entry = entries.at(i).toObject();
                NamedPolicy named;
                named.name = entry.value(u"name"_s).toString();
                if (named.name.isEmpty())
                    out.append({at + u".name"_s, u"is missing: each policy needs a name"_s});
                for (auto k = entry.constBegin(); k != entry.constEnd(); ++k)
                    if (k.key() != u"name"_s && k.key() != u"policy"_s && k.key() != u"preset"_s)
                        out.append({at + u"."_s + k.key(), u"is not a known field"_s});
                if (entry.contains(u"preset"_s)) {
                    const QString id = entry.value(u"preset"_s).toString();
                    if (const auto preset = findPreset(id))
                        named.policy = preset->policy;
                    else
                        out.append({at + u".preset"_s, u"'%1' is not a preset"_s.arg(id)});
                } else if (entry.value(u"policy"_s).isObject()) {
                    FieldProblems found;
                    if (auto p =
                            ClientPolicy::fromJson(entry.value(u"policy"_s).toObject(), &found))
                        named.policy = *p;
                    for (const auto &p : found)
                        out.append({at + u".policy."_s + p.field, p.message});
                } else {
                    out.append({at, u"needs a \"policy\" object or a \"preset\" name"_s});
                }
                s.compare.append(named);
            }
        }
    }
    const JsonReader sharing = root.child(u"sharing"_s);
    sharing.rejectUnknown({u"breaker"_s, u"budget"_s});
    const auto perClientOrShared = [](const QString &v) -> std::optional<QString> {
        if (v == u"per-client"_s || v == u"shared"_s)
            return v;
        return std::nullopt;
    };
    QString breakerSharing = u"per-client"_s;
    QString budgetSharing = u"per-client"_s;
    sharing.readId<QString>(u"breaker"_s, breakerSharing, perClientOrShared,
                            {u"per-client"_s, u"shared"_s});
    sharing.readId<QString>(u"budget"_s, budgetSharing, perClientOrShared,
                            {u"per-client"_s, u"shared"_s});
    s.sharedBreaker = breakerSharing == u"shared"_s;
    s.sharedBudget = budgetSharing == u"shared"_s;
    QString clock = u"real"_s;
    root.readId<QString>(u"clock"_s, clock,
                         [](const QString &v) -> std::optional<QString> {
                             if (v == u"real"_s || v == u"simulated"_s)
                                 return v;
                             return std::nullopt;
                         },
                         {u"real"_s, u"simulated"_s});
    s.simulated = clock == u"simulated"_s;
    if (json.contains(u"seed"_s)) {
        const QJsonValue seed = json.value(u"seed"_s);
        bool ok = false;
        const quint64 n = seed.isString() ? seed.toString().toULongLong(&ok)
                                          : static_cast<quint64>(seed.toDouble(-1));
        ok = ok ||
             (seed.isDouble() && seed.toDouble() >= 0 && seed.toDouble() == static_cast<double>(n));
        if (!ok)
            root.problem(u"seed"_s, u"must be a whole number (as a number or a string)"_s);
        else
            s.seed = n;
    }
    const JsonReader sim = root.child(u"simulation"_s);
    sim.rejectUnknown({u"networkDelayMs"_s, u"contention"_s});
    sim.readMs(u"networkDelayMs"_s, s.networkDelay);
    sim.read(u"contention"_s, s.contention);
    if (!s.builtinServer && s.simulated)
        root.problem(u"clock"_s, u"simulated time needs the built-in server as the target"_s);
    if (out.size() != before)
        return std::nullopt;
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
