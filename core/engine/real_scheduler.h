// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scheduler.h"

#include <QObject>

#include <map>

namespace retrylab {

// Real time on the thread's event loop. Timers are precise (Qt::PreciseTimer) and never fire a
// callback early: a timer that wakes before its time is armed again for the rest. Paused, it
// holds every callback that falls due and releases them, in order, on resume.
class RealScheduler final : public QObject, public Scheduler
{
    Q_OBJECT
public:
    explicit RealScheduler(QObject *parent = nullptr);

    Duration now() const override { return m_clock.now(); }
    void at(Duration when, std::function<void()> fn) override;

    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // Drops every callback not yet run.
    void clear();

private:
    void arm(std::uint64_t seq, Duration when);
    void fire(std::uint64_t seq, Duration when);

    SteadyClock m_clock;
    std::map<std::uint64_t, std::function<void()>> m_waiting; // by sequence
    std::multimap<Duration, std::uint64_t> m_held;            // due while paused
    std::uint64_t m_seq = 0;
    bool m_paused = false;
};

} // namespace retrylab
