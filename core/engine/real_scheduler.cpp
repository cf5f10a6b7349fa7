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
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &RealScheduler::runDue);
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
            m_fdArmedFor = kMaxDuration;
            runDue();
        });
    }
#endif
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

std::uint64_t RealScheduler::at(Duration when, std::function<void()> fn)
{
    if (!fn)
        return 0; // nothing to run (an empty callback in the queue means a dropped one)
    const std::uint64_t ticket = m_seq++;
    // In order of deadline already (every per-attempt timeout, when the timeout is the same):
    // the queue, where a hundred thousand of them cost no more to keep, or to drop, than a
    // hundred; the heap's log-time steps and its reallocations would grow with them.
    if (m_queue.empty() || when >= m_queue.back().when) {
        m_queue.push_back({when, ticket, std::move(fn)});
    } else {
        m_heap.push_back({when, ticket, std::move(fn)});
        std::push_heap(m_heap.begin(), m_heap.end(), &RealScheduler::later);
    }
    if (!m_running && !m_paused && when < m_armedFor)
        arm();
    return ticket;
}

// A closed loop at 50,000 attempts a second would otherwise keep a quarter of a million
// timeouts of attempts that answered long ago, each waking the thread and setting the timer
// once more when its deadline comes (core/engine/README.md, "Waits on time"). In the queue the
// ticket is found by bisection (tickets grow from front to back) and its callback let go at
// once; dropped callbacks at the front leave with it, so the front is always one that runs.
// Elsewhere it is remembered, for the heap to let go when it comes to the front.
void RealScheduler::drop(std::uint64_t ticket)
{
    if (ticket == 0)
        return;
    const auto it = std::lower_bound(m_queue.begin(), m_queue.end(), ticket,
                                     [](const Entry &e, std::uint64_t t) { return e.seq < t; });
    if (it == m_queue.end() || it->seq != ticket) {
        m_dropped.insert(ticket);
        return;
    }
    if (it->fn) {
        it->fn = nullptr;
        ++m_queueDropped;
    }
    trimQueue();
}

void RealScheduler::trimQueue()
{
    while (!m_queue.empty() && !m_queue.front().fn) {
        m_queue.pop_front();
        --m_queueDropped;
    }
}

// The callback that runs next (maybe one the heap is still to let go), or none.
const RealScheduler::Entry *RealScheduler::earliest() const
{
    if (m_heap.empty())
        return m_queue.empty() ? nullptr : &m_queue.front();
    if (m_queue.empty() || later(m_queue.front(), m_heap.front()))
        return &m_heap.front();
    return &m_queue.front();
}

// Dropped callbacks at the front of the heap go, unrun, a bounded number at a time: behind one
// attempt that hung for its whole timeout, thousands may be waiting. Says whether the front
// is one that will run (or the heap is empty); if not, the next turn goes on.
bool RealScheduler::letDroppedGo()
{
    constexpr int kPerTurn = 256;
    for (int n = 0; n < kPerTurn; ++n) {
        if (m_heap.empty() || m_dropped.empty() || m_dropped.erase(m_heap.front().seq) == 0)
            return true;
        std::pop_heap(m_heap.begin(), m_heap.end(), &RealScheduler::later);
        m_heap.pop_back();
    }
    return m_heap.empty() || !m_dropped.contains(m_heap.front().seq);
}

// Callbacks already due go by a zero-time QTimer: the next turn of the event loop, without a
// system call. Later ones arm the timerfd: setting a timer is a system call that reprograms
// the processor's timer (costly in a virtual machine), and a closed loop schedules an
// operation "now" thousands of times a second. The timerfd is set again only for an earlier
// deadline: left armed for a callback that has run or been dropped (each answer
// drops the timeout at the front), it just wakes the loop once, finding nothing due, and is
// set then for the deadline that is left.
void RealScheduler::arm()
{
    if (!m_paused && !letDroppedGo()) {
        m_armedFor = Duration::min(); // a turn is coming: nothing scheduled meanwhile re-arms
        m_timer->start(0);
        return;
    }
    const Entry *first = earliest();
    if (!first || m_paused) {
        m_armedFor = kMaxDuration;
        m_timer->stop();
        return;
    }
    m_armedFor = first->when;
    // Measured before the timer is set, so the timer runs out no earlier than the deadline.
    const Duration left = m_armedFor - now();
#ifdef Q_OS_LINUX
    if (m_timerFd >= 0 && left > Duration::zero()) {
        m_timer->stop();
        if (m_armedFor < m_fdArmedFor) {
            itimerspec spec{};
            const qint64 ns = left.count() * 1000;
            spec.it_value.tv_sec = time_t(ns / 1'000'000'000);
            spec.it_value.tv_nsec = long(ns % 1'000'000'000);
            timerfd_settime(m_timerFd, 0, &spec, nullptr);
            m_fdArmedFor = m_armedFor;
        }
        return;
    }
#endif
    // Whole milliseconds, rounded up: QTimer counts milliseconds, and a wait may be late,
    // never early.
    const qint64 ms = std::max<qint64>(0, (left.count() + 999) / 1000);
    m_timer->start(int(std::min<qint64>(ms, INT32_MAX)));
}

void RealScheduler::catchUp()
{
    if (m_running || m_paused)
        return;
    // Cheap when nothing is due: one look at the earliest deadline and the clock.
    const Entry *first = earliest();
    if (!first || first->when > now())
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
    while (!m_paused) {
        const Entry *first = earliest();
        if (!first || first->when > t || first->seq >= barrier)
            break;
        std::function<void()> fn;
        if (!m_heap.empty() && first == &m_heap.front()) {
            std::pop_heap(m_heap.begin(), m_heap.end(), &RealScheduler::later);
            fn = std::move(m_heap.back().fn);
            const std::uint64_t seq = m_heap.back().seq;
            m_heap.pop_back();
            if (!m_dropped.empty() && m_dropped.erase(seq) != 0)
                continue;
        } else {
            fn = std::move(m_queue.front().fn);
            m_queue.pop_front();
            trimQueue();
        }
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
    m_dropped.clear();
    m_queue.clear();
    m_queueDropped = 0;
    arm();
}

} // namespace retrylab
