// SPDX-License-Identifier: GPL-3.0-or-later
#include "real_scheduler.h"

#include <QTimer>

namespace retrylab {

RealScheduler::RealScheduler(QObject *parent)
    : QObject(parent)
{}

void RealScheduler::at(Duration when, std::function<void()> fn)
{
    const std::uint64_t seq = m_seq++;
    m_waiting.emplace(seq, std::move(fn));
    arm(seq, when);
}

void RealScheduler::arm(std::uint64_t seq, Duration when)
{
    const Duration left = when - now();
    // Whole milliseconds, rounded up: a timer may be late, never early.
    const auto ms = std::max<qint64>(0, (left.count() + 999) / 1000);
    QTimer::singleShot(std::chrono::milliseconds(ms), Qt::PreciseTimer, this,
                       [this, seq, when] { fire(seq, when); });
}

void RealScheduler::fire(std::uint64_t seq, Duration when)
{
    if (!m_waiting.contains(seq))
        return; // cleared
    if (now() < when) {
        arm(seq, when); // woke early: wait for the rest
        return;
    }
    if (m_paused) {
        m_held.emplace(when, seq);
        return;
    }
    auto fn = std::move(m_waiting[seq]);
    m_waiting.erase(seq);
    fn();
}

void RealScheduler::pause()
{
    m_paused = true;
}

void RealScheduler::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    // Release what fell due during the pause, in due order, on the next loop turns.
    const auto held = std::exchange(m_held, {});
    for (const auto &[when, seq] : held)
        QTimer::singleShot(0, this, [this, seq, w = when] { fire(seq, w); });
}

void RealScheduler::clear()
{
    m_waiting.clear();
    m_held.clear();
}

} // namespace retrylab
