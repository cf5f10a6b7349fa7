// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonl_log.h"

#include "attempt_fields.h"
#include "base/atomic_file.h"
#include "http/request_headers.h"
#include "json/json_reader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
template<typename Enum, typename FromId>
bool readEnum(const QJsonObject &o, const QString &key, Enum &out, FromId fromId, QString *error)
{
    if (!o.contains(key))
        return true;
    const auto v = fromId(o.value(key).toString());
    if (!v) {
        if (error)
            *error = u"%1: '%2' is not a known value"_s.arg(key, o.value(key).toString());
        return false;
    }
    out = *v;
    return true;
}

std::optional<BreakerState> breakerStateFromId(const QString &id)
{
    for (BreakerState s : {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen,
                           BreakerState::ForcedOpen, BreakerState::Disabled})
        if (breakerStateId(s) == id)
            return s;
    return std::nullopt;
}

std::optional<StopReason> stopReasonFromId(const QString &id)
{
    for (int i = 0; i <= static_cast<int>(StopReason::Stopped); ++i)
        if (stopReasonId(static_cast<StopReason>(i)) == id)
            return static_cast<StopReason>(i);
    return std::nullopt;
}

std::optional<DelaySource> delaySourceFromId(const QString &id)
{
    for (DelaySource s : {DelaySource::Backoff, DelaySource::Server, DelaySource::Breaker})
        if (delaySourceId(s) == id)
            return s;
    return std::nullopt;
}

QByteArray line(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject runToJson(const AttemptLog::RunInfo &info, const Redactor &redactor)
{
    QJsonObject o{{u"kind"_s, u"run"_s},
                  {u"scenario"_s, redactor.applyToScenario(info.scenario)},
                  {u"target"_s, info.target.toString()},
                  {u"startedAt"_s, info.startedAt.toUTC().toString(Qt::ISODateWithMs)}};
    if (!info.threads.isEmpty())
        o.insert(u"threads"_s, info.threads);
    return o;
}
} // namespace

std::optional<AttemptRecord> attemptFromJson(const QJsonObject &o, AttemptLog &log, QString *error)
{
    AttemptRecord r;
    const auto need = [&](const QString &key) {
        if (o.value(key).isDouble())
            return true;
        if (error)
            *error = u"%1: must be a number"_s.arg(key);
        return false;
    };
    for (const QString &key :
         {u"client"_s, u"operation"_s, u"attempt"_s, u"startedMs"_s, u"finishedMs"_s})
        if (!need(key))
            return std::nullopt;
    r.client = static_cast<std::uint32_t>(o.value(u"client"_s).toInteger());
    r.operation = static_cast<std::uint32_t>(o.value(u"operation"_s).toInteger());
    r.attempt =
        static_cast<std::uint16_t>(std::clamp<qint64>(o.value(u"attempt"_s).toInteger(), 1, 65535));
    r.method = log.intern(o.value(u"method"_s).toString());
    r.url = log.intern(o.value(u"url"_s).toString());
    r.scheduledUs = usFromMs(o.value(u"scheduledMs"_s), 0);
    r.startedUs = usFromMs(o.value(u"startedMs"_s), 0);
    r.finishedUs = usFromMs(o.value(u"finishedMs"_s), 0);
    const double status = o.value(u"status"_s).toDouble(0); // 0: no response
    if (!isWholeNumber(status, 0, 999)) { // past qint16 it would wrap around to another status
        if (error)
            *error = u"status: must be an HTTP status code (0 for none), not %1"_s.arg(status);
        return std::nullopt;
    }
    r.status = static_cast<qint16>(status);
    r.retryAfterUs = usFromMs(o.value(u"retryAfterMs"_s), -1);
    r.plannedDelayUs = usFromMs(o.value(u"plannedDelayMs"_s), -1);
    r.actualDelayUs = usFromMs(o.value(u"actualDelayMs"_s), -1);
    r.shortened = o.value(u"shortened"_s).toBool();
    r.insecure = o.value(u"insecure"_s).toBool();
    if (o.value(u"timings"_s).isObject())
        r.phases = phasesFromJson(o.value(u"timings"_s).toObject());
    r.responseBytes = o.value(u"responseBytes"_s).toInteger(-1);
    r.httpVersion = httpVersionFromText(o.value(u"httpVersion"_s).toString());
    r.requestSent = log.intern(o.value(u"requestSent"_s).toString());
    r.responseBody = log.intern(o.value(u"responseBody"_s).toString());
    r.idempotencyKey = log.intern(o.value(u"idempotencyKey"_s).toString());
    r.detail = log.intern(o.value(u"detail"_s).toString());
    HeaderList own;
    for (const auto &h : headersFromJson(o.value(u"requestHeaders"_s)))
        if (!isGeneratedHeader(h.first))
            own.append(h);
    r.requestHeaders = log.intern(formatHeaderBlock(own));
    r.responseHeaders =
        log.intern(formatHeaderBlock(headersFromJson(o.value(u"responseHeaders"_s))));
    if (!readEnum(o, u"outcome"_s, r.outcome, outcome::fromId, error) ||
        !readEnum(o, u"breakerState"_s, r.breakerAtStart, breakerStateFromId, error) ||
        !readEnum(o, u"delayReason"_s, r.delaySource, delaySourceFromId, error) ||
        !readEnum(o, u"stop"_s, r.stop, stopReasonFromId, error))
        return std::nullopt;
    r.lastOfOperation = o.contains(u"stop"_s);
    return r;
}

QJsonObject breakerToJson(const BreakerRecord &r, int run)
{
    const auto &t = r.transition;
    QJsonObject o{
        {u"kind"_s, u"breaker"_s},
        {u"run"_s, run},
        {u"breaker"_s, static_cast<qint64>(r.breaker)},
        {u"atMs"_s, msFromUs(r.atUs)},
        {u"from"_s, breakerStateId(t.from)},
        {u"to"_s, breakerStateId(t.to)},
        {u"reason"_s, t.reason},
        {u"windowCalls"_s, t.windowCalls},
        {u"windowFailures"_s, t.windowFailures},
        {u"consecutiveFailures"_s, t.consecutiveFailures},
    };
    if (t.to == BreakerState::Open)
        o.insert(
            u"openForMs"_s,
            msFromUs(std::chrono::duration_cast<std::chrono::microseconds>(t.openFor).count()));
    return o;
}

std::optional<BreakerRecord> breakerFromJson(const QJsonObject &o, QString *error)
{
    BreakerRecord r;
    if (!o.value(u"atMs"_s).isDouble()) {
        if (error)
            *error = u"atMs: must be a number"_s;
        return std::nullopt;
    }
    r.breaker = static_cast<std::uint32_t>(o.value(u"breaker"_s).toInteger());
    r.atUs = usFromMs(o.value(u"atMs"_s), 0);
    BreakerTransition &t = r.transition;
    if (!readEnum(o, u"from"_s, t.from, breakerStateFromId, error) ||
        !readEnum(o, u"to"_s, t.to, breakerStateFromId, error))
        return std::nullopt;
    t.at = std::chrono::microseconds(r.atUs);
    t.reason = o.value(u"reason"_s).toString();
    t.windowCalls = o.value(u"windowCalls"_s).toInt();
    t.windowFailures = o.value(u"windowFailures"_s).toInt();
    t.consecutiveFailures = o.value(u"consecutiveFailures"_s).toInt();
    t.openFor = std::chrono::microseconds(usFromMs(o.value(u"openForMs"_s), 0));
    return r;
}

JsonlReadResult readJsonlLog(const QString &fileName, AttemptLog &log)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        JsonlReadResult result;
        result.error = u"%1: cannot read: %2"_s.arg(fileName, file.errorString());
        return result;
    }
    return readJsonlLog(file.readAll(), log, fileName);
}

JsonlReadResult readJsonlLog(const QByteArray &all, AttemptLog &log, const QString &fileName)
{
    JsonlReadResult result;
    const QList<QByteArray> lines = all.split('\n');
    std::vector<AttemptRecord> attempts;
    std::vector<BreakerRecord> breakers;
    std::vector<JournalEntry> journal;
    AttemptLog::RunInfo info;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &text = lines[i];
        if (text.trimmed().isEmpty())
            continue;
        const bool last = i == lines.size() - 1; // no newline after it: cut short
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
        const auto fail = [&](const QString &why) {
            result.error = u"%1, line %2: %3"_s.arg(fileName).arg(i + 1).arg(why);
            return result;
        };
        if (!doc.isObject()) {
            if (last) {
                ++result.truncatedLines;
                continue;
            }
            return fail(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                     : u"not a JSON object"_s);
        }
        const QJsonObject o = doc.object();
        const QString kind = o.value(u"kind"_s).toString();
        QString why;
        if (kind == u"attempt"_s) {
            const auto r = attemptFromJson(o, log, &why);
            if (!r)
                return fail(why);
            attempts.push_back(*r);
        } else if (kind == u"breaker"_s) {
            const auto r = breakerFromJson(o, &why);
            if (!r)
                return fail(why);
            breakers.push_back(*r);
        } else if (kind == u"server"_s) {
            journal.push_back(JournalEntry::fromJson(o));
        } else if (kind == u"run"_s) {
            info.scenario = o.value(u"scenario"_s).toObject();
            info.target = QUrl(o.value(u"target"_s).toString());
            info.startedAt =
                QDateTime::fromString(o.value(u"startedAt"_s).toString(), Qt::ISODateWithMs);
            info.threads = o.value(u"threads"_s).toString();
        } else {
            return fail(u"kind: '%1' is not attempt, breaker, server or run"_s.arg(kind));
        }
    }
    for (const AttemptRecord &r : attempts)
        log.append(r);
    for (const BreakerRecord &b : breakers)
        log.appendBreaker(b);
    log.appendJournal(std::move(journal));
    log.setRunInfo(info);
    result.ok = true;
    return result;
}

bool JsonlLogWriter::open(const QString &fileName, QString *error, const Redactor &redactor)
{
    m_file.setFileName(fileName);
    m_redactor = redactor;
    m_headerWritten = false;
    m_written = m_breakersWritten = m_journalWritten = 0;
    m_error.clear();
    // Unbuffered: every batch reaches the kernel in flush(), where a failure is seen.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        if (error)
            *error = u"%1: cannot write: %2"_s.arg(fileName, m_file.errorString());
        return false;
    }
    return true;
}

QByteArray JsonlLogWriter::pending(const AttemptLog &log, qint64 *count)
{
    QByteArray batch;
    qint64 n = 0;
    if (!m_headerWritten) {
        const auto info = log.runInfo();
        if (!info.scenario.isEmpty()) {
            batch += line(runToJson(info, m_redactor));
            m_headerWritten = true;
        }
    }
    // Room for the new lines up front (about 600 bytes each): growing a batch of a few
    // megabytes by doubling copies it, and touches fresh pages, several times over.
    if (log.size() > m_written)
        batch.reserve(qsizetype(std::min<std::size_t>(log.size() - m_written, 100'000)) * 640);
    log.forEach(
        [&](const AttemptRecord &r) {
            appendAttemptLine(batch, r, log, 1, m_redactor, &m_headerJson);
            ++n;
        },
        m_written);
    m_written += static_cast<std::size_t>(n);
    if (log.breakerCount() > m_breakersWritten) {
        const auto breakers = log.breakerRecords();
        for (std::size_t i = m_breakersWritten; i < breakers.size(); ++i, ++n)
            batch += line(breakerToJson(breakers[i]));
        m_breakersWritten = breakers.size();
    }
    if (log.journalSize() > m_journalWritten) {
        const auto journal = log.journalRecords();
        for (std::size_t i = m_journalWritten; i < journal.size(); ++i, ++n)
            journal[i].appendJsonLine(batch, "server");
        m_journalWritten = journal.size();
    }
    *count = n;
    return batch;
}

qint64 JsonlLogWriter::flush(const AttemptLog &log)
{
    if (failed())
        return -1;
    if (!m_file.isOpen())
        return 0;
    qint64 n = 0;
    const QByteArray batch = pending(log, &n);
    // QFile returns a short count when the kernel took only part (a file-size limit, a disk
    // that filled up); writing the rest then fails with the reason.
    qint64 done = 0;
    while (done < batch.size()) {
        const qint64 w = m_file.write(batch.constData() + done, batch.size() - done);
        if (w <= 0) {
            const QString reason = m_file.error() != QFileDevice::NoError
                                       ? m_file.errorString()
                                       : u"the file took no more data"_s;
            m_error = u"%1: cannot write: %2 (the log ends after %3 bytes)"_s.arg(
                m_file.fileName(), reason, QString::number(m_file.pos()));
            m_file.close();
            return -1;
        }
        done += w;
    }
    return n;
}

void JsonlLogWriter::close()
{
    m_file.close();
}

bool JsonlLogWriter::write(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
                           QString *error)
{
    JsonlLogWriter w;
    w.m_redactor = redactor;
    qint64 n = 0;
    const QByteArray all = w.pending(log, &n);
    return writeFileAtomically(fileName, all, error);
}

} // namespace retrylab
