// SPDX-License-Identifier: GPL-3.0-or-later
#include "fault_profile.h"

#include "json/json_file.h"
#include "json/json_reader.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

const QStringList kForms{u"seconds"_s, u"http-date"_s, u"rfc850"_s, u"asctime"_s, u"mixed"_s};
const QStringList kAwkward{u""_s,         u"zero"_s,    u"past-date"_s, u"negative"_s,
                           u"fraction"_s, u"garbage"_s, u"huge"_s,      u"two-headers"_s};
const QStringList kAlso{u"ratelimit"_s, u"x-ratelimit-reset-delta"_s, u"x-ratelimit-reset-epoch"_s,
                        u"x-amz-retry-after"_s};
// A script says what each attempt of an operation meets; no client makes this many.
constexpr int kMaxScriptSteps = 1000;
const QStringList kLatencyKinds{u"fixed"_s, u"uniform"_s, u"normal"_s, u"lognormal"_s};

QJsonArray intArray(const QList<int> &values)
{
    QJsonArray a;
    for (const int v : values)
        a.append(v);
    return a;
}

// The longest latency or slow body a profile may ask for: an hour, in milliseconds.
constexpr double kHourMs = 3600e3;

// "statuses": the weighted mix a route answers with.
void readStatuses(const JsonReader &in, QList<WeightedStatus> &out)
{
    QList<WeightedStatus> statuses;
    in.readArray(u"statuses"_s, [&statuses](const QJsonValue &v, int) -> QString {
        const QJsonObject o = v.toObject();
        const double code = o.value(u"status"_s).toDouble(-1);
        const double weight = o.value(u"weight"_s).toDouble(-1);
        if (!v.isObject() || !isWholeNumber(code, 100, 599))
            return u"must be {\"status\": 100..599, \"weight\": >= 0}"_s;
        if (!(weight >= 0.0) || !std::isfinite(weight) || weight > 1e12)
            return u"weight must be a number from 0 to 1e12"_s;
        statuses.append({static_cast<int>(code), weight});
        return {};
    });
    double total = 0;
    for (const auto &s : statuses)
        total += s.weight;
    if (!std::isfinite(total))
        in.problem(u"statuses"_s, u"the weights add up past the largest number"_s);
    else if (statuses.isEmpty() || total <= 0.0)
        in.problem(u"statuses"_s, u"needs at least one status with a weight above 0"_s);
    out = statuses;
}

// "retryAfter": when the route asks clients to wait, for how long and in which form.
void readRetryAfter(const JsonReader &ra, RetryAfterSpec &spec)
{
    ra.rejectUnknown(
        {u"on"_s, u"minSeconds"_s, u"maxSeconds"_s, u"form"_s, u"send"_s, u"awkward"_s, u"also"_s});
    if (ra.has(u"on"_s)) {
        QList<int> on;
        ra.readArray(u"on"_s, [&on](const QJsonValue &v, int) -> QString {
            const double d = v.toDouble(-1);
            if (!isWholeNumber(d, 100, 599))
                return u"must be a status code"_s;
            on << static_cast<int>(d);
            return {};
        });
        spec.on = on;
    }
    ra.read(u"minSeconds"_s, spec.minSeconds, 0, 86400);
    ra.read(u"maxSeconds"_s, spec.maxSeconds, 0, 86400);
    if (spec.maxSeconds < spec.minSeconds)
        ra.problem(u"maxSeconds"_s, u"is below minSeconds"_s);
    ra.readOneOf(u"form"_s, spec.form, kForms);
    ra.read(u"send"_s, spec.send);
    ra.readOneOf(u"awkward"_s, spec.awkward, kAwkward);
    if (ra.has(u"also"_s)) {
        QStringList also;
        ra.readArray(u"also"_s, [&also](const QJsonValue &v, int) -> QString {
            if (!kAlso.contains(v.toString()))
                return u"must be one of: "_s + kAlso.join(u", "_s);
            also << v.toString();
            return {};
        });
        spec.also = also;
    }
}

// "latency": how long the route takes to answer.
void readLatency(const JsonReader &lat, LatencySpec &l)
{
    lat.rejectUnknown({u"kind"_s, u"ms"_s, u"minMs"_s, u"maxMs"_s, u"meanMs"_s, u"stddevMs"_s,
                       u"medianMs"_s, u"sigma"_s});
    lat.readOneOf(u"kind"_s, l.kind, kLatencyKinds);
    lat.read(u"ms"_s, l.ms, 0, kHourMs);
    lat.read(u"minMs"_s, l.minMs, 0, kHourMs);
    lat.read(u"maxMs"_s, l.maxMs, 0, kHourMs);
    lat.read(u"meanMs"_s, l.meanMs, 0, kHourMs);
    lat.read(u"stddevMs"_s, l.stddevMs, 0, kHourMs);
    lat.read(u"medianMs"_s, l.medianMs, 0, kHourMs);
    lat.read(u"sigma"_s, l.sigma, 0, 10);
    if (l.kind == u"uniform"_s && l.maxMs < l.minMs)
        lat.problem(u"maxMs"_s, u"is below minMs"_s);
}

// "faults": each connection fault's chance; the route `in` is told when they add up past 1.
void readFaults(const JsonReader &in, ConnectionFaults &c)
{
    const JsonReader f = in.child(u"faults"_s);
    f.rejectUnknown({u"reset"_s, u"close"_s, u"hang"_s, u"truncate"_s, u"garbage"_s, u"slowBody"_s,
                     u"slowBodyChunks"_s, u"slowBodyMs"_s, u"commitThenLose"_s});
    for (auto [key, field] : {std::pair{u"reset"_s, &c.reset},
                              {u"close"_s, &c.close},
                              {u"hang"_s, &c.hang},
                              {u"truncate"_s, &c.truncate},
                              {u"garbage"_s, &c.garbage},
                              {u"slowBody"_s, &c.slowBody},
                              {u"commitThenLose"_s, &c.commitThenLose}})
        f.read(key, *field, 0.0, 1.0);
    f.read(u"slowBodyChunks"_s, c.slowBodyChunks, 1, 10000);
    f.read(u"slowBodyMs"_s, c.slowBodyMs, 0, kHourMs);
    if (c.total() > 1.0 + 1e-9)
        in.problem(u"faults"_s, u"the fault probabilities add up to more than 1"_s);
}

// "script": what each attempt of an operation meets, in order.
void readScript(const JsonReader &in, QList<ScriptStep> &out)
{
    QList<ScriptStep> script;
    in.readArray(u"script"_s, [&script](const QJsonValue &v, int) -> QString {
        QString error;
        const auto step = ScriptStep::fromJson(v, &error);
        if (step)
            script << *step;
        return error;
    });
    if (script.size() > kMaxScriptSteps)
        in.problem(u"script"_s, u"at most %1 steps"_s.arg(kMaxScriptSteps));
    out = script;
}

void readRoute(const JsonReader &in, RouteProfile &r)
{
    in.rejectUnknown({u"method"_s, u"path"_s, u"statuses"_s, u"retryAfter"_s, u"latency"_s,
                      u"faults"_s, u"failFirst"_s, u"script"_s});
    in.read(u"method"_s, r.method);
    in.read(u"path"_s, r.path);
    if (!r.path.startsWith(u'/') && r.path != u"*"_s)
        in.problem(u"path"_s, u"must start with / (or be *)"_s);
    if (in.has(u"statuses"_s))
        readStatuses(in, r.statuses);
    readRetryAfter(in.child(u"retryAfter"_s), r.retryAfter);
    readLatency(in.child(u"latency"_s), r.latency);
    readFaults(in, r.faults);

    const JsonReader ff = in.child(u"failFirst"_s);
    ff.rejectUnknown({u"count"_s, u"per"_s, u"status"_s});
    ff.read(u"count"_s, r.failFirst.count, 0, 1'000'000);
    ff.readOneOf(u"per"_s, r.failFirst.per, {u"key"_s, u"client"_s});
    ff.read(u"status"_s, r.failFirst.status, 100, 599);

    if (in.has(u"script"_s))
        readScript(in, r.script);
}

QJsonObject routeToJson(const RouteProfile &r)
{
    QJsonArray script;
    for (const auto &step : r.script)
        script.append(step.toJson());
    QJsonArray statuses;
    for (const auto &s : r.statuses)
        statuses.append(QJsonObject{{u"status"_s, s.status}, {u"weight"_s, s.weight}});
    const auto &a = r.retryAfter;
    const auto &l = r.latency;
    const auto &f = r.faults;
    return QJsonObject{
        {u"method"_s, r.method},
        {u"path"_s, r.path},
        {u"statuses"_s, statuses},
        {u"retryAfter"_s, QJsonObject{{u"on"_s, intArray(a.on)},
                                      {u"minSeconds"_s, a.minSeconds},
                                      {u"maxSeconds"_s, a.maxSeconds},
                                      {u"form"_s, a.form},
                                      {u"send"_s, a.send},
                                      {u"awkward"_s, a.awkward},
                                      {u"also"_s, QJsonArray::fromStringList(a.also)}}},
        {u"latency"_s, QJsonObject{{u"kind"_s, l.kind},
                                   {u"ms"_s, l.ms},
                                   {u"minMs"_s, l.minMs},
                                   {u"maxMs"_s, l.maxMs},
                                   {u"meanMs"_s, l.meanMs},
                                   {u"stddevMs"_s, l.stddevMs},
                                   {u"medianMs"_s, l.medianMs},
                                   {u"sigma"_s, l.sigma}}},
        {u"faults"_s, QJsonObject{{u"reset"_s, f.reset},
                                  {u"close"_s, f.close},
                                  {u"hang"_s, f.hang},
                                  {u"truncate"_s, f.truncate},
                                  {u"garbage"_s, f.garbage},
                                  {u"slowBody"_s, f.slowBody},
                                  {u"slowBodyChunks"_s, f.slowBodyChunks},
                                  {u"slowBodyMs"_s, f.slowBodyMs},
                                  {u"commitThenLose"_s, f.commitThenLose}}},
        {u"failFirst"_s, QJsonObject{{u"count"_s, r.failFirst.count},
                                     {u"per"_s, r.failFirst.per},
                                     {u"status"_s, r.failFirst.status}}},
        {u"script"_s, script},
    };
}

} // namespace

bool RouteProfile::matches(QStringView m, QStringView p) const
{
    if (method != u"*"_s && m.compare(method, Qt::CaseInsensitive) != 0)
        return false;
    if (path == u"*"_s)
        return true;
    if (path.endsWith(u'*'))
        return p.startsWith(QStringView(path).chopped(1));
    return p == path;
}

const RouteProfile *FaultProfile::route(QStringView method, QStringView path) const
{
    for (const auto &r : routes)
        if (r.matches(method, path))
            return &r;
    return nullptr;
}

QJsonObject FaultProfile::toJson() const
{
    QJsonArray routeArray;
    for (const auto &r : routes)
        routeArray.append(routeToJson(r));
    QJsonArray outageArray;
    for (const auto &o : outages)
        outageArray.append(QJsonObject{
            {u"startMs"_s, toMs(o.start)}, {u"endMs"_s, toMs(o.end)}, {u"status"_s, o.status}});
    return QJsonObject{
        {u"version"_s, 1},
        {u"name"_s, name},
        {u"description"_s, description},
        {u"routes"_s, routeArray},
        {u"outages"_s, outageArray},
        {u"capacity"_s, QJsonObject{{u"maxConcurrent"_s, capacity.maxConcurrent},
                                    {u"ratePerSecond"_s, capacity.ratePerSecond},
                                    {u"burst"_s, capacity.burst},
                                    {u"status"_s, capacity.status},
                                    {u"retryAfterSeconds"_s, capacity.retryAfterSeconds}}},
        {u"idempotency"_s, QJsonObject{{u"mode"_s, idempotency.mode},
                                       {u"required"_s, idempotency.required},
                                       {u"retentionMs"_s, toMs(idempotency.retention)}}},
        {u"limits"_s, QJsonObject{{u"maxHeaderBytes"_s, limits.maxHeaderBytes},
                                  {u"maxBodyBytes"_s, static_cast<double>(limits.maxBodyBytes)},
                                  {u"idleTimeoutMs"_s, toMs(limits.idleTimeout)},
                                  {u"hangMaxMs"_s, toMs(limits.hangMax)},
                                  {u"headerTimeoutMs"_s, toMs(limits.headerTimeout)},
                                  {u"maxConnections"_s, limits.maxConnections},
                                  {u"journalCapacity"_s, limits.journalCapacity}}},
    };
}

std::optional<FaultProfile> FaultProfile::fromJson(const QJsonObject &json, FieldProblems *problems)
{
    FieldProblems local;
    FieldProblems &out = problems ? *problems : local;
    const auto before = out.size();
    FaultProfile p;
    const JsonReader root(json, {}, &out);
    root.rejectUnknown({u"version"_s, u"name"_s, u"description"_s, u"routes"_s, u"outages"_s,
                        u"capacity"_s, u"idempotency"_s, u"limits"_s});
    int version = 1;
    root.read(u"version"_s, version, 1, 1);
    root.read(u"name"_s, p.name);
    root.read(u"description"_s, p.description);
    if (root.has(u"routes"_s)) {
        p.routes.clear();
        const QJsonValue routes = json.value(u"routes"_s);
        if (!routes.isArray()) {
            root.problem(u"routes"_s, u"must be an array"_s);
        } else {
            const QJsonArray a = routes.toArray();
            for (int i = 0; i < a.size(); ++i) {
                RouteProfile r;
                if (!a.at(i).isObject()) {
                    root.problem(u"routes[%1]"_s.arg(i), u"must be an object"_s);
                    continue;
                }
                readRoute(JsonReader(a.at(i).toObject(), u"routes[%1]"_s.arg(i), &out), r);
                p.routes << r;
            }
        }
    }
    if (root.has(u"outages"_s)) {
        root.readArray(u"outages"_s, [&p](const QJsonValue &v, int) -> QString {
            const QJsonObject o = v.toObject();
            const double start = o.value(u"startMs"_s).toDouble(-1);
            const double end = o.value(u"endMs"_s).toDouble(-1);
            const double status = o.value(u"status"_s).toDouble(503);
            if (!v.isObject() || !(start >= 0) || !(end > start))
                return u"must be {\"startMs\": >= 0, \"endMs\": > startMs}"_s;
            if (!isWholeNumber(status, 100, 599))
                return u"status must be a status code"_s;
            p.outages << OutageWindow{fromMs(start), fromMs(end), static_cast<int>(status)};
            return {};
        });
    }
    const JsonReader cap = root.child(u"capacity"_s);
    cap.rejectUnknown(
        {u"maxConcurrent"_s, u"ratePerSecond"_s, u"burst"_s, u"status"_s, u"retryAfterSeconds"_s});
    cap.read(u"maxConcurrent"_s, p.capacity.maxConcurrent, 0, 1'000'000);
    cap.read(u"ratePerSecond"_s, p.capacity.ratePerSecond, 0, 1e7);
    cap.read(u"burst"_s, p.capacity.burst, 0, 1e7);
    cap.read(u"status"_s, p.capacity.status, 100, 599);
    cap.read(u"retryAfterSeconds"_s, p.capacity.retryAfterSeconds, 0, 86400);
    const JsonReader idem = root.child(u"idempotency"_s);
    idem.rejectUnknown({u"mode"_s, u"required"_s, u"retentionMs"_s});
    idem.readOneOf(u"mode"_s, p.idempotency.mode, {u"ietf"_s, u"stripe"_s});
    idem.read(u"required"_s, p.idempotency.required);
    idem.readMs(u"retentionMs"_s, p.idempotency.retention);
    const JsonReader lim = root.child(u"limits"_s);
    lim.rejectUnknown({u"maxHeaderBytes"_s, u"maxBodyBytes"_s, u"idleTimeoutMs"_s, u"hangMaxMs"_s,
                       u"headerTimeoutMs"_s, u"maxConnections"_s, u"journalCapacity"_s});
    lim.read(u"maxHeaderBytes"_s, p.limits.maxHeaderBytes, limits::kMinServerHeaderBytes,
             limits::kMaxServerHeaderBytes);
    double maxBody = static_cast<double>(p.limits.maxBodyBytes);
    lim.read(u"maxBodyBytes"_s, maxBody, 0, double(limits::kMaxServerBodyBytes));
    p.limits.maxBodyBytes = static_cast<qint64>(maxBody);
    lim.readMs(u"idleTimeoutMs"_s, p.limits.idleTimeout);
    lim.readMs(u"hangMaxMs"_s, p.limits.hangMax);
    lim.readMs(u"headerTimeoutMs"_s, p.limits.headerTimeout);
    lim.read(u"maxConnections"_s, p.limits.maxConnections, 1, 1'000'000);
    lim.read(u"journalCapacity"_s, p.limits.journalCapacity, 1, limits::kMaxJournalCapacity);
    if (out.size() != before)
        return std::nullopt;
    return p;
}

std::optional<FaultProfile> FaultProfile::load(const QString &path, QString *error)
{
    const auto json = readJsonObjectFile(path, error);
    if (!json)
        return std::nullopt;
    FieldProblems problems;
    auto profile = fromJson(*json, &problems);
    if (!profile && error)
        *error = describeProblems(path, problems);
    return profile;
}

bool FaultProfile::save(const QString &path, QString *error) const
{
    return writeJsonFile(path, QJsonDocument(toJson()), error);
}

QStringList FaultProfile::readyProfiles()
{
    QStringList names;
    for (const QString &file : QDir(u":/profiles"_s).entryList({u"*.json"_s}, QDir::Files))
        names << file.chopped(5);
    return names;
}

std::optional<FaultProfile> FaultProfile::ready(const QString &name)
{
    return load(u":/profiles/%1.json"_s.arg(name), nullptr);
}

} // namespace retrylab
