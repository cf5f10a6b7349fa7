// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "analysis/summary_tally.h"
#include "log/jsonl_log.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"
#include "system/core_placement.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QTimer;

namespace retrylab {

class EngineShards;
class MockServerHost;
class RunEngine;
class SimulatedTransport;
class Transport;
class VirtualScheduler;

// The part of a run that lives in the run's worker thread: the built-in server when the target
// is it, the log stream and the summary; in simulated time also the scheduler, transport and
// engine. A real-time run's engine is split into shards with threads of their own
// (engine_shards.h), whose records the worker merges into the log as it streams it.
class RunWorker : public QObject
{
    Q_OBJECT
public:
    // `shards`: engine shards of a real-time run, 0 for one per core (EngineShards::countFor).
    RunWorker(const Scenario &scenario, std::shared_ptr<AttemptLog> log, QString jsonlPath,
              MockServerHost *sharedServer = nullptr, const Redactor &redactor = Redactor(),
              int shards = 0);
    ~RunWorker() override;
    // Against the built-in server in real time, the shards keep to cores of their own and the
    // server and this worker to the rest (system/core_placement.h). On by default; a run that
    // shares the machine with other runs of its own leaves the threads where the system puts them.
    void setSplitCores(bool split) { m_splitCores = split; }

    void start();
    void followServer(); // the built-in server's new arrivals, for the live load chart
    void pause();
    void resume();
    // Ends the run: no new operations or retries; attempts in flight get kStopGrace to land,
    // then are abandoned. A second stop() abandons them at once.
    void stop();
    static constexpr int kStopGraceMs = 2000;

Q_SIGNALS:
    void started(const QUrl &target);
    void recordsAppended(qsizetype total);
    void progress(quint64 done, quint64 started);
    void summaryUpdated(const retrylab::RunSummary &summary);
    void finished(const retrylab::RunSummary &summary);
    void failed(const QString &reason);
    // The streamed log could not be written (a full disk, a file-size limit): the run stops,
    // and finished() follows with what was collected.
    void logFailed(const QString &reason);

private:
    void tick();
    void simulateSlice();
    void startShards(const QUrl &target);
    void abandonInFlight(const QString &why);
    void complete();
    void releaseCores(); // a server shared with the GUI may run anywhere again

    Scenario m_scenario;
    std::shared_ptr<AttemptLog> m_log;
    QString m_jsonlPath;
    Redactor m_redactor;
    qint64 m_journalSeen = 0; // how far the server's arrivals have been followed
    JsonlLogWriter m_writer;
    SummaryTally m_tally; // counts each record once, as it arrives
    std::unique_ptr<MockServerHost> m_ownServer;
    MockServerHost *m_server = nullptr; // m_ownServer, or one shared with the GUI
    int m_shardCount = 0;
    bool m_splitCores = true;
    CorePlacement m_cores;                  // split when the run keeps its threads apart
    std::unique_ptr<EngineShards> m_shards; // real time
    std::unique_ptr<VirtualScheduler> m_virtual;
    std::unique_ptr<Transport> m_transport;
    SimulatedTransport *m_simulated = nullptr;
    std::unique_ptr<RunEngine> m_engine; // simulated time
    QTimer *m_ticker = nullptr;
    bool m_paused = false;
    int m_ticks = 0;
    bool m_done = false;
    bool m_stopping = false;
    bool m_logFailed = false;
};

} // namespace retrylab
