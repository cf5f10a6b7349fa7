// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scheduler.h"

#include <queue>

#include <vector>

namespace retrylab {

// Virtual time: a discrete-event simulation that jumps from event to event as fast as the CPU
// allows. Events at the same time run in the order they were scheduled, so a seed replays
// the same run event for event.
class VirtualScheduler final : public Scheduler
{
public:
    Duration now() const override { return m_now; }
    std::uint64_t at(Duration when, std::function<void()> fn) override;

    // Runs events until none are left, `until` is passed, or stop() is called.
    void run(Duration until = kMaxDuration);
    // Runs at most `maxEvents` events; returns how many ran.
    std::size_t runSome(std::size_t maxEvents);
    void stop() { m_stopped = true; }
    std::size_t pending() const { return m_queue.size(); }
    std::uint64_t processed() const { return m_processed; }

private:
    struct Event {
        Duration when;
        std::uint64_t seq;
        std::function<void()> fn;
        bool operator>(const Event &o) const
        {
            return when != o.when ? when > o.when : seq > o.seq;
        }
    };
    std::priority_queue<Event, std::vector<Event>, std::greater<>> m_queue;
    Duration m_now{0};
    std::uint64_t m_seq = 0;
    std::uint64_t m_processed = 0;
    bool m_stopped = false;
};

} // namespace retrylab
