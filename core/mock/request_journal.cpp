// SPDX-License-Identifier: GPL-3.0-or-later
#include "request_journal.h"

#include "base/limits.h"
#include "json/json_line.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

JournalEntry JournalEntry::fromJson(const QJsonObject &o)
{
    // A file read back may hold any number: clamped to what a Duration holds before rounding
    // (rounding 1e300 into a qint64 is undefined behaviour).
    const auto duration = [&](const QString &key) -> std::optional<Duration> {
        if (!o.value(key).isDouble())
            return std::nullopt;
        const auto max = static_cast<double>(kMaxDuration.count());
        return Duration(qRound64(std::clamp(o.value(key).toDouble() * 1000.0, -max, max)));
    };
    JournalEntry e;
    e.id = o.value(u"id"_s).toInteger();
    e.at = duration(u"atMs"_s).value_or(Duration::zero());
    e.wallTime = QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs);
    e.method = o.value(u"method"_s).toString();
    e.path = o.value(u"path"_s).toString();
    e.clientId = o.value(u"clientId"_s).toString();
    e.attempt = o.value(u"attempt"_s).toInt();
    e.idempotencyKey = o.value(u"idempotencyKey"_s).toString();
    e.chainClient = o.value(u"chainClient"_s).toString();
    e.chainOperation = o.value(u"chainOperation"_s).toString();
    e.chainAttempt = o.value(u"chainAttempt"_s).toInt();
    e.chainBy = o.value(u"chainBy"_s).toString();
    e.decision = o.value(u"decision"_s).toString();
    e.status = o.value(u"status"_s).toInt();
    e.askedWait = duration(u"askedWaitMs"_s);
    e.allowedBackAt = duration(u"allowedBackAtMs"_s);
    e.earlyBy = duration(u"earlyByMs"_s);
    e.duplicateEffect = o.value(u"duplicateEffect"_s).toBool();
    e.latency = duration(u"latencyMs"_s).value_or(Duration::zero());
    return e;
}

QJsonObject JournalEntry::toJson() const
{
    QJsonObject o{
        {u"id"_s, id},
        {u"atMs"_s, toMs(at)},
        {u"time"_s, wallTime.toUTC().toString(Qt::ISODateWithMs)},
        {u"method"_s, method},
        {u"path"_s, path},
        {u"decision"_s, decision},
        {u"status"_s, status},
        {u"latencyMs"_s, toMs(latency)},
    };
    if (!clientId.isEmpty())
        o.insert(u"clientId"_s, clientId);
    if (attempt > 0)
        o.insert(u"attempt"_s, attempt);
    if (!idempotencyKey.isEmpty())
        o.insert(u"idempotencyKey"_s, idempotencyKey);
    if (!chainClient.isEmpty()) {
        o.insert(u"chainClient"_s, chainClient);
        o.insert(u"chainOperation"_s, chainOperation);
        o.insert(u"chainAttempt"_s, chainAttempt);
        o.insert(u"chainBy"_s, chainBy);
    }
    if (askedWait)
        o.insert(u"askedWaitMs"_s, toMs(*askedWait));
    if (allowedBackAt)
        o.insert(u"allowedBackAtMs"_s, toMs(*allowedBackAt));
    if (earlyBy)
        o.insert(u"earlyByMs"_s, toMs(*earlyBy));
    if (duplicateEffect)
        o.insert(u"duplicateEffect"_s, true);
    return o;
}

void JournalEntry::appendJsonLine(QByteArray &out, const char *kind) const
{
    // Keys in QJsonObject's order (sorted), optional ones left out as toJson() leaves them.
    JsonWriter w(out);
    const auto us = [](Duration d) {
        return qint64(d.count());
    };
    w.beginObject();
    if (allowedBackAt)
        w.key("allowedBackAtMs").millis(us(*allowedBackAt));
    if (askedWait)
        w.key("askedWaitMs").millis(us(*askedWait));
    w.key("atMs").millis(us(at));
    if (attempt > 0)
        w.key("attempt").value(qint64(attempt));
    if (!chainClient.isEmpty()) {
        w.key("chainAttempt").value(qint64(chainAttempt));
        w.key("chainBy").value(chainBy);
        w.key("chainClient").value(chainClient);
        w.key("chainOperation").value(chainOperation);
    }
    if (!clientId.isEmpty())
        w.key("clientId").value(clientId);
    w.key("decision").value(decision);
    if (duplicateEffect)
        w.key("duplicateEffect").value(true);
    if (earlyBy)
        w.key("earlyByMs").millis(us(*earlyBy));
    w.key("id").value(id);
    if (!idempotencyKey.isEmpty())
        w.key("idempotencyKey").value(idempotencyKey);
    if (kind)
        w.key("kind").latin1(kind);
    w.key("latencyMs").millis(us(latency));
    w.key("method").value(method);
    w.key("path").value(path);
    w.key("status").value(qint64(status));
    w.key("time").value(wallTime.toUTC().toString(Qt::ISODateWithMs));
    w.endObject();
    out += '\n';
}

void RequestJournal::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    while (static_cast<int>(m_entries.size()) > m_capacity) {
        m_entries.pop_front();
        ++m_dropped;
    }
}

void RequestJournal::clear()
{
    m_entries.clear();
    m_allowedAt.clear();
    m_nextId = 1;
    m_dropped = m_violations = m_judged = 0;
    if (m_feed)
        m_feed->clear();
}

JournalEntry *RequestJournal::find(qint64 id)
{
    if (m_entries.empty() || id < m_entries.front().id || id > m_entries.back().id)
        return nullptr;
    return &m_entries[static_cast<std::size_t>(id - m_entries.front().id)];
}

JournalEntry &RequestJournal::arrive(JournalEntry e)
{
    e.id = m_nextId++;
    if (m_feed)
        m_feed->append(
            {std::chrono::duration_cast<std::chrono::microseconds>(e.at).count(), e.attempt});
    // Compliance: the later of what this client id and this key were asked to honour.
    std::optional<Duration> allowed;
    for (const QString &who :
         {e.clientId.isEmpty() ? QString() : u"client:"_s + e.clientId,
          e.idempotencyKey.isEmpty() ? QString() : u"key:"_s + e.idempotencyKey}) {
        if (who.isEmpty())
            continue;
        const auto it = m_allowedAt.constFind(who);
        if (it != m_allowedAt.constEnd()) {
            allowed = allowed ? std::max(*allowed, *it) : *it;
            m_allowedAt.erase(it); // judged once: the next wait is set by this response
        }
    }
    if (allowed) {
        ++m_judged;
        if (e.at < *allowed) {
            e.earlyBy = *allowed - e.at;
            ++m_violations;
        }
    }
    m_entries.push_back(std::move(e));
    while (static_cast<int>(m_entries.size()) > m_capacity) {
        m_entries.pop_front();
        ++m_dropped;
    }
    return m_entries.back();
}

void RequestJournal::askedToWait(qint64 id, Duration wait, Duration sentAt)
{
    JournalEntry *e = find(id);
    if (!e)
        return;
    e->askedWait = wait;
    e->allowedBackAt = sentAt + wait;
    if (!e->clientId.isEmpty())
        m_allowedAt.insert(u"client:"_s + e->clientId, sentAt + wait);
    if (!e->idempotencyKey.isEmpty())
        m_allowedAt.insert(u"key:"_s + e->idempotencyKey, sentAt + wait);
    // A key whose operation gave up is never judged: drop waits that ended ten minutes ago
    // (a request now would honour them anyway), looking again when the table has doubled.
    if (m_allowedAt.size() >= m_allowedSweepAt) {
        m_allowedAt.removeIf(
            [&](const auto &it) { return sentAt - it.value() > limits::kWaitJudgedWithin; });
        m_allowedSweepAt = std::max<qsizetype>(1024, 2 * m_allowedAt.size());
    }
}

void RequestJournal::setOutcome(qint64 id, const QString &decision, int status, Duration latency)
{
    if (JournalEntry *e = find(id)) {
        e->decision = decision;
        e->status = status;
        e->latency = latency;
    }
}

void RequestJournal::markDuplicateEffect(qint64 id)
{
    if (JournalEntry *e = find(id))
        e->duplicateEffect = true;
}

std::vector<JournalEntry> RequestJournal::since(qint64 id, int max) const
{
    std::vector<JournalEntry> out;
    if (m_entries.empty())
        return out;
    const qint64 first = m_entries.front().id;
    std::size_t start = id < first ? 0 : static_cast<std::size_t>(id - first + 1);
    for (std::size_t i = start; i < m_entries.size() && static_cast<int>(out.size()) < max; ++i)
        out.push_back(m_entries[i]);
    return out;
}

} // namespace retrylab
