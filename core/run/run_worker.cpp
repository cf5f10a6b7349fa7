// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_worker.h"

#include "analysis/load_series.h"
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "engine_shards.h"
#include "mock/mock_server_host.h"
#include "transport/simulated_transport.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
// The bookkeeping (merge, log, tally) runs in small, frequent slices: on 2 cores, one 5–8 ms
// slice every 100 ms held a core while the built-in server and the shard that keeps time took
// turns on the other, and retries fell due in a queue (core/README.md, "Threads").
constexpr int kTickMs = 10;
constexpr int kTicksPerView = 10;    // views hear of new records every 100 ms,
constexpr int kTicksPerSummary = 50; // and of the live summary every 500 ms
} // namespace

RunWorker::RunWorker(const Scenario &scenario, std::shared_ptr<AttemptLog> log, QString jsonlPath,
                     MockServerHost *sharedServer, const Redactor &redactor, int shards)
    : m_scenario(scenario)
    , m_log(std::move(log))
    , m_jsonlPath(std::move(jsonlPath))
    , m_redactor(redactor)
    , m_server(sharedServer)
    , m_shardCount(shards)
{}

RunWorker::~RunWorker()
{
    m_shards.reset(); // their connections close before the server they talk to stops
    m_engine.reset(); // before the transport and scheduler it uses
    m_transport.reset();
    releaseCores();
}

void RunWorker::releaseCores()
{
    if (m_cores.isSplit() && !m_ownServer && m_server)
        m_server->keepToCores(m_cores.all); // the GUI's server goes on after the run
    m_cores = {};
}

void RunWorker::start()
{
    QString error;
    if (!m_jsonlPath.isEmpty() && !m_writer.open(m_jsonlPath, &error, m_redactor)) {
        Q_EMIT failed(error);
        return;
    }
    QUrl target = m_scenario.url;
    if (m_scenario.simulated) {
        m_virtual = std::make_unique<VirtualScheduler>();
        auto sim =
            std::make_unique<SimulatedTransport>(*m_virtual, m_scenario.profile, m_scenario.seed,
                                                 m_scenario.networkDelay, m_scenario.contention);
        m_simulated = sim.get();
        m_transport = std::move(sim);
        m_engine = std::make_unique<RunEngine>(m_scenario, *m_virtual, *m_transport, *m_log);
        target = QUrl(u"sim://built-in"_s);
    } else {
        if (m_scenario.builtinServer && m_server && m_server->isRunning()) {
            m_server->reset(); // a fresh journal and ledger for this run
            target = m_server->url();
        } else if (m_scenario.builtinServer) {
            m_ownServer = std::make_unique<MockServerHost>();
            m_server = m_ownServer.get();
            if (!m_server->start(m_scenario.profile, m_scenario.seed, QHostAddress::LocalHost, 0,
                                 &error)) {
                Q_EMIT failed(u"the built-in server did not start: "_s + error);
                return;
            }
            target = m_server->url();
        } else {
            m_server = nullptr;
        }
        if (m_server && m_splitCores) {
            m_cores = CorePlacement::split(CorePlacement::allowedCores(),
                                           EngineShards::countFor(m_scenario, m_shardCount));
            if (m_cores.isSplit()) {
                keepThreadTo(m_cores.rest);
                m_server->keepToCores(m_cores.rest);
            }
        }
    }
    if (m_engine)
        m_engine->onFinished = [this] {
            QTimer::singleShot(0, this, &RunWorker::complete);
        };
    m_ticker = new QTimer(this);
    m_ticker->setInterval(kTickMs);
    connect(m_ticker, &QTimer::timeout, this, &RunWorker::tick);
    m_ticker->start();
    if (!m_engine)
        startShards(target); // readies each shard's thread, then starts the run's clock
    // The wall-clock start the log's times count from: the shards' clock has just started.
    m_log->setRunInfo(
        {m_scenario.toJson(), target, QDateTime::currentDateTimeUtc(), m_cores.describe()});
    Q_EMIT started(target);
    if (m_engine)
        m_engine->start();
    if (m_virtual)
        QTimer::singleShot(0, this, &RunWorker::simulateSlice);
}

void RunWorker::startShards(const QUrl &target)
{
    m_shards = std::make_unique<EngineShards>(m_scenario, target,
                                              EngineShards::countFor(m_scenario, m_shardCount),
                                              *m_log, m_cores.shards);
    // Not from inside the shards' own signal: complete() ends them.
    connect(m_shards.get(), &EngineShards::finished, this,
            [this] { QTimer::singleShot(0, this, &RunWorker::complete); });
    m_shards->start();
}

void RunWorker::simulateSlice()
{
    if (m_done || m_paused || !m_virtual)
        return;
    // A slice of events, then back to the event loop so pause, stop and ticks get through.
    m_virtual->runSome(200'000);
    if (m_virtual->pending() == 0 && !m_engine->isFinished()) {
        // Nothing is left to happen in simulated time: an attempt still in flight now can
        // never land, so it is abandoned rather than waited for at full speed forever.
        m_engine->abandonInFlight(u"no answer and nothing left to happen in simulated time"_s);
    }
    if (!m_done)
        QTimer::singleShot(0, this, &RunWorker::simulateSlice);
}

void RunWorker::tick()
{
    if (m_shards)
        m_shards->merge();
    followServer();
    if (m_writer.flush(*m_log) < 0 && !m_logFailed) {
        m_logFailed = true;
        Q_EMIT logFailed(m_writer.error());
        stop();
    }
    // The live summary reads only what arrived since the last tick, in the engine's thread.
    m_tally.update(*m_log);
    ++m_ticks;
    if (m_ticks % kTicksPerView != 0)
        return;
    Q_EMIT recordsAppended(static_cast<qsizetype>(m_log->size()));
    if (m_engine)
        Q_EMIT progress(m_engine->operationsDone(), m_engine->operationsStarted());
    else if (m_shards)
        Q_EMIT progress(m_shards->operationsDone(), m_shards->operationsStarted());
    if (m_ticks % kTicksPerSummary == 0)
        Q_EMIT summaryUpdated(m_tally.summary(*m_log));
}

void RunWorker::followServer()
{
    // The simulated server lives in this thread; the real one's feed needs only a brief lock.
    std::vector<AttemptLog::Arrival> arrivals;
    if (m_simulated) {
        const auto entries = m_simulated->journal().since(m_journalSeen);
        for (const JournalEntry &e : entries)
            arrivals.push_back(
                {std::chrono::duration_cast<std::chrono::microseconds>(e.at).count(), e.attempt});
        if (!entries.empty())
            m_journalSeen = entries.back().id;
    } else if (m_server) {
        if (const auto feed = m_server->arrivals()) {
            std::size_t next = 0;
            arrivals = feed->since(std::size_t(m_journalSeen), &next);
            m_journalSeen = qint64(next);
        }
    }
    if (!arrivals.empty())
        m_log->appendArrivals(arrivals);
}

void RunWorker::pause()
{
    m_paused = true;
    if (m_shards)
        m_shards->pause();
}

void RunWorker::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    if (m_shards)
        m_shards->resume();
    if (m_virtual)
        QTimer::singleShot(0, this, &RunWorker::simulateSlice);
}

void RunWorker::stop()
{
    if ((!m_engine && !m_shards) || m_done)
        return;
    resume();
    if (m_stopping) {
        abandonInFlight(u"abandoned: the run was stopped again"_s);
        return;
    }
    m_stopping = true;
    if (m_engine)
        m_engine->stop();
    else
        m_shards->stop();
    // An attempt that hangs (no per-attempt timeout, a server that never answers) would hold
    // a stopped run forever: those still in flight after the grace period are abandoned.
    QTimer::singleShot(kStopGraceMs, this, [this] {
        if (!m_done)
            abandonInFlight(u"abandoned: still in flight %1 s after the run was stopped"_s.arg(
                kStopGraceMs / 1000));
    });
}

void RunWorker::abandonInFlight(const QString &why)
{
    if (m_engine)
        m_engine->abandonInFlight(why);
    else if (m_shards)
        m_shards->abandonInFlight(why);
}

void RunWorker::complete()
{
    if (m_done)
        return;
    m_done = true;
    m_ticker->stop();
    std::vector<JournalEntry> journal;
    if (m_simulated)
        journal = m_simulated->journal().since(0);
    else if (m_server)
        journal = m_server->journal();
    const auto serverRequests = static_cast<qint64>(journal.size());
    const qint64 peakServer = LoadSeries::fromJournal(journal).peak();
    m_log->appendJournal(std::move(journal));
    tick();
    m_shards.reset(); // their connections close before the server they talk to stops
    releaseCores();
    m_writer.close();
    RunSummary summary = m_tally.summary(*m_log); // tick() has counted the last records
    if (m_simulated || m_server) {
        summary.serverRequests = serverRequests;
        summary.peakServerPer100ms = peakServer;
    }
    if (m_simulated) {
        summary.duplicates = m_simulated->ledger().duplicates();
        const auto &j = m_simulated->journal();
        summary.serverCompliancePercent = compliancePercent(j.judged(), j.violations());
    } else if (m_server) {
        const ServerStats stats = m_server->stats();
        summary.duplicates = stats.duplicates;
        summary.serverCompliancePercent = stats.compliancePercent();
        if (m_ownServer)
            m_ownServer->stop();
    }
    Q_EMIT finished(summary);
}

} // namespace retrylab
