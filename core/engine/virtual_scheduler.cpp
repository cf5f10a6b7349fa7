// SPDX-License-Identifier: GPL-3.0-or-later
#include "virtual_scheduler.h"

namespace retrylab {

std::uint64_t VirtualScheduler::at(Duration when, std::function<void()> fn)
{
    m_queue.push(Event{std::max(when, m_now), m_seq++, std::move(fn)});
    return 0; // every event runs: a run in virtual time is the same whatever answered when
}

void VirtualScheduler::run(Duration until)
{
    m_stopped = false;
    while (!m_queue.empty() && !m_stopped) {
        if (m_queue.top().when > until)
            break;
        // priority_queue::top() is const: move the callback out through a copy of the node.
        Event e = std::move(const_cast<Event &>(m_queue.top()));
        m_queue.pop();
        m_now = e.when;
        ++m_processed;
        e.fn();
    }
}

std::size_t VirtualScheduler::runSome(std::size_t maxEvents)
{
    std::size_t n = 0;
    while (!m_queue.empty() && n < maxEvents) {
        Event e = std::move(const_cast<Event &>(m_queue.top()));
        m_queue.pop();
        m_now = e.when;
        ++m_processed;
        ++n;
        e.fn();
    }
    return n;
}

} // namespace retrylab
