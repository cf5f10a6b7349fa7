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

void LogSegment::settle(qint64 us)
{
    QMutexLocker lock(&m_mutex);
    m_pending.settledUs = std::max(m_pending.settledUs, us);
}

void LogSegment::close()
{
    settle(std::numeric_limits<qint64>::max());
}

LogSegment::Batch LogSegment::take()
{
    QMutexLocker lock(&m_mutex);
    Batch out;
    out.settledUs = m_pending.settledUs;
    std::swap(out.records, m_pending.records);
    std::swap(out.breakers, m_pending.breakers);
    return out;
}

} // namespace retrylab
