// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/run_engine.h"
#include "log/log_segment.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

#include <atomic>
#include <memory>

namespace retrylab {

class RealScheduler;

// One slice of a real-time run's clients (RunEngine::Slice) with everything of its own: an
// event loop (the thread it is moved to), a timer queue, a transport with its sockets, and a
// log segment the run's worker merges (run/engine_shards.h). Created in the worker's thread
// and moved to its own; start() and the controls run in that thread (queued calls), the
// counters and the segment are read from any thread.
class EngineShard : public QObject
{
    Q_OBJECT
public:
    EngineShard(const Scenario &scenario, RunEngine::Slice slice, const QUrl &target,
                const QElapsedTimer &origin, AttemptLog &log, QList<int> cores = {});
    ~EngineShard() override;

    LogSegment &segment() { return m_segment; }
    quint64 operationsDone() const { return m_done.load(std::memory_order_relaxed); }
    quint64 operationsStarted() const { return m_started.load(std::memory_order_relaxed); }

    // The shard's thread. prepare() readies the thread (its cores, its heap) before the run's
    // clock starts; start() begins the run.
    void prepare();
    void start();
    void stop();
    void abandonInFlight(const QString &why);
    void pause();
    void resume();

Q_SIGNALS:
    // The engine finished and the segment holds everything it recorded.
    void finished();

private:
    // What a 2,000-client run's shard grew its heap by over 20 operations a client was 29 MiB
    // (core/engine/README.md, item 10).
    static constexpr std::size_t kHeapReserve = std::size_t(48) << 20;

    void settle();

    Scenario m_scenario;
    RunEngine::Slice m_slice;
    QUrl m_target;
    const QElapsedTimer &m_origin; // started after prepare(), before start()
    QList<int> m_cores;            // empty: wherever the system puts the thread
    LogSegment m_segment;
    RealScheduler *m_scheduler = nullptr;
    std::unique_ptr<Transport> m_transport;
    std::unique_ptr<RunEngine> m_engine;
    std::atomic<quint64> m_done{0};
    std::atomic<quint64> m_started{0};
};

} // namespace retrylab
