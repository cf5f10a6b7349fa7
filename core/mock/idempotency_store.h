// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace retrylab {

// The server side of idempotency keys (core/http/README.md): key → (payload fingerprint, state, stored
// response), with a retention window. Time comes from the caller.
class IdempotencyStore
{
public:
    enum class Verdict {
        New,             // process it; the key is now in flight
        Replay,          // same key and payload, finished: send the stored response
        InFlight,        // same key while the first is still running: 409
        PayloadMismatch, // same key, different payload: 422 (IETF) or 400 (Stripe)
    };
    struct Stored {
        int status = 0;
        QByteArray body;
    };

    explicit IdempotencyStore(Duration retention = std::chrono::hours(24))
        : m_retention(retention)
    {}
    void setRetention(Duration d) { m_retention = d; }

    Verdict begin(const QString &key, const QByteArray &fingerprint, Duration now, Stored *replay);
    // The first request finished with an effect: keep its response for replays.
    void complete(const QString &key, int status, const QByteArray &body, Duration now);
    // The first request failed before any effect: forget the key so a retry starts afresh.
    void release(const QString &key);
    void clear() { m_entries.clear(); }
    qsizetype size() const { return m_entries.size(); }

    // SHA-256 of the payload, the method and the path.
    static QByteArray fingerprint(QByteArrayView method, QByteArrayView path, QByteArrayView body);

private:
    struct Entry {
        QByteArray fingerprint;
        bool done = false;
        Stored response;
        Duration at{0};
    };
    void expire(Duration now);

    Duration m_retention;
    QHash<QString, Entry> m_entries;
    Duration m_lastSweep{0};
};

} // namespace retrylab
