// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonl_log.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
double ms(qint64 us)
{
    return static_cast<double>(us) / 1000.0;
}
} // namespace

QJsonObject attemptToJson(const AttemptRecord &r, const AttemptLog &log, int run)
{
    QJsonObject o{
        {u"kind"_s, u"attempt"_s},
        {u"run"_s, run},
        {u"client"_s, static_cast<qint64>(r.client)},
        {u"operation"_s, static_cast<qint64>(r.operation)},
        {u"attempt"_s, r.attempt},
        {u"method"_s, log.string(r.method)},
        {u"url"_s, log.string(r.url)},
        {u"scheduledMs"_s, ms(r.scheduledUs)},
        {u"startedMs"_s, ms(r.startedUs)},
        {u"finishedMs"_s, ms(r.finishedUs)},
        {u"outcome"_s, outcome::id(r.outcome)},
        {u"status"_s, r.status},
        {u"breakerState"_s, breakerStateId(r.breakerAtStart)},
    };
    if (r.idempotencyKey)
        o.insert(u"idempotencyKey"_s, log.string(r.idempotencyKey));
    if (r.retryAfterUs >= 0)
        o.insert(u"retryAfterMs"_s, ms(r.retryAfterUs));
    if (r.plannedDelayUs >= 0) {
        o.insert(u"plannedDelayMs"_s, ms(r.plannedDelayUs));
        o.insert(u"delayReason"_s, delaySourceId(r.delaySource));
        o.insert(u"actualDelayMs"_s, ms(r.actualDelayUs));
        if (r.shortened)
            o.insert(u"shortened"_s, true);
    }
    if (r.lastOfOperation)
        o.insert(u"stop"_s, stopReasonId(r.stop));
    return o;
}

QJsonObject breakerToJson(const BreakerRecord &r, int run)
{
    const auto &t = r.transition;
    return QJsonObject{
        {u"kind"_s, u"breaker"_s},
        {u"run"_s, run},
        {u"breaker"_s, static_cast<qint64>(r.breaker)},
        {u"atMs"_s, ms(r.atUs)},
        {u"from"_s, breakerStateId(t.from)},
        {u"to"_s, breakerStateId(t.to)},
        {u"reason"_s, t.reason},
        {u"windowCalls"_s, t.windowCalls},
        {u"windowFailures"_s, t.windowFailures},
        {u"consecutiveFailures"_s, t.consecutiveFailures},
    };
}

bool JsonlLogWriter::open(const QString &fileName, QString *error)
{
    m_file.setFileName(fileName);
    m_written = m_breakersWritten = m_journalWritten = 0;
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = u"%1: cannot write: %2"_s.arg(fileName, m_file.errorString());
        return false;
    }
    return true;
}

qint64 JsonlLogWriter::flush(const AttemptLog &log)
{
    if (!m_file.isOpen())
        return 0;
    QByteArray batch;
    qint64 n = 0;
    log.forEach(
        [&](const AttemptRecord &r) {
            batch += QJsonDocument(attemptToJson(r, log)).toJson(QJsonDocument::Compact) + '\n';
            ++n;
        },
        m_written);
    m_written += static_cast<std::size_t>(n);
    const auto breakers = log.breakerRecords();
    for (std::size_t i = m_breakersWritten; i < breakers.size(); ++i, ++n)
        batch += QJsonDocument(breakerToJson(breakers[i])).toJson(QJsonDocument::Compact) + '\n';
    m_breakersWritten = breakers.size();
    const auto journal = log.journalRecords();
    for (std::size_t i = m_journalWritten; i < journal.size(); ++i, ++n) {
        QJsonObject o = journal[i].toJson();
        o.insert(u"kind"_s, u"server"_s);
        batch += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    m_journalWritten = journal.size();
    m_file.write(batch);
    m_file.flush();
    return n;
}

void JsonlLogWriter::close()
{
    m_file.close();
}

} // namespace retrylab
