// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine_shards.h"

#include "base/epoll_dispatcher.h"
#include "engine_shard.h"

#include <QThread>

#include <algorithm>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// Linux grows a process's table of file descriptors by doubling, and in a process with threads
// each step waits out an RCU grace period: milliseconds on a busy machine, spent inside
// socket() or accept() in the middle of the run, with every thread that opens a socket
// meanwhile waiting too, and every wait due in those threads held back. One step before the
// run's clock starts makes room for the sockets it will open: a connection per client, and
// as many again for the built-in server's side when it runs in this process.
void reserveDescriptors(int clients)
{
#ifdef Q_OS_LINUX
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < 2)
        return;
    const rlim_t wanted = rlim_t(clients) * 2 + 64;
    const auto highest = int(std::min<rlim_t>({wanted, limit.rlim_cur - 1, rlim_t(1) << 20}));
    const int base = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (base < 0)
        return;
    const int far = ::fcntl(base, F_DUPFD_CLOEXEC, highest); // the table grows to hold it
    if (far >= 0)
        ::close(far);
    ::close(base);
#else
    Q_UNUSED(clients);
#endif
}

} // namespace

int EngineShards::countFor(const Scenario &scenario, int requested)
{
    // One shared breaker or budget, or one stream of open-loop arrivals, is one engine's state.
    if (scenario.arrivalRatePerSecond > 0 || scenario.sharedBreaker || scenario.sharedBudget)
        return 1;
    // The built-in server's thread needs a core of its own: with a shard per core besides, a
    // thread that keeps time waits for one (core/README.md, "Threads").
    const int cores = QThread::idealThreadCount() - (scenario.builtinServer ? 1 : 0);
    const int wanted = requested > 0 ? requested : std::clamp(cores, 1, kAutoShards);
    return std::clamp(wanted, 1, std::clamp(scenario.clients, 1, kMaxShards));
}

EngineShards::EngineShards(const Scenario &scenario, const QUrl &target, int count, AttemptLog &log,
                           const QList<int> &cores, QObject *parent)
    : QObject(parent)
{
    reserveDescriptors(scenario.clients);
    std::vector<LogSegment *> segments;
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(u"engine-%1"_s.arg(i));
        if (QAbstractEventDispatcher *loop = EpollDispatcher::create())
            thread->setEventDispatcher(loop); // a turn costs what is ready, not what is open
        auto *shard = new EngineShard(scenario, {std::uint32_t(i), std::uint32_t(count)}, target,
                                      m_origin, log, cores);
        shard->moveToThread(thread);
        connect(shard, &EngineShard::finished, this, &EngineShards::onShardFinished);
        segments.push_back(&shard->segment());
        m_threads.push_back(thread);
        m_shards.push_back(shard);
    }
    m_merger = std::make_unique<SegmentMerger>(log, std::move(segments));
}

EngineShards::~EngineShards()
{
    for (std::size_t i = 0; i < m_shards.size(); ++i) {
        if (m_threads[i]->isRunning())
            QMetaObject::invokeMethod(
                m_shards[i], [s = m_shards[i]] { delete s; }, Qt::BlockingQueuedConnection);
        else
            delete m_shards[i];
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
}

void EngineShards::start()
{
    for (std::size_t i = 0; i < m_shards.size(); ++i) {
        m_threads[i]->start();
        QMetaObject::invokeMethod(m_shards[i], &EngineShard::prepare, Qt::BlockingQueuedConnection);
    }
    m_origin.start(); // the run's clock starts once every shard is ready
    for (EngineShard *s : m_shards)
        QMetaObject::invokeMethod(s, &EngineShard::start);
}

void EngineShards::stop()
{
    for (EngineShard *s : m_shards)
        QMetaObject::invokeMethod(s, &EngineShard::stop);
}

void EngineShards::abandonInFlight(const QString &why)
{
    for (EngineShard *s : m_shards)
        QMetaObject::invokeMethod(s, [s, why] { s->abandonInFlight(why); });
}

void EngineShards::pause()
{
    for (EngineShard *s : m_shards)
        QMetaObject::invokeMethod(s, &EngineShard::pause);
}

void EngineShards::resume()
{
    for (EngineShard *s : m_shards)
        QMetaObject::invokeMethod(s, &EngineShard::resume);
}

std::size_t EngineShards::merge()
{
    return m_merger->merge();
}

quint64 EngineShards::operationsDone() const
{
    quint64 n = 0;
    for (const EngineShard *s : m_shards)
        n += s->operationsDone();
    return n;
}

quint64 EngineShards::operationsStarted() const
{
    quint64 n = 0;
    for (const EngineShard *s : m_shards)
        n += s->operationsStarted();
    return n;
}

void EngineShards::onShardFinished()
{
    if (++m_finished < count())
        return;
    merge(); // every segment is closed: this places everything
    Q_EMIT finished();
}

} // namespace retrylab
