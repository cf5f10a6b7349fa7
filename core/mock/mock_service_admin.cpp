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

void MockService::handleAdmin(const Parsed &in, MockExchange &x, Duration now)
{
    const QString route = in.path.mid(QStringView(u"/__admin/").size());
    const auto reply = [&](int status, const QByteArray &body, const HeaderList &extra = {}) {
        answer(x, status, u"admin"_s, body, extra);
    };
    QString why;
    if (const int refusal = m_admin.check(in.request.headers, &why)) {
        return reply(refusal, wire::errorBody(refusal, why),
                     refusal == 401 ? HeaderList{{"WWW-Authenticate", "Bearer"}} : HeaderList{});
    }
    const auto allow = [&](const char *methods) {
        reply(405, wire::errorBody(405, u"allowed: %1"_s.arg(QLatin1String(methods))),
              {{"Allow", methods}});
    };
    if (route == u"profile"_s) {
        if (in.method == u"GET"_s)
            return reply(200, wire::json(profile().toJson()));
        if (in.method != u"PUT"_s)
            return allow("GET, PUT");
        QJsonParseError parseError;
        const auto doc = QJsonDocument::fromJson(in.request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return reply(400, wire::json(QJsonObject{
                                  {u"error"_s, u"the body is not a JSON object: %1 at byte %2"_s
                                                   .arg(parseError.errorString())
                                                   .arg(parseError.offset)}}));
        FieldProblems problems;
        const auto next = FaultProfile::fromJson(doc.object(), &problems);
        if (!next)
            return reply(
                400, wire::json(QJsonObject{{u"error"_s, u"invalid profile; the old one is kept"_s},
                                            {u"problems"_s, problemsJson(problems)}}));
        setProfile(*next);
        if (m_profileListener)
            m_profileListener(*next);
        return reply(200, wire::json(profile().toJson()));
    }
    if (route == u"journal"_s) {
        if (in.method != u"GET"_s)
            return allow("GET");
        bool ok = true;
        const QString sinceText = in.query.queryItemValue(u"since"_s);
        const qint64 since = sinceText.isEmpty() ? 0 : sinceText.toLongLong(&ok);
        if (!ok || since < 0)
            return reply(400,
                         wire::errorBody(400, u"since must be a journal id (a whole number)"_s));
        const QString limitText = in.query.queryItemValue(u"limit"_s);
        const int limit = limitText.isEmpty() ? 100'000 : limitText.toInt(&ok);
        if (!ok || limit < 1)
            return reply(400, wire::errorBody(400, u"limit must be a whole number above 0"_s));
        const auto entries = m_journal.since(since, limit);
        if (in.query.queryItemValue(u"format"_s) == u"jsonl"_s) {
            QByteArray lines;
            for (const auto &e : entries)
                lines += QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
            return reply(200, lines);
        }
        QJsonArray a;
        for (const auto &e : entries)
            a.append(e.toJson());
        return reply(200, QJsonDocument(a).toJson(QJsonDocument::Compact) + '\n');
    }
    if (route == u"grades"_s) {
        if (in.method != u"GET"_s)
            return allow("GET");
        GradeOptions options = m_gradeOptions;
        const QString max = in.query.queryItemValue(u"maxAttempts"_s);
        bool ok = true;
        if (!max.isEmpty())
            options.statedMaxAttempts = max.toInt(&ok);
        if (!ok || options.statedMaxAttempts < 0)
            return reply(400, wire::errorBody(400, u"maxAttempts must be a whole number"_s));
        return reply(200, wire::json(grades(options).toJson()));
    }
    if (route == u"stats"_s) {
        if (in.method != u"GET"_s)
            return allow("GET");
        return reply(200, wire::json(stats(now).toJson()));
    }
    if (route == u"reset"_s) {
        if (in.method != u"POST"_s)
            return allow("POST");
        reset();
        x.resetClock = true;
        return reply(200, wire::json(QJsonObject{{u"reset"_s, true}}));
    }
    if (route == u"outage"_s) {
        if (in.method != u"POST"_s)
            return allow("POST");
        bool ok = false;
        const double seconds = in.query.queryItemValue(u"seconds"_s).toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 86400)
            return reply(400, wire::errorBody(400, u"seconds must be a number from 0 to 86400, "
                                                   "e.g. /__admin/outage?seconds=10"_s));
        takeDown(now, fromMs(seconds * 1000.0));
        return reply(200, wire::json(QJsonObject{{u"outageSeconds"_s, seconds}}));
    }
    reply(404,
          wire::errorBody(404, u"admin routes: profile, journal, grades, stats, reset, outage"_s));
}

} // namespace retrylab
