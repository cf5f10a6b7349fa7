// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario::fromJson: one reader per section of the scenario file. A new section gets a reader
// here and a line in fromJson; each reader reports through the JsonReader it is given, so every
// problem names its full path.
#include "base/limits.h"
#include "http/pushback.h"
#include "http/wire/wire_syntax.h"
#include "json/json_reader.h"
#include "scenario.h"

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QString presetIds()
{
    QStringList ids;
    for (const auto &p : policyPresets())
        ids << p.id;
    return ids.join(u", "_s);
}

// A policy given either as a library preset's id under "preset" ({"preset":
// "aws-sdk-standard"}) or as a policy object: under `policyKey`, or, with an empty key, the
// object `in` reads itself. The top-level policy and each compared policy both read here.
void readPresetOrPolicy(const JsonReader &in, const QString &policyKey, ClientPolicy &out)
{
    if (in.has(u"preset"_s)) {
        const QString id = in.value(u"preset"_s).toString();
        if (const auto preset = findPreset(id))
            out = preset->policy;
        else
            in.problem(u"preset"_s, u"'%1' is not a preset (one of: %2)"_s.arg(id, presetIds()));
        return;
    }
    const QJsonValue policy = policyKey.isEmpty() ? QJsonValue(in.object()) : in.value(policyKey);
    if (!policy.isObject()) {
        in.problem({}, u"needs a \"policy\" object or a \"preset\" name"_s);
        return;
    }
    FieldProblems inner;
    if (auto p = ClientPolicy::fromJson(policy.toObject(), &inner))
        out = *p;
    in.adopt(policyKey, inner);
}

void readHeader(const JsonReader &root, Scenario &s)
{
    root.rejectUnknown({u"version"_s, u"name"_s, u"description"_s, u"target"_s, u"request"_s,
                        u"load"_s, u"policy"_s, u"sharing"_s, u"clock"_s, u"seed"_s,
                        u"simulation"_s, u"expectations"_s, u"compare"_s, u"client"_s});
    if (!root.has(u"version"_s))
        root.problem(u"version"_s,
                     u"is missing (this program writes version %1)"_s.arg(Scenario::kVersion));
    int version = Scenario::kVersion;
    root.read(u"version"_s, version, 1, Scenario::kVersion);
    root.read(u"name"_s, s.name);
    root.read(u"description"_s, s.description);
}

void readProfile(const JsonReader &target, Scenario &s)
{
    const QJsonValue profile = target.value(u"profile"_s);
    if (profile.isString()) {
        if (const auto ready = FaultProfile::ready(profile.toString()))
            s.profile = *ready;
        else
            target.problem(u"profile"_s,
                           u"no ready profile is called '%1' (there are: %2)"_s.arg(
                               profile.toString(), FaultProfile::readyProfiles().join(u", "_s)));
    } else if (profile.isObject()) {
        FieldProblems inner;
        if (auto p = FaultProfile::fromJson(profile.toObject(), &inner))
            s.profile = *p;
        target.adopt(u"profile"_s, inner);
    } else if (!profile.isUndefined()) {
        target.problem(u"profile"_s, u"must be a ready profile's name or a profile object"_s);
    }
}

void readTarget(const JsonReader &target, Scenario &s)
{
    target.rejectUnknown({u"kind"_s, u"profile"_s, u"url"_s, u"allowInvalidCertificatesFor"_s});
    if (target.has(u"allowInvalidCertificatesFor"_s)) {
        const QJsonValue hosts = target.value(u"allowInvalidCertificatesFor"_s);
        bool ok = hosts.isArray();
        for (const QJsonValue &h : hosts.toArray()) {
            ok = ok && h.isString() && !h.toString().trimmed().isEmpty();
            s.allowInvalidCertificates << h.toString().trimmed().toLower();
        }
        if (!ok)
            target.problem(u"allowInvalidCertificatesFor"_s, u"must be a list of host names"_s);
    }
    QString kind = u"builtin"_s;
    target.readOneOf(u"kind"_s, kind, {u"builtin"_s, u"url"_s});
    s.builtinServer = kind == u"builtin"_s;
    readProfile(target, s);
    QString url;
    target.read(u"url"_s, url);
    if (!s.builtinServer) {
        s.url = QUrl(url, QUrl::StrictMode);
        // "example.com/x" and "localhost:8080" (whose "scheme" would be "localhost").
        const bool noScheme = !url.trimmed().isEmpty() && !url.contains(u":/"_s);
        if (noScheme)
            target.problem(u"url"_s, u"'%1' has no scheme: write http://%1 or https://%1"_s.arg(
                                         url.trimmed()));
        else if (!s.url.isValid() ||
                 (s.url.scheme() != u"http"_s && s.url.scheme() != u"https"_s) ||
                 s.url.host().isEmpty())
            target.problem(u"url"_s,
                           u"'%1' is not an http:// or https:// URL with a host"_s.arg(url));
    }
}

void readRequest(const JsonReader &request, Scenario &s)
{
    request.rejectUnknown({u"method"_s, u"path"_s, u"headers"_s, u"body"_s, u"idempotencyKeys"_s});
    QString method = QString::fromLatin1(s.method);
    request.readOneOf(u"method"_s, method,
                      {u"GET"_s, u"HEAD"_s, u"POST"_s, u"PUT"_s, u"DELETE"_s, u"PATCH"_s,
                       u"OPTIONS"_s, u"TRACE"_s});
    s.method = method.toLatin1();
    request.read(u"path"_s, s.path);
    if (!s.path.startsWith(u'/'))
        request.problem(u"path"_s, u"must start with /"_s);
    request.readArray(u"headers"_s, [&s](const QJsonValue &v, int) -> QString {
        const QString name = v.toObject().value(u"name"_s).toString();
        const QString value = v.toObject().value(u"value"_s).toString();
        // What goes on the wire as given: a name that is not a token or a value with a control
        // character would let one header smuggle another (or a second request) in.
        const QByteArray n = name.toLatin1();
        const QByteArray val = value.toLatin1();
        if (!wire::isToken(n))
            return u"must be {\"name\": a header name, \"value\": text}"_s;
        if (!wire::validFieldValue(val))
            return u"a header value cannot hold a line break or another control character"_s;
        s.headers.append({n, val});
        return {};
    });
    if (s.headers.size() > limits::kMaxRequestHeaders ||
        formatHeaderBlock(s.headers).size() > limits::kMaxRequestHeaderBytes)
        request.problem(u"headers"_s,
                        u"at most %1 headers of %2 bytes in all"_s.arg(limits::kMaxRequestHeaders)
                            .arg(limits::kMaxRequestHeaderBytes));
    QString body;
    request.read(u"body"_s, body);
    s.body = body.toUtf8();
    if (s.body.size() > limits::kMaxRequestBodyBytes)
        request.problem(
            u"body"_s,
            u"%1 bytes; at most %2"_s.arg(s.body.size()).arg(limits::kMaxRequestBodyBytes));
    request.readId<KeyMode>(u"idempotencyKeys"_s, s.keys, &keyModeFromId,
                            {u"none"_s, u"per-operation"_s, u"per-attempt"_s});
}

void readLoad(const JsonReader &load, Scenario &s)
{
    load.rejectUnknown({u"clients"_s, u"operationsPerClient"_s, u"arrivalRatePerSecond"_s,
                        u"durationMs"_s, u"staggerMs"_s, u"maxRecords"_s});
    load.read(u"clients"_s, s.clients, 1, limits::kMaxClients);
    load.read(u"operationsPerClient"_s, s.operationsPerClient, 1, limits::kMaxOperationsPerClient);
    load.read(u"arrivalRatePerSecond"_s, s.arrivalRatePerSecond, 0,
              limits::kMaxArrivalRatePerSecond);
    load.readMs(u"durationMs"_s, s.duration);
    load.readMs(u"staggerMs"_s, s.stagger);
    load.read(u"maxRecords"_s, s.maxRecords, 1, limits::kMaxRecords);
}

void readPolicy(const JsonReader &root, Scenario &s)
{
    if (!root.has(u"policy"_s))
        return;
    const JsonReader policy = root.child(u"policy"_s); // says so when it is not an object
    if (!root.value(u"policy"_s).isObject())
        return;
    if (policy.has(u"preset"_s) && policy.object().size() > 1)
        root.problem(u"policy"_s, u"a preset cannot be combined with other fields"_s);
    else
        readPresetOrPolicy(policy, {}, s.policy);
}

// The scenario's expectations, or (in a compared policy's entry) that policy's own.
void readExpectations(const JsonReader &in, Expectations &out)
{
    const JsonReader expectations = in.child(u"expectations"_s); // says so when not an object
    FieldProblems inner;
    if (auto e = Expectations::fromJson(expectations.object(), &inner))
        out = *e;
    in.adopt(u"expectations"_s, inner);
}

void readCompare(const JsonReader &root, Scenario &s, FieldProblems *problems)
{
    if (!root.has(u"compare"_s))
        return;
    const QJsonValue list = root.value(u"compare"_s);
    if (!list.isArray() || list.toArray().size() > Scenario::kMaxCompared) {
        root.problem(u"compare"_s,
                     u"must be a list of at most %1 named policies"_s.arg(Scenario::kMaxCompared));
        return;
    }
    const QJsonArray entries = list.toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const JsonReader entry(entries.at(i).toObject(), u"compare[%1]"_s.arg(i), problems);
        entry.rejectUnknown({u"name"_s, u"policy"_s, u"preset"_s, u"expectations"_s});
        NamedPolicy named;
        named.name = entry.value(u"name"_s).toString();
        if (named.name.isEmpty())
            entry.problem(u"name"_s, u"is missing: each policy needs a name"_s);
        readPresetOrPolicy(entry, u"policy"_s, named.policy);
        readExpectations(entry, named.expectations);
        s.compare.append(named);
    }
}

void readSharing(const JsonReader &sharing, Scenario &s)
{
    sharing.rejectUnknown({u"breaker"_s, u"budget"_s});
    const QStringList allowed{u"per-client"_s, u"shared"_s};
    QString breaker = u"per-client"_s;
    QString budget = u"per-client"_s;
    sharing.readOneOf(u"breaker"_s, breaker, allowed);
    sharing.readOneOf(u"budget"_s, budget, allowed);
    s.sharedBreaker = breaker == u"shared"_s;
    s.sharedBudget = budget == u"shared"_s;
}

// The seed is written as a string (a 64-bit number does not survive a JSON double) but a
// person may write a small one as a number.
void readSeed(const JsonReader &root, Scenario &s)
{
    if (!root.has(u"seed"_s))
        return;
    const QJsonValue seed = root.value(u"seed"_s);
    bool ok = false;
    quint64 n = 0;
    if (seed.isString()) {
        n = seed.toString().toULongLong(&ok);
    } else if (seed.isDouble()) {
        // Only what a double holds exactly, checked before the cast: casting a negative or a
        // too large double to quint64 is undefined behaviour.
        const double d = seed.toDouble();
        ok = d >= 0 && d <= 9007199254740992.0 && d == std::floor(d); // 2^53
        n = ok ? static_cast<quint64>(d) : 0;
    }
    if (!ok)
        root.problem(u"seed"_s,
                     u"must be a whole number (as a string, or as a number up to 2^53)"_s);
    else
        s.seed = n;
}

constexpr double kMaxNetworkDelayMs = 3600e3;

// {"kind": "samples", "ms": [...]}: measured one-way delays (a probe run's round trips,
// halved), each drawn as likely as the others.
void readDelaySamples(const JsonReader &d, Scenario &s)
{
    std::vector<double> ms;
    d.readArray(u"ms"_s, [&ms](const QJsonValue &v, int) {
        const double x = v.toDouble(-1);
        if (!v.isDouble() || !(x >= 0 && x <= kMaxNetworkDelayMs))
            return u"must be a number of milliseconds from 0 to %1"_s.arg(kMaxNetworkDelayMs);
        ms.push_back(x);
        return QString();
    });
    if (!d.has(u"ms"_s) || d.value(u"ms"_s).toArray().isEmpty())
        d.problem(u"ms"_s, u"must be a list of at least one delay in milliseconds"_s);
    else if (!ms.empty())
        s.networkDelay = NetworkDelay::samples(std::move(ms));
}

// "networkDelay": a number of milliseconds, or a distribution drawn for every one-way message
// (core/transport/README.md, "Network model").
void readNetworkDelay(const JsonReader &sim, Scenario &s)
{
    const QJsonValue v = sim.value(u"networkDelay"_s);
    if (v.isUndefined())
        return;
    if (v.isDouble()) {
        double ms = 0;
        sim.read(u"networkDelay"_s, ms, 0.0, kMaxNetworkDelayMs);
        s.networkDelay = NetworkDelay::fixed(ms);
        return;
    }
    if (!v.isObject()) {
        sim.problem(u"networkDelay"_s,
                    u"must be a number of milliseconds or a distribution such as "
                    "{\"kind\": \"normal\", \"meanMs\": 10, \"sdMs\": 2}"_s);
        return;
    }
    const JsonReader d = sim.child(u"networkDelay"_s);
    QString kind;
    if (!d.has(u"kind"_s))
        d.problem(u"kind"_s,
                  u"is missing (one of: %1)"_s.arg(NetworkDelay::kindIds().join(u", "_s)));
    d.readOneOf(u"kind"_s, kind, NetworkDelay::kindIds());
    const auto need = [&d](const QString &key, double min, double max) {
        double value = -1;
        if (!d.has(key))
            d.problem(key, u"is missing"_s);
        d.read(key, value, min, max);
        return value;
    };
    const double top = kMaxNetworkDelayMs;
    if (kind == u"fixed"_s) {
        d.rejectUnknown({u"kind"_s, u"ms"_s});
        s.networkDelay = NetworkDelay::fixed(need(u"ms"_s, 0, top));
    } else if (kind == u"normal"_s) {
        d.rejectUnknown({u"kind"_s, u"meanMs"_s, u"sdMs"_s});
        const double mean = need(u"meanMs"_s, 0, top);
        s.networkDelay = NetworkDelay::normal(mean, need(u"sdMs"_s, 0, top));
    } else if (kind == u"lognormal"_s) {
        d.rejectUnknown({u"kind"_s, u"medianMs"_s, u"sigma"_s});
        const double median = need(u"medianMs"_s, 0, top);
        s.networkDelay = NetworkDelay::lognormal(median, need(u"sigma"_s, 0, 10));
    } else if (kind == u"uniform"_s) {
        d.rejectUnknown({u"kind"_s, u"minMs"_s, u"maxMs"_s});
        const double lo = need(u"minMs"_s, 0, top);
        const double hi = need(u"maxMs"_s, 0, top);
        if (hi < lo)
            d.problem(u"maxMs"_s, u"is below minMs"_s);
        s.networkDelay = NetworkDelay::uniform(lo, hi);
    } else if (kind == u"samples"_s) {
        d.rejectUnknown({u"kind"_s, u"ms"_s});
        readDelaySamples(d, s);
    }
}

void readClock(const JsonReader &root, Scenario &s)
{
    QString clock = u"real"_s;
    root.readOneOf(u"clock"_s, clock, {u"real"_s, u"simulated"_s});
    s.simulated = clock == u"simulated"_s;
    readSeed(root, s);
    const JsonReader sim = root.child(u"simulation"_s);
    sim.rejectUnknown({u"networkDelay"_s, u"networkDelayMs"_s, u"contention"_s});
    if (sim.has(u"networkDelay"_s) && sim.has(u"networkDelayMs"_s))
        sim.problem(u"networkDelayMs"_s,
                    u"give the delay once: \"networkDelay\" replaces \"networkDelayMs\""_s);
    // Files written before the network model hold a fixed delay under its old name.
    if (sim.has(u"networkDelayMs"_s)) {
        double ms = s.networkDelay.meanMs();
        sim.read(u"networkDelayMs"_s, ms, 0.0, kMaxNetworkDelayMs);
        s.networkDelay = NetworkDelay::fixed(ms);
    }
    readNetworkDelay(sim, s);
    sim.read(u"contention"_s, s.contention);
}

} // namespace

std::optional<Scenario> Scenario::fromJson(const QJsonObject &json, FieldProblems *problems)
{
    FieldProblems local;
    FieldProblems &out = problems ? *problems : local;
    const auto before = out.size();
    Scenario s;
    const JsonReader root(json, {}, &out);
    readHeader(root, s);
    readTarget(root.child(u"target"_s), s);
    readRequest(root.child(u"request"_s), s);
    readLoad(root.child(u"load"_s), s);
    readPolicy(root, s);
    readExpectations(root, s.expectations);
    readCompare(root, s, &out);
    readSharing(root.child(u"sharing"_s), s);
    readClock(root, s);
    ClientOptions::read(root.child(u"client"_s), s.client);
    if (!s.builtinServer && s.simulated)
        root.problem(u"clock"_s, u"simulated time needs the built-in server as the target"_s);
    if (out.size() != before)
        return std::nullopt;
    return s;
}

} // namespace retrylab
