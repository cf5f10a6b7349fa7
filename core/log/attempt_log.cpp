// SPDX-License-Identifier: GPL-3.0-or-later
#include "attempt_log.h"

#include <QMutexLocker>

namespace retrylab {

AttemptLog::AttemptLog(std::size_t cap)
    : m_cap(cap)
{}

void AttemptLog::append(const AttemptRecord &r)
{
    const std::size_t n = m_count.load(std::memory_order_relaxed);
    if (n >= m_cap) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (n % kChunk == 0 && n / kChunk == m_chunks.size()) {
        QMutexLocker lock(&m_mutex);
        m_chunks.push_back(std::make_unique<AttemptRecord[]>(kChunk));
    }
    m_chunks[n / kChunk][n % kChunk] = r;
    m_count.store(n + 1, std::memory_order_release);
}

void AttemptLog::appendBreaker(const BreakerRecord &r)
{
    QMutexLocker lock(&m_mutex);
    m_breakers.push_back(r);
}

void AttemptLog::appendJournal(std::vector<JournalEntry> entries)
{
    QMutexLocker lock(&m_mutex);
    m_journal.insert(m_journal.end(), std::make_move_iterator(entries.begin()),
                     std::make_move_iterator(entries.end()));
}

std::vector<JournalEntry> AttemptLog::journalRecords() const
{
    QMutexLocker lock(&m_mutex);
    return m_journal;
}

void AttemptLog::setRunInfo(const RunInfo &info)
{
    QMutexLocker lock(&m_mutex);
    m_runInfo = info;
}

AttemptLog::RunInfo AttemptLog::runInfo() const
{
    QMutexLocker lock(&m_mutex);
    return m_runInfo;
}

void AttemptLog::appendArrivals(const std::vector<Arrival> &arrivals)
{
    QMutexLocker lock(&m_mutex);
    m_arrivals.insert(m_arrivals.end(), arrivals.begin(), arrivals.end());
}

std::vector<AttemptLog::Arrival> AttemptLog::arrivalsSince(std::size_t index) const
{
    QMutexLocker lock(&m_mutex);
    if (index >= m_arrivals.size())
        return {};
    return {m_arrivals.begin() + static_cast<std::ptrdiff_t>(index), m_arrivals.end()};
}

std::size_t AttemptLog::arrivalCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_arrivals.size();
}

std::size_t AttemptLog::journalSize() const
{
    QMutexLocker lock(&m_mutex);
    return m_journal.size();
}

std::size_t AttemptLog::breakerCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_breakers.size();
}

std::uint32_t AttemptLog::intern(const QString &s)
{
    if (s.isEmpty())
        return 0;
    QMutexLocker lock(&m_mutex);
    const auto it = m_stringIndex.constFind(s);
    if (it != m_stringIndex.constEnd())
        return *it;
    const auto index = static_cast<std::uint32_t>(m_strings.size());
    m_strings << s;
    m_stringIndex.insert(s, index);
    return index;
}

std::vector<const AttemptRecord *> AttemptLog::chunkPointers() const
{
    QMutexLocker lock(&m_mutex);
    std::vector<const AttemptRecord *> out;
    out.reserve(m_chunks.size());
    for (const auto &c : m_chunks)
        out.push_back(c.get());
    return out;
}

AttemptRecord AttemptLog::at(std::size_t i) const
{
    QMutexLocker lock(&m_mutex);
    return m_chunks[i / kChunk][i % kChunk];
}

std::vector<BreakerRecord> AttemptLog::breakerRecords() const
{
    QMutexLocker lock(&m_mutex);
    return m_breakers;
}

QString AttemptLog::string(std::uint32_t index) const
{
    QMutexLocker lock(&m_mutex);
    return index < static_cast<std::uint32_t>(m_strings.size()) ? m_strings[index] : QString();
}

} // namespace retrylab
