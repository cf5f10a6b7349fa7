// SPDX-License-Identifier: GPL-3.0-or-later
#include "real_scheduler.h"

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace retrylab {

RealScheduler::RealScheduler(QObject *parent)
    : RealScheduler(QElapsedTimer(), parent)
{}

RealScheduler::RealScheduler(const QElapsedTimer &origin, QObject *parent)
    : QObject(parent)
    , m_clock(origin.isValid() ? SteadyClock(origin) : SteadyClock())
{
#ifdef Q_OS_LINUX
    // QElapsedTimer counts CLOCK_MONOTONIC on Linux, the clock this timer runs on.
    m_timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd >= 0) {
        m_timerReady = new QSocketNotifier(m_timerFd, QSocketNotifier::Read, this);
        connect(m_timerReady, &QSocketNotifier::activated, this, [this] {
            std::uint64_t expirations = 0;
            if (::read(m_timerFd, &expirations, sizeof expirations) < 0) {
                // EAGAIN: re-armed after it fired and before we got here; nothing to clear.
            }
            runDue();
        });
        return;
    }
#endif
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &RealScheduler::runDue);
}

RealScheduler::~RealScheduler()
{
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        delete m_timerReady; // before the descriptor it watches
        ::close(m_timerFd);
    }
#endif
}

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
        m_armedFor = kMaxDuration;
        disarm();
        return;
    }
    m_armedFor = m_heap.front().when;
    armFor(std::max(Duration::zero(), m_armedFor - now()));
}

void RealScheduler::disarm()
{
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        const itimerspec none{};
        timerfd_settime(m_timerFd, 0, &none, nullptr);
        return;
    }
#endif
    m_timer->stop();
}

// Arms the timer `left` from now. `left` was measured before the timer is set, so the timer
// runs out no earlier than the deadline.
void RealScheduler::armFor(Duration left)
{
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0) {
        itimerspec spec{};
        // A zero it_value disarms: "at once" is one nanosecond.
        const qint64 ns = std::max<qint64>(1, left.count() * 1000);
        spec.it_value.tv_sec = time_t(ns / 1'000'000'000);
        spec.it_value.tv_nsec = long(ns % 1'000'000'000);
        timerfd_settime(m_timerFd, 0, &spec, nullptr);
        return;
    }
#endif
    // Whole milliseconds, rounded up: QTimer counts milliseconds, and a wait may be late,
    // never early.
    const qint64 ms = (left.count() + 999) / 1000;
    m_timer->start(int(std::min<qint64>(ms, INT32_MAX)));
}

void RealScheduler::catchUp()
{
    // Cheap when nothing is due: one look at the earliest deadline and the clock.
    if (m_running || m_paused || m_heap.empty() || m_heap.front().when > now())
        return;
    runDue();
}

void RealScheduler::runDue()
{
    if (m_running) // a callback's own work ended up here (catchUp): the outer turn goes on
        return;
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
