// SPDX-License-Identifier: GPL-3.0-or-later
#include "csv_export.h"

#include "attempt_fields.h"
#include "base/atomic_file.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
QString number(double v)
{
    return QString::number(v, 'f', 3);
}

QString headerField(const HeaderList &headers)
{
    return formatHeaderBlock(headers);
}

QString sibling(const QString &fileName, const QString &what)
{
    const QFileInfo info(fileName);
    const QString base = info.suffix().compare(u"csv"_s, Qt::CaseInsensitive) == 0
                             ? info.completeBaseName()
                             : info.fileName();
    return info.dir().filePath(base + u"."_s + what + u".csv"_s);
}
} // namespace

QByteArray csvRow(const QStringList &fields)
{
    QByteArray row;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            row += ',';
        QString f = fields[i];
        if (f.contains(u',') || f.contains(u'"') || f.contains(u'\n') || f.contains(u'\r')) {
            f.replace(u"\""_s, u"\"\""_s);
            f = u'"' + f + u'"';
        }
        row += f.toUtf8();
    }
    return row + "\r\n";
}

QByteArray attemptsCsv(const AttemptLog &log, const Redactor &redactor)
{
    QByteArray out = csvRow({u"client"_s,          u"operation"_s,     u"attempt"_s,
                             u"method"_s,          u"url"_s,           u"idempotencyKey"_s,
                             u"scheduledMs"_s,     u"startedMs"_s,     u"finishedMs"_s,
                             u"outcome"_s,         u"status"_s,        u"retryAfterMs"_s,
                             u"plannedDelayMs"_s,  u"actualDelayMs"_s, u"delayReason"_s,
                             u"shortened"_s,       u"breakerState"_s,  u"stop"_s,
                             u"insecure"_s,        u"detail"_s,        u"requestHeaders"_s,
                             u"responseHeaders"_s, u"blockedMs"_s,     u"dnsMs"_s,
                             u"connectMs"_s,       u"tlsMs"_s,         u"sendMs"_s,
                             u"waitMs"_s,          u"receiveMs"_s,     u"connectionReused"_s,
                             u"responseBytes"_s,   u"clientLagMs"_s});
    const auto us = [](qint64 v) {
        return v < 0 ? QString() : number(double(v) / 1000.0);
    };
    log.forEach([&](const AttemptRecord &r) {
        out += csvRow({QString::number(r.client),
                       QString::number(r.operation),
                       QString::number(r.attempt),
                       log.string(r.method),
                       log.string(r.url),
                       log.string(r.idempotencyKey),
                       us(r.scheduledUs),
                       us(r.startedUs),
                       us(r.finishedUs),
                       outcome::id(r.outcome),
                       r.status ? QString::number(r.status) : QString(),
                       us(r.retryAfterUs),
                       us(r.plannedDelayUs),
                       us(r.actualDelayUs),
                       r.plannedDelayUs >= 0 ? delaySourceId(r.delaySource) : QString(),
                       r.shortened ? u"true"_s : u"false"_s,
                       breakerStateId(r.breakerAtStart),
                       r.lastOfOperation ? stopReasonId(r.stop) : QString(),
                       r.insecure ? u"true"_s : u"false"_s,
                       log.string(r.detail),
                       headerField(redactor.apply(requestHeadersOf(r, log))),
                       headerField(redactor.apply(responseHeadersOf(r, log))),
                       us(r.phases.blockedUs),
                       us(r.phases.dnsUs),
                       us(r.phases.connectUs),
                       us(r.phases.tlsUs),
                       us(r.phases.sendUs),
                       us(r.phases.waitUs),
                       us(r.phases.receiveUs),
                       r.phases.known() ? (r.phases.reused ? u"true"_s : u"false"_s) : QString(),
                       r.responseBytes >= 0 ? QString::number(r.responseBytes) : QString(),
                       us(r.phases.lagUs)});
    });
    return out;
}

QByteArray breakersCsv(const AttemptLog &log)
{
    QByteArray out = csvRow({u"breaker"_s, u"atMs"_s, u"from"_s, u"to"_s, u"reason"_s,
                             u"windowCalls"_s, u"windowFailures"_s, u"consecutiveFailures"_s});
    for (const BreakerRecord &b : log.breakerRecords()) {
        const BreakerTransition &t = b.transition;
        out += csvRow({QString::number(b.breaker), number(double(b.atUs) / 1000.0),
                       breakerStateId(t.from), breakerStateId(t.to), t.reason,
                       QString::number(t.windowCalls), QString::number(t.windowFailures),
                       QString::number(t.consecutiveFailures)});
    }
    return out;
}

QByteArray journalCsv(const AttemptLog &log)
{
    const QStringList columns{u"id"_s,
                              u"atMs"_s,
                              u"time"_s,
                              u"method"_s,
                              u"path"_s,
                              u"clientId"_s,
                              u"attempt"_s,
                              u"idempotencyKey"_s,
                              u"decision"_s,
                              u"status"_s,
                              u"latencyMs"_s,
                              u"askedWaitMs"_s,
                              u"allowedBackAtMs"_s,
                              u"earlyByMs"_s};
    QByteArray out = csvRow(columns);
    for (const JournalEntry &e : log.journalRecords()) {
        const QJsonObject o = e.toJson();
        QStringList fields;
        for (const QString &c : columns) {
            const QJsonValue v = o.value(c);
            fields << (v.isDouble() ? QString::number(v.toDouble()) : v.toString());
        }
        out += csvRow(fields);
    }
    return out;
}

bool writeCsvExport(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
                    QStringList *written, QString *error)
{
    if (!writeFileAtomically(fileName, attemptsCsv(log, redactor), error))
        return false;
    QStringList files{fileName};
    if (log.breakerCount() > 0) {
        const QString f = sibling(fileName, u"breakers"_s);
        if (!writeFileAtomically(f, breakersCsv(log), error))
            return false;
        files << f;
    }
    if (log.journalSize() > 0) {
        const QString f = sibling(fileName, u"server"_s);
        if (!writeFileAtomically(f, journalCsv(log), error))
            return false;
        files << f;
    }
    if (written)
        *written = files;
    return true;
}

} // namespace retrylab
