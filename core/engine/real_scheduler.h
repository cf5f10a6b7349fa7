// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scheduler.h"

#include <QObject>

#include <deque>
#include <unordered_set>
#include <vector>

class QSocketNotifier;
class QTimer;

namespace retrylab {

// Real time on the thread's event loop: a timer queue. Callbacks run in order of deadline (ties
// in the order they were scheduled), and a single timer is armed at the earliest deadline,
// re-armed whenever an earlier one arrives. A callback whose deadline is no earlier than the
// last one queued (a per-attempt timeout: now plus the same duration each time) joins a plain
// queue; the others wait in a heap. A callback never runs early: a timer that wakes before the
// earliest deadline is armed again for the rest. Thousands of waiting clients cost one timer,
// not one each. On Linux a later deadline is a timerfd, armed to the microsecond and watched by
// the event loop like a socket; elsewhere a QTimer, which counts whole milliseconds and so
// rounds each wait up by up to one (core/engine/README.md, "Waits on time"). Callbacks already
// due run on the loop's next turn (a zero-time QTimer). catchUp() lets due callbacks run
// between socket events. A dropped callback never runs, and the timer is never set for it.
// Paused, due callbacks stay where they are and run, in order, on resume. Lives in, and is
// called from, one thread (a shard's).
class RealScheduler final : public QObject, public Scheduler
{
    Q_OBJECT
public:
    explicit RealScheduler(QObject *parent = nullptr);
    // Times count from `origin` (the run's start, shared by its shards).
    explicit RealScheduler(const QElapsedTimer &origin, QObject *parent = nullptr);
    ~RealScheduler() override;

    Duration now() const override { return m_clock.now(); }
    std::uint64_t at(Duration when, std::function<void()> fn) override;
    void drop(std::uint64_t ticket) override;
    void catchUp() override;

    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // Drops every callback not yet run.
    void clear();
    // Callbacks that will run.
    std::size_t pending() const
    {
        return m_heap.size() - m_dropped.size() + m_queue.size() - m_queueDropped;
    }

private:
    struct Entry {
        Duration when;
        std::uint64_t seq;
        std::function<void()> fn; // empty: dropped (in m_queue)
    };
    static bool later(const Entry &a, const Entry &b)
    {
        return a.when != b.when ? a.when > b.when : a.seq > b.seq;
    }
    void arm();
    bool letDroppedGo();
    const Entry *earliest() const;
    void trimQueue(); // lets go the dropped callbacks at the queue's front
    void runDue();

    SteadyClock m_clock;
    std::vector<Entry> m_heap;                   // a min-heap by (when, seq)
    std::unordered_set<std::uint64_t> m_dropped; // tickets (seq) of entries still in m_heap
    std::deque<Entry> m_queue;                   // (when, seq) grows from front to back
    std::size_t m_queueDropped = 0;              // entries of m_queue with no callback
    QTimer *m_timer = nullptr;                   // at once, and without a timerfd
    int m_timerFd = -1;                          // Linux: the precise timer for later deadlines
    QSocketNotifier *m_timerReady = nullptr;     // the event loop's watch on m_timerFd
    Duration m_armedFor = kMaxDuration;          // the earliest deadline, which a timer is set for
    Duration m_fdArmedFor = kMaxDuration;        // the deadline m_timerFd is set for
    std::uint64_t m_seq = 1;                     // 0 is no ticket
    bool m_paused = false;
    bool m_running = false; // inside runDue: it re-arms when done
};

} // namespace retrylab
