// SPDX-License-Identifier: GPL-3.0-or-later
// The attempt record's text fields as the log's files carry them: headers, the request as
// sent, the HTTP version and the phases, written and read back.
#include "attempt_fields.h"

#include "http/request_headers.h"

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// The phases by their HAR names, in milliseconds; a phase that did not happen is left out.
// Then the client's lag after the last byte, which is not a phase of the exchange.
constexpr std::array<std::pair<const char16_t *, qint32 PhaseTimings::*>, 8> kPhases{{
    {u"blocked", &PhaseTimings::blockedUs},
    {u"dns", &PhaseTimings::dnsUs},
    {u"connect", &PhaseTimings::connectUs},
    {u"tls", &PhaseTimings::tlsUs},
    {u"send", &PhaseTimings::sendUs},
    {u"wait", &PhaseTimings::waitUs},
    {u"receive", &PhaseTimings::receiveUs},
    {u"lag", &PhaseTimings::lagUs},
}};

} // namespace

double msFromUs(qint64 us)
{
    return static_cast<double>(us) / 1000.0;
}

qint64 usFromMs(const QJsonValue &v, qint64 fallback)
{
    if (!v.isDouble())
        return fallback;
    const double max = static_cast<double>(kMaxDuration.count());
    return qRound64(std::clamp(v.toDouble() * 1000.0, -max, max));
}

QJsonArray headersToJson(const HeaderList &headers)
{
    QJsonArray a;
    for (const auto &[name, value] : headers)
        a.append(QJsonObject{{u"name"_s, QString::fromLatin1(name)},
                             {u"value"_s, QString::fromLatin1(value)}});
    return a;
}

HeaderList headersFromJson(const QJsonValue &v)
{
    HeaderList h;
    for (const QJsonValue &e : v.toArray())
        h.append({e[u"name"_s].toString().toLatin1(), e[u"value"_s].toString().toLatin1()});
    return h;
}

PhaseTimings phasesFromJson(const QJsonObject &o)
{
    PhaseTimings p;
    for (const auto &[name, field] : kPhases)
        p.*field = PhaseTimings::clamp(usFromMs(o.value(QString::fromUtf16(name) + u"Ms"_s), -1));
    p.reused = o.value(u"reused"_s).toBool();
    return p;
}

HeaderList requestHeadersOf(const AttemptRecord &r, const AttemptLog &log)
{
    HeaderList h = parseHeaderBlock(log.string(r.requestHeaders));
    h += generatedHeaders(r.client, r.operation, r.attempt, log.string(r.idempotencyKey));
    return h;
}

HeaderList responseHeadersOf(const AttemptRecord &r, const AttemptLog &log)
{
    return parseHeaderBlock(log.string(r.responseHeaders));
}

QString requestSentOf(const AttemptRecord &r, const AttemptLog &log, const Redactor &redactor)
{
    QString head = log.string(r.requestSent);
    head.remove(u'\r');
    const qsizetype eol = head.indexOf(u'\n');
    if (eol < 0)
        return head;
    const HeaderList fields = redactor.apply(parseHeaderBlock(head.mid(eol + 1)));
    return head.left(eol + 1) + formatHeaderBlock(fields);
}

QString httpVersionText(std::uint8_t version)
{
    switch (version) {
    case 10:
        return u"HTTP/1.0"_s;
    case 11:
        return u"HTTP/1.1"_s;
    case 20:
        return u"HTTP/2"_s;
    default:
        return {};
    }
}

std::uint8_t httpVersionFromText(const QString &text)
{
    for (std::uint8_t v : {10, 11, 20})
        if (text == httpVersionText(v))
            return v;
    return 0;
}

} // namespace retrylab
