// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInteger>
#include <QHash>

#include <chrono>
#include <vector>

namespace retrylab {

// An event loop for a thread that watches thousands of sockets (an engine shard, the built-in
// server), on Linux's epoll: a turn costs what is ready, not what is open. Qt's own loops, GLib's
// and the Unix one, poll() every watched descriptor on every turn, so 2,000 clients spent most
// of their CPU in the kernel looking at sockets with nothing to say (core/README.md, "Threads").
// Install it before the thread starts: QThread::setEventDispatcher(EpollDispatcher::create()).
// Socket notifiers behave as under poll() (level-triggered; a hang-up or an error wakes the
// read and the write notifier); QTimers count milliseconds, never fire early, and a timer is
// never sent two events in one turn. Everything but wakeUp() and interrupt() is called from
// the dispatcher's own thread.
class EpollDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    // nullptr where epoll is not there (not Linux): the thread keeps Qt's own loop.
    static QAbstractEventDispatcher *create();
    ~EpollDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    using QAbstractEventDispatcher::remainingTime;
    using QAbstractEventDispatcher::unregisterTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType type, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Descriptors watched now (for tests).
    qsizetype watched() const { return m_watches.size(); }

private:
    using Clock = std::chrono::steady_clock;
    EpollDispatcher(int epoll, int wake);

    struct Watch {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        std::uint32_t told = 0; // the interest epoll has now
        bool queued = false;    // in m_changed
        bool polled = false;    // a regular file: epoll refuses it, poll() calls it always ready
    };
    struct Timer {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        Clock::time_point due;
        quint64 generation = 0; // which heap entry is this timer's current one
        bool firing = false;    // in its own timer event: a nested loop must not fire it again
    };
    struct Due {
        Clock::time_point due;
        int id;
        quint64 generation;
        bool operator>(const Due &o) const { return due > o.due; }
    };

    void watch(int fd, Watch &w);
    void tellEpoll();
    void activate(int fd, std::uint32_t events);
    void arm(int id, Timer &t);
    int msToNextTimer(); // -1: no timer
    bool fireTimers();

    int m_epoll = -1;
    int m_wake = -1; // an eventfd: wakeUp() writes it
    QAtomicInteger<int> m_interrupted = 0;
    QHash<int, Watch> m_watches;
    std::vector<int> m_changed;     // descriptors whose interest epoll has not been told yet
    std::vector<int> m_alwaysReady; // descriptors epoll cannot watch
    QHash<int, Timer> m_timers;
    std::vector<Due> m_heap; // a min-heap; entries of unregistered or re-armed timers are stale
    quint64 m_generation = 0;
};

} // namespace retrylab
