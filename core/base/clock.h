// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "duration.h"

#include <QElapsedTimer>

namespace retrylab {

// Monotonic time since an arbitrary origin. Policy code only ever asks a Clock, so tests and
// the simulation drive time by hand.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual Duration now() const = 0;
};

// Real time, from the monotonic system clock.
class SteadyClock final : public Clock
{
public:
    SteadyClock() { m_timer.start(); }
    // Counts from another clock's origin: the threads of one run share its time line.
    explicit SteadyClock(const QElapsedTimer &origin)
        : m_timer(origin)
    {}
    Duration now() const override { return Duration(m_timer.nsecsElapsed() / 1000); }

private:
    QElapsedTimer m_timer;
};

// Time that moves only when told to: tests and the virtual-time engine.
class ManualClock final : public Clock
{
public:
    Duration now() const override { return m_now; }
    void advance(Duration d) { m_now += d; }
    void set(Duration t) { m_now = t; }

private:
    Duration m_now{0};
};

} // namespace retrylab
