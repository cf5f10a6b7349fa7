// SPDX-License-Identifier: GPL-3.0-or-later
#include "real_scheduler.h"

#include <QTimer>

#include <algorithm>

namespace retrylab {

RealScheduler::RealScheduler(QObject *parent)
    : RealScheduler(QElapsedTimer(), parent)
{}

RealScheduler::RealScheduler(const QElapsedTimer &origin, QObject *parent)
    : QObject(parent)
    , m_clock(origin.isValid() ? SteadyClock(origin) : SteadyClock())
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &RealScheduler::runDue);
}

RealScheduler::~RealScheduler() = default;

void RealScheduler::at(Duration when, std::function<void()> fn)
{
    m_heap.push_back({when, m_seq++, std::move(fn)});
    std::push_heap(m_heap.begin(), m_heap.end(), &RealScheduler::later);
    if (!m_running && !m_paused && when < m_armedFor)
        arm();
}

void RealScheduler::arm()
{
    if (m_heap.empty() || m_paused) {
        m_timer->stop();
        m_armedFor = kMaxDuration;
        return;
    }
    const Duration when = m_heap.front().when;
    const Duration left = when - now();
    // Whole milliseconds, rounded up: Qt's timers count milliseconds, and a timer may be late,
    // never early.
    const auto ms = std::max<qint64>(0, (left.count() + 999) / 1000);
    m_armedFor = when;
    m_timer->start(int(std::min<qint64>(ms, INT32_MAX)));
}

void RealScheduler::runDue()
{
    m_armedFor = kMaxDuration;
    m_running = true;
    // Only what was scheduled before this turn: callbacks that schedule work for "now" run on
    // the next turn, after the sockets had theirs.
    const std::uint64_t barrier = m_seq;
    const Duration t = now();
    while (!m_paused && !m_heap.empty() && m_heap.front().when <= t &&
           m_heap.front().seq < barrier) {
        std::pop_heap(m_heap.begin(), m_heap.end(), &RealScheduler::later);
        auto fn = std::move(m_heap.back().fn);
        m_heap.pop_back();
        fn();
    }
    m_running = false;
    arm();
}

void RealScheduler::pause()
{
    m_paused = true;
    arm();
}

void RealScheduler::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    arm();
}

void RealScheduler::clear()
{
    m_heap.clear();
    arm();
}

} // namespace retrylab
