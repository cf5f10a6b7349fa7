// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/redactor.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>

namespace retrylab {

class MockServerHost;
class RunWorker;

// Runs one scenario in the engine's own thread, in real or simulated time, and reports in
// phases, like hotspot's parser: runStarted, recordsAppended (batched, ~10 per second),
// progress, then runFinished with the summary or runFailed with the reason. The log can be
// read from any thread while the run goes on.
class RunController : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    // Starts a run. Streams the log to `jsonlPath` when it is not empty. A real-time run
    // against the built-in server uses `server` when given (reset first, left running after;
    // it must outlive the run), and otherwise starts one of its own for the run.
    void start(const Scenario &scenario, const QString &jsonlPath = {},
               MockServerHost *server = nullptr);
    // Header names whose values the streamed log hides, besides the default secrets.
    void setRedactor(const Redactor &redactor) { m_redactor = redactor; }
    // Engine shards of the next real-time runs (threads, each with its share of the clients);
    // 0, the default, is one per core, less one for the built-in server (EngineShards::countFor).
    void setShards(int shards) { m_shards = shards; }
    // RunWorker::setSplitCores for the next runs (on by default).
    void setSplitCores(bool split) { m_splitCores = split; }
    void pause();
    void resume();
    void stop();
    bool isRunning() const { return m_running; }
    std::shared_ptr<const AttemptLog> log() const { return m_log; }

Q_SIGNALS:
    void runStarted(const QUrl &target);
    void recordsAppended(qsizetype total);
    void progress(quint64 operationsDone, quint64 operationsStarted);
    // The summary so far, about twice a second while a run goes on.
    void summaryUpdated(const retrylab::RunSummary &summary);
    void runFinished(const retrylab::RunSummary &summary);
    void runFailed(const QString &reason);
    // The streamed log could not be written; the run stops and runFinished follows.
    void logFailed(const QString &reason);

private:
    void finish();

    QThread m_thread;
    RunWorker *m_worker = nullptr;
    std::shared_ptr<AttemptLog> m_log;
    bool m_running = false;
    Redactor m_redactor;
    int m_shards = 0;
    bool m_splitCores = true;
};

} // namespace retrylab
