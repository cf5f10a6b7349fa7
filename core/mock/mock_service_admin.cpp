// SPDX-License-Identifier: GPL-3.0-or-later
// MockService's admin API, under /__admin/: for scripts that drive the server.
#include "http_wire.h"
#include "mock_service_parsed.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QJsonArray problemsJson(const FieldProblems &problems)
{
    QJsonArray a;
    for (const auto &p : problems)
        a.append(QJsonObject{{u"field"_s, p.field}, {u"message"_s, p.message}});
    return a;
}

} // namespace

// What an admin route answers; handleAdmin sends it.
struct MockService::AdminReply {
    AdminReply(int code, QByteArray content, HeaderList extra = {})
        : status(code)
        , body(std::move(content))
        , headers(std::move(extra))
    {}

    int status;
    QByteArray body;
    HeaderList headers;

    // A 405 that names the methods the route takes.
    static AdminReply notAllowed(const char *methods)
    {
        return {405,
                wire::errorBody(405, u"allowed: %1"_s.arg(QLatin1String(methods))),
                {{"Allow", methods}}};
    }
};

// GET the profile, or PUT a new one: a bad one is refused with its problems and the old kept.
MockService::AdminReply MockService::adminProfile(const Parsed &in)
{
    if (in.method == u"GET"_s)
        return {200, wire::json(profile().toJson())};
    if (in.method != u"PUT"_s)
        return AdminReply::notAllowed("GET, PUT");
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(in.request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return {400, wire::json(
                         QJsonObject{{u"error"_s, u"the body is not a JSON object: %1 at byte %2"_s
                                                      .arg(parseError.errorString())
                                                      .arg(parseError.offset)}})};
    FieldProblems problems;
    const auto next = FaultProfile::fromJson(doc.object(), &problems);
    if (!next)
        return {400, wire::json(QJsonObject{{u"error"_s, u"invalid profile; the old one is kept"_s},
                                            {u"problems"_s, problemsJson(problems)}})};
    setProfile(*next);
    if (m_profileListener)
        m_profileListener(*next);
    return {200, wire::json(profile().toJson())};
}

// GET the journal from id `since`, at most `limit` entries, as a JSON array or JSON Lines.
MockService::AdminReply MockService::adminJournal(const Parsed &in) const
{
    if (in.method != u"GET"_s)
        return AdminReply::notAllowed("GET");
    bool ok = true;
    const QString sinceText = in.query.queryItemValue(u"since"_s);
    const qint64 since = sinceText.isEmpty() ? 0 : sinceText.toLongLong(&ok);
    if (!ok || since < 0)
        return {400, wire::errorBody(400, u"since must be a journal id (a whole number)"_s)};
    const QString limitText = in.query.queryItemValue(u"limit"_s);
    const int limit = limitText.isEmpty() ? 100'000 : limitText.toInt(&ok);
    if (!ok || limit < 1)
        return {400, wire::errorBody(400, u"limit must be a whole number above 0"_s)};
    const auto entries = m_journal.since(since, limit);
    if (in.query.queryItemValue(u"format"_s) == u"jsonl"_s) {
        QByteArray lines;
        for (const auto &e : entries)
            e.appendJsonLine(lines);
        return {200, lines};
    }
    QJsonArray a;
    for (const auto &e : entries)
        a.append(e.toJson());
    return {200, QJsonDocument(a).toJson(QJsonDocument::Compact) + '\n'};
}

// GET the report cards; `maxAttempts` in the query overrides the configured one.
MockService::AdminReply MockService::adminGrades(const Parsed &in) const
{
    if (in.method != u"GET"_s)
        return AdminReply::notAllowed("GET");
    GradeOptions options = m_gradeOptions;
    const QString max = in.query.queryItemValue(u"maxAttempts"_s);
    bool ok = true;
    if (!max.isEmpty())
        options.statedMaxAttempts = max.toInt(&ok);
    if (!ok || options.statedMaxAttempts < 0)
        return {400, wire::errorBody(400, u"maxAttempts must be a whole number"_s)};
    return {200, wire::json(grades(options).toJson())};
}

// POST an outage of `seconds` from now.
MockService::AdminReply MockService::adminOutage(const Parsed &in, Duration now)
{
    if (in.method != u"POST"_s)
        return AdminReply::notAllowed("POST");
    bool ok = false;
    const double seconds = in.query.queryItemValue(u"seconds"_s).toDouble(&ok);
    if (!ok || !(seconds > 0) || seconds > 86400)
        return {400, wire::errorBody(400, u"seconds must be a number from 0 to 86400, "
                                          "e.g. /__admin/outage?seconds=10"_s)};
    takeDown(now, fromMs(seconds * 1000.0));
    return {200, wire::json(QJsonObject{{u"outageSeconds"_s, seconds}})};
}

void MockService::handleAdmin(const Parsed &in, MockExchange &x, Duration now)
{
    const QString route = in.path.mid(QStringView(u"/__admin/").size());
    const auto send = [&](const AdminReply &reply) {
        answer(x, reply.status, u"admin"_s, reply.body, reply.headers);
    };
    QString why;
    if (const int refusal = m_admin.check(in.request.headers, &why)) {
        return send({refusal, wire::errorBody(refusal, why),
                     refusal == 401 ? HeaderList{{"WWW-Authenticate", "Bearer"}} : HeaderList{}});
    }
    if (route == u"profile"_s)
        return send(adminProfile(in));
    if (route == u"journal"_s)
        return send(adminJournal(in));
    if (route == u"grades"_s)
        return send(adminGrades(in));
    if (route == u"stats"_s) {
        if (in.method != u"GET"_s)
            return send(AdminReply::notAllowed("GET"));
        return send({200, wire::json(stats(now).toJson())});
    }
    if (route == u"reset"_s) {
        if (in.method != u"POST"_s)
            return send(AdminReply::notAllowed("POST"));
        reset();
        x.resetClock = true;
        return send({200, wire::json(QJsonObject{{u"reset"_s, true}})});
    }
    if (route == u"outage"_s)
        return send(adminOutage(in, now));
    send({404,
          wire::errorBody(404, u"admin routes: profile, journal, grades, stats, reset, outage"_s)});
}

} // namespace retrylab
