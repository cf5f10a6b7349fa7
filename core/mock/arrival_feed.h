// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMutex>

#include <vector>

namespace retrylab {

// When requests reached the server, for whoever follows a run live from another thread: the
// journal (which belongs to the server's thread) appends, a reader takes what is new under a
// brief lock, without waiting for the server's thread. Bounded: past the limit the oldest
// half goes; positions count from the last clear.
class ArrivalFeed
{
public:
    struct Arrival {
        qint64 atUs = 0; // since the server started or was reset
        int attempt = 0; // X-Attempt, 0 when not sent
    };
    static constexpr std::size_t kLimit = 1 << 20;

    void append(const Arrival &a)
    {
        QMutexLocker lock(&m_mutex);
        if (m_items.size() >= kLimit) {
            m_items.erase(m_items.begin(), m_items.begin() + kLimit / 2);
            m_first += kLimit / 2;
        }
        m_items.push_back(a);
    }
    // What arrived from position `from` on; `next` is the position after the last one.
    std::vector<Arrival> since(std::size_t from, std::size_t *next) const
    {
        QMutexLocker lock(&m_mutex);
        const std::size_t start = std::max(from, m_first) - m_first;
        *next = m_first + m_items.size();
        if (start >= m_items.size())
            return {};
        return {m_items.begin() + static_cast<std::ptrdiff_t>(start), m_items.end()};
    }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_items.clear();
        m_first = 0;
    }

private:
    mutable QMutex m_mutex;
    std::vector<Arrival> m_items;
    std::size_t m_first = 0;
};

} // namespace retrylab
