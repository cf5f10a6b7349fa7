// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/segment_merger.h"
#include "scenario/scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

class QThread;

namespace retrylab {

class EngineShard;

// A real-time run's engine, split over worker threads (core/README.md, "Threads"): each shard
// runs every count-th client with its own event loop, sockets, timer queue and log segment, and
// merge() puts the segments into the run's one log in time order. Lives in, and is called
// from, the run's worker thread; the shards live in threads of their own, reached by queued
// calls.
class EngineShards : public QObject
{
    Q_OBJECT
public:
    // `requested` 0: one shard per core, at most kAutoShards; one core fewer when the built-in
    // server runs in this process.
    static int countFor(const Scenario &scenario, int requested);
    static constexpr int kAutoShards = 4;
    static constexpr int kMaxShards = 64;

    // `cores`: the cores every shard's thread keeps to (system/core_placement.h); empty:
    // wherever the system puts them.
    EngineShards(const Scenario &scenario, const QUrl &target, int count, AttemptLog &log,
                 const QList<int> &cores = {}, QObject *parent = nullptr);
    // Each shard ends in its own thread, closing its connections; then the threads end.
    ~EngineShards() override;

    int count() const { return int(m_shards.size()); }
    void start();
    void stop();
    void abandonInFlight(const QString &why);
    void pause();
    void resume();
    // Moves what the shards recorded into the log, as far as it can be placed in order.
    std::size_t merge();
    quint64 operationsDone() const;
    quint64 operationsStarted() const;
    bool isFinished() const { return m_finished == count(); }

Q_SIGNALS:
    // Every shard finished and the log holds all they recorded.
    void finished();

private:
    void onShardFinished();

    QElapsedTimer m_origin; // the run's time line, shared by every shard
    std::vector<QThread *> m_threads;
    std::vector<EngineShard *> m_shards;
    std::unique_ptr<SegmentMerger> m_merger;
    int m_finished = 0;
};

} // namespace retrylab
