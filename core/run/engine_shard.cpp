// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine_shard.h"

#include "engine/real_scheduler.h"
#include "system/core_placement.h"
#include "system/thread_heap.h"
#include "transport/http_transport.h"
#include "transport/wire_transport.h"

#include <QAbstractEventDispatcher>
#include <QThread>

namespace retrylab {

EngineShard::EngineShard(const Scenario &scenario, RunEngine::Slice slice, const QUrl &target,
                         const QElapsedTimer &origin, AttemptLog &log, QList<int> cores)
    : m_scenario(scenario)
    , m_slice(slice)
    , m_target(target)
    , m_origin(origin)
    , m_cores(std::move(cores))
    , m_segment(log)
{}

EngineShard::~EngineShard()
{
    m_engine.reset(); // before the transport and scheduler it uses
    m_transport.reset();
}

void EngineShard::prepare()
{
    if (!m_cores.isEmpty())
        keepThreadTo(m_cores); // the shards' cores (system/core_placement.h)
    reserveThreadHeap(kHeapReserve);
}

void EngineShard::start()
{
    m_scheduler = new RealScheduler(m_origin, this);
    if (m_scenario.client.stack == ClientOptions::Stack::Qt)
        m_transport = std::make_unique<HttpTransport>(
            m_target, int((m_scenario.clients + int(m_slice.count) - 1) / int(m_slice.count)),
            m_scenario.allowInvalidCertificates, m_scenario.client.keepBodyBytes);
    else
        m_transport = std::make_unique<WireTransport>(m_target, m_scenario.client,
                                                      m_scenario.allowInvalidCertificates);
    m_engine =
        std::make_unique<RunEngine>(m_scenario, *m_scheduler, *m_transport, m_segment, m_slice);
    m_engine->onFinished = [this] {
        settle();
        m_segment.close();
        m_scheduler->clear(); // retries that a Stop cancelled leave their timers behind
        Q_EMIT finished();
    };
    // Just before the loop sleeps no callback is running: whatever this shard records from
    // now on finishes later than now, so the merger may place everything up to now.
    connect(QThread::currentThread()->eventDispatcher(), &QAbstractEventDispatcher::aboutToBlock,
            this, &EngineShard::settle);
    m_engine->start();
}

void EngineShard::settle()
{
    if (!m_engine)
        return;
    m_segment.settle(m_scheduler->now().count());
    m_done.store(m_engine->operationsDone(), std::memory_order_relaxed);
    m_started.store(m_engine->operationsStarted(), std::memory_order_relaxed);
}

void EngineShard::stop()
{
    if (m_engine)
        m_engine->stop();
}

void EngineShard::abandonInFlight(const QString &why)
{
    if (m_engine)
        m_engine->abandonInFlight(why);
}

void EngineShard::pause()
{
    if (m_scheduler)
        m_scheduler->pause();
}

void EngineShard::resume()
{
    if (m_scheduler)
        m_scheduler->resume();
}

} // namespace retrylab
