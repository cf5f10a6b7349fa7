// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "arrival_feed.h"
#include "base/duration.h"
#include "base/limits.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <deque>
#include <memory>

namespace retrylab {

// One request as the server saw it.
struct JournalEntry {
    qint64 id = 0;
    Duration at{0}; // since the server started
    QDateTime wallTime;
    QString method;
    QString path;
    QString clientId; // X-Client-Id
    int attempt = 0;  // X-Attempt (0 when not sent)
    QString idempotencyKey;
    // ClientChains: the client, its operation, the attempt of that operation, and how they
    // were told apart.
    QString chainClient;
    QString chainOperation;
    int chainAttempt = 0;
    QString chainBy;
    QString decision; // status-mix, outage, overload, fail-first, reset, replay, ...
    int status = 0;   // 0 when no HTTP response was sent
    std::optional<Duration> askedWait;     // the wait this response asked for
    std::optional<Duration> allowedBackAt; // since start: the earliest allowed next request
    std::optional<Duration> earlyBy;       // a compliance violation: came back this much early
    Duration latency{0};
    bool duplicateEffect = false; // the ledger had charged this payment's operation before

    QJsonObject toJson() const;
    // The same object as one line of JSON, written directly (json/json_line.h): byte for byte
    // what QJsonDocument makes of toJson(), with "kind": `kind` among the keys when given. The
    // attempt log has a line per request the built-in server saw; this keeps it cheap.
    void appendJsonLine(QByteArray &out, const char *kind = nullptr) const;
    static JournalEntry fromJson(const QJsonObject &o); // unknown fields are ignored
};

// The server's request journal: a bounded ring of entries, with a count of those dropped, and
// the Retry-After compliance bookkeeping: the earliest time each client id and each
// idempotency key may come back.
class RequestJournal
{
public:
    explicit RequestJournal(int capacity = limits::kJournalCapacity)
        : m_capacity(std::max(1, capacity))
    {}
    void setCapacity(int capacity);
    // Also tell `feed` of every arrival (for following a run from another thread).
    void setFeed(std::shared_ptr<ArrivalFeed> feed) { m_feed = std::move(feed); }

    // Records an arrival. Checks it against what earlier responses asked of the same client
    // id or key, and returns the entry (with earlyBy set on a violation).
    JournalEntry &arrive(JournalEntry entry);
    // The response to `id` asked for `wait`, sent at `sentAt`.
    void askedToWait(qint64 id, Duration wait, Duration sentAt);
    void setOutcome(qint64 id, const QString &decision, int status, Duration latency);
    void markDuplicateEffect(qint64 id); // its charge was a second effect (PaymentLedger)

    std::vector<JournalEntry> since(qint64 id, int max = 100'000) const;
    qint64 dropped() const { return m_dropped; }
    qint64 total() const { return m_nextId - 1; }
    qint64 violations() const { return m_violations; }
    qint64 judged() const { return m_judged; } // arrivals that had a wait to honour
    qsizetype waitsFollowed() const { return m_allowedAt.size(); } // clients and keys asked
    void clear();

private:
    JournalEntry *find(qint64 id);

    int m_capacity;
    std::deque<JournalEntry> m_entries;
    qint64 m_nextId = 1;
    qint64 m_dropped = 0;
    qint64 m_violations = 0;
    qint64 m_judged = 0;
    QHash<QString, Duration> m_allowedAt; // "client:<id>" / "key:<key>" → earliest time back
    qsizetype m_allowedSweepAt = 1024;    // its size at which the long-past waits are dropped
    std::shared_ptr<ArrivalFeed> m_feed;
};

} // namespace retrylab
