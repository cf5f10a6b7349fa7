// SPDX-License-Identifier: GPL-3.0-or-later
#include "idempotency_store.h"

#include <QCryptographicHash>

namespace retrylab {

QByteArray IdempotencyStore::fingerprint(QByteArrayView method, QByteArrayView path,
                                         QByteArrayView body)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(method);
    h.addData(QByteArrayView("\n"));
    h.addData(path);
    h.addData(QByteArrayView("\n"));
    h.addData(body);
    return h.result();
}

void IdempotencyStore::expire(Duration now)
{
    // A sweep at most once per second keeps begin() cheap.
    if (now - m_lastSweep < std::chrono::seconds(1))
        return;
    m_lastSweep = now;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->done && now - it->at >= m_retention)
            it = m_entries.erase(it);
        else
            ++it;
    }
}

IdempotencyStore::Verdict IdempotencyStore::begin(const QString &key, const QByteArray &fingerprint,
                                                  Duration now, Stored *replay)
{
    expire(now);
    auto it = m_entries.find(key);
    if (it != m_entries.end() && it->done && now - it->at >= m_retention) {
        m_entries.erase(it);
        it = m_entries.end();
    }
    if (it == m_entries.end()) {
        m_entries.insert(key, Entry{fingerprint, false, {}, now});
        return Verdict::New;
    }
    if (it->fingerprint != fingerprint)
        return Verdict::PayloadMismatch;
    if (!it->done)
        return Verdict::InFlight;
    if (replay)
        *replay = it->response;
    return Verdict::Replay;
}

void IdempotencyStore::complete(const QString &key, int status, const QByteArray &body,
                                Duration now)
{
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    it->done = true;
    it->response = {status, body};
    it->at = now;
}

void IdempotencyStore::release(const QString &key)
{
    m_entries.remove(key);
}

} // namespace retrylab
