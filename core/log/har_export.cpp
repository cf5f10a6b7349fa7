// SPDX-License-Identifier: GPL-3.0-or-later
#include "har_export.h"

#include "attempt_fields.h"
#include "base/atomic_file.h"
#include "http/wire/message_writer.h"

#include <QJsonArray>
#include <QTimeZone>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// HAR's content: the size that arrived, and the text when its first bytes were kept.
QJsonObject content(qint64 size, const QString &mime, const QString &text)
{
    QJsonObject c{{u"size"_s, size}, {u"mimeType"_s, mime}};
    if (!text.isEmpty())
        c.insert(u"text"_s, text);
    return c;
}

// HAR's statusText: the reason phrase our own server writes for the status (none for 0).
QString statusText(int status)
{
    return status ? QString::fromLatin1(wire::reasonPhrase(status)) : QString();
}

double ms(qint64 us)
{
    return double(us) / 1000.0;
}

double phase(qint32 us)
{
    return us < 0 ? -1.0 : ms(us);
}

// HAR 1.2 timings: -1 where a phase does not apply; ssl is also counted in connect (for HAR
// 1.1 readers), so connect is TCP + TLS. Without measured phases (simulated time, the Qt stack)
// the whole attempt is the wait.
QJsonObject timings(const AttemptRecord &r, double took)
{
    const PhaseTimings &p = r.phases;
    if (!p.known())
        return QJsonObject{{u"blocked"_s, -1}, {u"dns"_s, -1}, {u"connect"_s, -1},
                           {u"ssl"_s, -1},     {u"send"_s, 0}, {u"wait"_s, took},
                           {u"receive"_s, 0}};
    const double connect =
        p.connectUs < 0 ? -1.0 : ms(qint64(p.connectUs) + std::max<qint32>(0, p.tlsUs));
    // send, wait and receive are required non-negative numbers in HAR.
    QJsonObject t{{u"blocked"_s, phase(p.blockedUs)},
                  {u"dns"_s, phase(p.dnsUs)},
                  {u"connect"_s, connect},
                  {u"ssl"_s, phase(p.tlsUs)},
                  {u"send"_s, std::max(0.0, phase(p.sendUs))},
                  {u"wait"_s, std::max(0.0, phase(p.waitUs))},
                  {u"receive"_s, std::max(0.0, phase(p.receiveUs))}};
    // HAR 1.2 allows fields of one's own, named with an underscore: the answer's wait for the
    // client after its last byte, which the entry's time includes and no phase does.
    if (p.lagUs >= 0)
        t.insert(u"_clientLag"_s, ms(p.lagUs));
    return t;
}
// Where the attempt went: the log's path on the run's target.
QUrl entryUrl(const AttemptRecord &r, const AttemptLog &log, const QUrl &target)
{
    QString path = log.string(r.url);
    QUrl url = QUrl(path);
    if (url.isRelative() && target.isValid())
        url = target.resolved(url);
    if (url.scheme() != u"http"_s && url.scheme() != u"https"_s) {
        // A simulated run has no real address: give browsers one they accept.
        url.setScheme(u"http"_s);
        url.setHost(u"simulated.invalid"_s);
    }
    return url;
}

// HAR's request: the fields as sent, the query, the scenario's body.
QJsonObject entryRequest(const AttemptRecord &r, const AttemptLog &log, const QUrl &url,
                         const QString &body, const Redactor &redactor)
{
    QJsonArray query;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[k, v] : items)
        query.append(QJsonObject{{u"name"_s, k}, {u"value"_s, v}});
    // The fields as written when our own stack kept them (Host, Content-Length, ...); else
    // the scenario's own and the ones Retry Lab adds.
    HeaderList sentFields = redactor.apply(requestHeadersOf(r, log));
    if (const QString head = requestSentOf(r, log, redactor); !head.isEmpty())
        sentFields = parseHeaderBlock(head.section(u'\n', 1));
    QJsonObject req{
        {u"method"_s, log.string(r.method)},
        {u"url"_s, url.toString()},
        {u"httpVersion"_s, u"HTTP/1.1"_s},
        {u"cookies"_s, QJsonArray()},
        {u"headers"_s, headersToJson(sentFields)},
        {u"queryString"_s, query},
        {u"headersSize"_s, -1},
        {u"bodySize"_s, body.isEmpty() ? 0 : qint64(body.toUtf8().size())},
    };
    if (!body.isEmpty())
        req.insert(u"postData"_s,
                   QJsonObject{{u"mimeType"_s, u"application/json"_s}, {u"text"_s, body}});
    return req;
}

// HAR's response: status, version, headers, and what arrived of the body.
QJsonObject entryResponse(const AttemptRecord &r, const AttemptLog &log, const Redactor &redactor)
{
    const HeaderList response = responseHeadersOf(r, log);
    QString mime;
    qint64 contentLength = -1;
    for (const auto &[name, value] : response) {
        if (name.compare("content-type", Qt::CaseInsensitive) == 0)
            mime = QString::fromLatin1(value);
        if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            contentLength = value.toLongLong();
    }
    if (r.responseBytes >= 0) // what really arrived, whatever the header said
        contentLength = r.responseBytes;
    return QJsonObject{
        {u"status"_s, r.status},
        {u"statusText"_s, statusText(r.status)},
        // What the answer's status line said; simulated answers are HTTP/1.1's model.
        {u"httpVersion"_s, r.httpVersion ? httpVersionText(r.httpVersion)
                           : r.status    ? u"HTTP/1.1"_s
                                         : QString()},
        {u"cookies"_s, QJsonArray()},
        {u"headers"_s, headersToJson(redactor.apply(response))},
        {u"content"_s,
         content(std::max<qint64>(0, contentLength), mime, log.string(r.responseBody))},
        {u"redirectURL"_s, QString()},
        {u"headersSize"_s, -1},
        {u"bodySize"_s, contentLength},
    };
}

// Retry Lab's own facts about the attempt, under "_retrylab".
QJsonObject entryMeta(const AttemptRecord &r, const AttemptLog &log)
{
    const bool sent = !outcome::isLocalRejection(r.outcome);
    QJsonObject meta{
        {u"sent"_s, sent},
        {u"client"_s, qint64(r.client)},
        {u"operation"_s, qint64(r.operation)},
        {u"attempt"_s, r.attempt},
        {u"outcome"_s, outcome::id(r.outcome)},
        {u"breakerState"_s, breakerStateId(r.breakerAtStart)},
        {u"scheduledMs"_s, ms(r.scheduledUs)},
        {u"startedMs"_s, ms(r.startedUs)},
    };
    if (r.idempotencyKey)
        meta.insert(u"idempotencyKey"_s, log.string(r.idempotencyKey));
    if (r.plannedDelayUs >= 0) {
        meta.insert(u"plannedDelayMs"_s, ms(r.plannedDelayUs));
        meta.insert(u"actualDelayMs"_s, ms(r.actualDelayUs));
        meta.insert(u"delayReason"_s, delaySourceId(r.delaySource));
    }
    if (r.retryAfterUs >= 0)
        meta.insert(u"retryAfterMs"_s, ms(r.retryAfterUs));
    if (r.lastOfOperation)
        meta.insert(u"stop"_s, stopReasonId(r.stop));
    if (r.insecure)
        meta.insert(u"insecureCertificateAllowed"_s, true);
    if (r.phases.known())
        meta.insert(u"connectionReused"_s, r.phases.reused);
    return meta;
}

} // namespace

QJsonDocument toHar(const AttemptLog &log, const Redactor &redactor)
{
    const AttemptLog::RunInfo info = log.runInfo();
    const QDateTime start = info.startedAt.isValid()
                                ? info.startedAt.toUTC()
                                : QDateTime::fromMSecsSinceEpoch(0, QTimeZone::utc());
    const QJsonObject request = info.scenario.value(u"request"_s).toObject();
    const QString body = request.value(u"body"_s).toString();
    QJsonArray entries;
    log.forEach([&](const AttemptRecord &r) {
        const QUrl url = entryUrl(r, log, info.target);
        // Up to the answer's arrival, as HAR's time is the sum of the timings.
        const double took = std::max(0.0, ms(r.arrivedUs() - r.startedUs));
        QJsonObject entry{
            {u"startedDateTime"_s, start.addMSecs(r.startedUs / 1000).toString(Qt::ISODateWithMs)},
            {u"time"_s, took},
            {u"request"_s, entryRequest(r, log, url, body, redactor)},
            {u"response"_s, entryResponse(r, log, redactor)},
            {u"cache"_s, QJsonObject()},
            {u"timings"_s, timings(r, took)},
            {u"_retrylab"_s, entryMeta(r, log)},
        };
        if (r.detail)
            entry.insert(u"_error"_s, log.string(r.detail));
        entries.append(entry);
    });
    QJsonObject harLog{
        {u"version"_s, u"1.2"_s},
        {u"creator"_s, QJsonObject{{u"name"_s, u"Retry Lab"_s},
                                   {u"version"_s, QStringLiteral(RETRYLAB_VERSION)}}},
        {u"entries"_s, entries},
    };
    if (!info.scenario.isEmpty())
        harLog.insert(u"comment"_s,
                      u"Scenario: %1"_s.arg(info.scenario.value(u"name"_s).toString()));
    return QJsonDocument(QJsonObject{{u"log"_s, harLog}});
}

bool writeHar(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
              QString *error)
{
    return writeFileAtomically(fileName, toHar(log, redactor).toJson(QJsonDocument::Indented),
                               error);
}

} // namespace retrylab
