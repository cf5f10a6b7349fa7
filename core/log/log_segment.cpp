// SPDX-License-Identifier: GPL-3.0-or-later
#include "log_segment.h"

#include <QMutexLocker>

#include <limits>

namespace retrylab {

void LogSegment::append(const AttemptRecord &r)
{
    QMutexLocker lock(&m_mutex);
    m_pending.records.push_back(r);
}

void LogSegment::appendBreaker(const BreakerRecord &r)
{
    QMutexLocker lock(&m_mutex);
    m_pending.breakers.push_back(r);
}

std::uint32_t LogSegment::intern(const QString &s)
{
    if (s.isEmpty())
        return 0;
    const auto it = m_index.constFind(s);
    if (it != m_index.constEnd())
        return *it;
    const std::uint32_t index = m_strings++;
    if (m_index.size() >= kIndexCap) {
        // Forgotten, not lost: the indices given out stay valid (the merger keeps them all),
        // and a string interned again gets a new index the run's table maps to the same one.
        m_index.clear();
        m_index.reserve(kIndexCap);
    }
    m_index.insert(s, index);
    QMutexLocker lock(&m_mutex);
    m_pending.strings << s;
    return index;
}

void LogSegment::settle(qint64 us)
{
    QMutexLocker lock(&m_mutex);
    m_pending.settledUs = std::max(m_pending.settledUs, us);
}

void LogSegment::close()
{
    settle(std::numeric_limits<qint64>::max());
}

LogSegment::Batch LogSegment::take(Batch spent)
{
    spent.records.clear(); // emptied, not released: the capacity is what is handed back
    spent.breakers.clear();
    spent.strings.clear();
    QMutexLocker lock(&m_mutex);
    Batch out;
    out.settledUs = m_pending.settledUs;
    std::swap(out.records, m_pending.records);
    std::swap(out.breakers, m_pending.breakers);
    std::swap(out.strings, m_pending.strings);
    std::swap(m_pending.records, spent.records);
    std::swap(m_pending.breakers, spent.breakers);
    std::swap(m_pending.strings, spent.strings);
    return out;
}

} // namespace retrylab
