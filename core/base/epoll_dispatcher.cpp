// SPDX-License-Identifier: GPL-3.0-or-later
#include "epoll_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace retrylab {

namespace {

constexpr int kEventsPerTurn = 512;

std::uint32_t interestOf(bool read, bool write, bool exception)
{
    return (read ? EPOLLIN : 0u) | (write ? EPOLLOUT : 0u) | (exception ? EPOLLPRI : 0u);
}

} // namespace

QAbstractEventDispatcher *EpollDispatcher::create()
{
    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0)
        return nullptr;
    const int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake;
    if (wake < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &ev) < 0) {
        if (wake >= 0)
            ::close(wake);
        ::close(epoll);
        return nullptr;
    }
    return new EpollDispatcher(epoll, wake);
}

EpollDispatcher::EpollDispatcher(int epoll, int wake)
    : m_epoll(epoll)
    , m_wake(wake)
{}

EpollDispatcher::~EpollDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

// --- Sockets ---

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &w = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        w.read = notifier;
        break;
    case QSocketNotifier::Write:
        w.write = notifier;
        break;
    case QSocketNotifier::Exception:
        w.exception = notifier;
        break;
    }
    watch(fd, w);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    for (QSocketNotifier **slot : {&it->read, &it->write, &it->exception})
        if (*slot == notifier)
            *slot = nullptr;
    watch(fd, *it);
}

// Notes what the notifiers of `fd` want; forgets `fd` when none is left. epoll hears of a change
// just before the loop waits (tellEpoll): QTcpSocket turns its write notifier on in write() and
// off again in flush(), so a request that goes out at once would otherwise cost two epoll_ctl
// calls that cancel out, on both sides of every exchange; in a virtual machine a system call
// is dear. A descriptor that no notifier wants leaves epoll at once: its socket is about to
// close, and its number may come back for another.
void EpollDispatcher::watch(int fd, Watch &w)
{
    const std::uint32_t want = interestOf(w.read, w.write, w.exception);
    if (w.polled) {
        if (!want) {
            m_alwaysReady.erase(std::remove(m_alwaysReady.begin(), m_alwaysReady.end(), fd),
                                m_alwaysReady.end());
            m_watches.remove(fd);
        }
        return;
    }
    if (!want) {
        if (w.told)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr); // ENOENT/EBADF: already gone with fd
        m_watches.remove(fd);
        return;
    }
    if (!w.queued) {
        w.queued = true;
        m_changed.push_back(fd);
    }
}

void EpollDispatcher::tellEpoll()
{
    for (const int fd : m_changed) {
        const auto it = m_watches.find(fd);
        if (it == m_watches.end() || !it->queued)
            continue; // forgotten since, or told already (its number came back)
        Watch &w = *it;
        w.queued = false;
        const std::uint32_t want = interestOf(w.read, w.write, w.exception);
        if (want == w.told)
            continue;
        epoll_event ev{};
        ev.events = want;
        ev.data.fd = fd;
        // MOD when epoll has it, ADD when not; each falls back on the other if epoll disagrees
        // (a descriptor closed and reopened under the same number behind our back).
        int rc = epoll_ctl(m_epoll, w.told ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
        if (rc != 0 && errno == ENOENT)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        else if (rc != 0 && errno == EEXIST)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        if (rc != 0) {
            if (errno == EPERM) { // a regular file: as poll() sees it, always ready
                w.polled = true;
                m_alwaysReady.push_back(fd);
            }
            continue; // EBADF: closed already; its notifiers go when their socket does
        }
        w.told = want;
    }
    m_changed.clear();
}

// As poll() reports them to Qt's own loop: a hang-up or an error wakes both directions.
void EpollDispatcher::activate(int fd, std::uint32_t events)
{
    const std::uint32_t broken = EPOLLHUP | EPOLLERR;
    const std::pair<std::uint32_t, QSocketNotifier * Watch::*> kinds[] = {
        {EPOLLIN | EPOLLRDHUP | broken, &Watch::read},
        {EPOLLOUT | broken, &Watch::write},
        {EPOLLPRI, &Watch::exception},
    };
    for (const auto &[mask, member] : kinds) {
        if (!(events & mask))
            continue;
        // Looked up again each time: the previous notifier's slot may have removed this one.
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.constEnd())
            return;
        if (QSocketNotifier *n = (*it).*member) {
            QEvent event(QEvent::SockAct);
            QCoreApplication::sendEvent(n, &event);
        }
    }
}

// --- Timers ---

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType type,
                                    QObject *object)
{
    Timer &t = m_timers[timerId];
    t.object = object;
    t.intervalMs = std::max<qint64>(0, interval);
    t.type = type;
    t.firing = false;
    t.due = Clock::now() + std::chrono::milliseconds(t.intervalMs);
    arm(timerId, t);
}

void EpollDispatcher::arm(int id, Timer &t)
{
    t.generation = ++m_generation;
    m_heap.push_back({t.due, id, t.generation});
    std::push_heap(m_heap.begin(), m_heap.end(), std::greater<>());
    // Timers stopped before they ran leave entries behind: drop them when they outnumber
    // the live ones, so that a loop that starts and stops timers all day stays small.
    if (m_heap.size() > 2 * std::size_t(m_timers.size()) + 64) {
        std::erase_if(m_heap, [this](const Due &d) {
            const auto it = m_timers.constFind(d.id);
            return it == m_timers.constEnd() || it->generation != d.generation;
        });
        std::make_heap(m_heap.begin(), m_heap.end(), std::greater<>());
    }
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const auto &it) { return it.value().object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> out;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
        if (it->object == object)
            out.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    return out;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(it->due - Clock::now());
    return int(std::max<qint64>(0, left.count()));
}

// Milliseconds to the earliest timer, rounded up so that it is never early; -1: none.
int EpollDispatcher::msToNextTimer()
{
    while (!m_heap.empty()) {
        const Due &top = m_heap.front();
        const auto it = m_timers.constFind(top.id);
        if (it != m_timers.constEnd() && it->generation == top.generation) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(top.due - Clock::now());
            return int(std::clamp<qint64>(left.count(), 0, INT32_MAX));
        }
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
        m_heap.pop_back();
    }
    return -1;
}

// Each timer due now gets one event; those its handlers start wait for the next turn.
bool EpollDispatcher::fireTimers()
{
    const Clock::time_point now = Clock::now();
    std::vector<int> due;
    while (!m_heap.empty() && m_heap.front().due <= now) {
        const Due top = m_heap.front();
        std::pop_heap(m_heap.begin(), m_heap.end(), std::greater<>());
        m_heap.pop_back();
        const auto it = m_timers.constFind(top.id);
        if (it != m_timers.constEnd() && it->generation == top.generation)
            due.push_back(top.id);
    }
    for (const int id : due) {
        auto it = m_timers.find(id); // an earlier handler may have stopped it
        if (it == m_timers.end())
            continue;
        if (it->firing) { // its own handler is running a nested loop
            arm(id, *it);
            continue;
        }
        // Next time one interval on, or one interval from now if that has passed already.
        it->due += std::chrono::milliseconds(it->intervalMs);
        if (it->due < now)
            it->due = now + std::chrono::milliseconds(it->intervalMs);
        arm(id, *it);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        it = m_timers.find(id); // the handler may have stopped or restarted it
        if (it != m_timers.end())
            it->firing = false;
    }
    return !due.empty();
}

// --- The loop ---

void EpollDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const auto written = ::write(m_wake, &one, sizeof one); // EAGAIN: awake
}

void EpollDispatcher::interrupt()
{
    m_interrupted.storeRelease(1);
    wakeUp();
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelease(0);
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();
    tellEpoll();
    const bool canWait = flags.testFlag(QEventLoop::WaitForMoreEvents) &&
                         !m_interrupted.loadAcquire() && m_alwaysReady.empty();
    const int timeout = canWait ? msToNextTimer() : 0;
    if (canWait) // as Qt's own loops do, also when a timer is already due
        Q_EMIT aboutToBlock();
    epoll_event events[kEventsPerTurn];
    int n = epoll_wait(m_epoll, events, kEventsPerTurn, timeout);
    if (n < 0)
        n = 0; // EINTR: a signal; the next turn goes on
    for (int i = 0; i < n; ++i) {
        if (events[i].data.fd == m_wake) { // wakeUp(): posted events go at the next turn's start
            quint64 count = 0;
            [[maybe_unused]] const auto read = ::read(m_wake, &count, sizeof count);
        }
    }
    bool handled = false;
    if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_wake)
                continue;
            activate(fd, events[i].events);
            handled = true;
        }
        const std::vector<int> always = m_alwaysReady;
        for (const int fd : always)
            activate(fd, EPOLLIN | EPOLLOUT);
        handled = handled || !always.empty();
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        handled = fireTimers() || handled;
    return handled;
}

} // namespace retrylab
