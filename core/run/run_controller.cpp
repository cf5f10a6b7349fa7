// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_controller.h"

#include "run_worker.h"

namespace retrylab {

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("engine"));
}

RunController::~RunController()
{
    finish();
}

void RunController::start(const Scenario &scenario, const QString &jsonlPath,
                          MockServerHost *server)
{
    finish();
    m_log = std::make_shared<AttemptLog>(static_cast<std::size_t>(scenario.maxRecords));
    m_worker = new RunWorker(scenario, m_log, jsonlPath, server, m_redactor, m_shards);
    m_worker->setSplitCores(m_splitCores);
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &RunWorker::started, this, &RunController::runStarted);
    connect(m_worker, &RunWorker::recordsAppended, this, &RunController::recordsAppended);
    connect(m_worker, &RunWorker::progress, this, &RunController::progress);
    connect(m_worker, &RunWorker::summaryUpdated, this, &RunController::summaryUpdated);
    connect(m_worker, &RunWorker::logFailed, this, &RunController::logFailed);
    connect(m_worker, &RunWorker::finished, this, [this](const RunSummary &s) {
        m_running = false;
        Q_EMIT runFinished(s);
    });
    connect(m_worker, &RunWorker::failed, this, [this](const QString &reason) {
        m_running = false;
        Q_EMIT runFailed(reason);
    });
    m_thread.start();
    m_running = true;
    QMetaObject::invokeMethod(m_worker, &RunWorker::start);
}

void RunController::pause()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &RunWorker::pause);
}

void RunController::resume()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &RunWorker::resume);
}

void RunController::stop()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &RunWorker::stop);
}

void RunController::finish()
{
    if (!m_worker)
        return;
    // The worker and everything it made die in their own thread.
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread.quit();
    m_thread.wait();
    m_running = false;
}

} // namespace retrylab
