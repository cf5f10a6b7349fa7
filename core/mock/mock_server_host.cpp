// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_server_host.h"

#include "base/epoll_dispatcher.h"
#include "mock_server.h"
#include "system/core_placement.h"

using namespace Qt::StringLiterals;

namespace retrylab {

MockServerHost::MockServerHost(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"mock-server"_s);
}

MockServerHost::~MockServerHost()
{
    stop();
}

template<typename F> void MockServerHost::onServer(F fn) const
{
    QMutexLocker lock(&m_mutex);
    if (!m_server)
        return;
    MockServer *s = m_server;
    if (QThread::currentThread() == &m_thread)
        fn(s);
    else
        QMetaObject::invokeMethod(
            s, [s, &fn] { fn(s); }, Qt::BlockingQueuedConnection);
}

bool MockServerHost::start(const FaultProfile &profile, std::uint64_t seed,
                           const QHostAddress &address, quint16 port, QString *error,
                           const QByteArray &adminToken)
{
    stop();
    QMutexLocker lock(&m_mutex);
    bool ok = false;
    QString why;
    QUrl url;
    QByteArray token;
    auto *server = new MockServer(profile, seed);
    m_arrivals = std::make_shared<ArrivalFeed>();
    server->setArrivalFeed(m_arrivals);
    server->moveToThread(&m_thread);
    // Each start gets a loop that watches its sockets by epoll (a thread's loop ends with it).
    if (!m_thread.eventDispatcher())
        if (QAbstractEventDispatcher *loop = EpollDispatcher::create())
            m_thread.setEventDispatcher(loop);
    m_thread.start();
    QMetaObject::invokeMethod(
        server,
        [&] {
            ok = server->listen(address, port, &why, adminToken);
            url = server->url();
            token = server->adminToken();
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        if (error)
            *error = why;
        return false;
    }
    m_server = server;
    m_url = url;
    m_token = token;
    connect(server, &MockServer::profileChanged, this, &MockServerHost::profileChanged);
    return true;
}

void MockServerHost::stop()
{
    QMutexLocker lock(&m_mutex);
    if (m_server) {
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { delete s; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

bool MockServerHost::isRunning() const
{
    QMutexLocker lock(&m_mutex);
    return m_server != nullptr;
}

QUrl MockServerHost::url() const
{
    QMutexLocker lock(&m_mutex);
    return m_url;
}

QByteArray MockServerHost::adminToken() const
{
    QMutexLocker lock(&m_mutex);
    return m_token;
}

std::shared_ptr<const ArrivalFeed> MockServerHost::arrivals() const
{
    QMutexLocker lock(&m_mutex);
    return m_arrivals;
}

void MockServerHost::setProfile(const FaultProfile &profile)
{
    QMutexLocker lock(&m_mutex);
    if (m_server)
        QMetaObject::invokeMethod(m_server, [s = m_server, profile] { s->setProfile(profile); });
}

void MockServerHost::takeDown(Duration length)
{
    QMutexLocker lock(&m_mutex);
    if (m_server)
        QMetaObject::invokeMethod(m_server, [s = m_server, length] { s->takeDown(length); });
}

void MockServerHost::reset()
{
    // Waits, so that a run that resets the server first never meets the old journal.
    onServer([](MockServer *s) { s->reset(); });
}

FaultProfile MockServerHost::profile() const
{
    FaultProfile p;
    onServer([&p](MockServer *s) { p = s->profile(); });
    return p;
}

ServerStats MockServerHost::stats() const
{
    ServerStats out;
    onServer([&out](MockServer *s) { out = s->stats(); });
    return out;
}

void MockServerHost::keepToCores(const QList<int> &cores)
{
    onServer([&cores](MockServer *) { keepThreadTo(cores); });
}

std::vector<JournalEntry> MockServerHost::journal() const
{
    std::vector<JournalEntry> entries;
    onServer([&entries](MockServer *s) { entries = s->journal().since(0); });
    return entries;
}

} // namespace retrylab
