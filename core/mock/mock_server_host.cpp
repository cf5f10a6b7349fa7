// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_server_host.h"

#include "mock_server.h"

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

bool MockServerHost::start(const FaultProfile &profile, std::uint64_t seed,
                           const QHostAddress &address, quint16 port, QString *error)
{
    stop();
    bool ok = false;
    QString why;
    QUrl url;
    auto *server = new MockServer(profile, seed);
    m_arrivals = std::make_shared<ArrivalFeed>();
    server->setArrivalFeed(m_arrivals);
    server->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        server,
        [&] {
            ok = server->listen(address, port, &why);
            url = server->url();
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
    connect(server, &MockServer::profileChanged, this, &MockServerHost::profileChanged);
    return true;
}

void MockServerHost::stop()
{
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

void MockServerHost::setProfile(const FaultProfile &profile)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [s = m_server, profile] { s->setProfile(profile); });
}

void MockServerHost::takeDown(Duration length)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [s = m_server, length] { s->takeDown(length); });
}

void MockServerHost::reset()
{
    // Blocking, so that a run that resets the server first never meets the old journal.
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [s = m_server] { s->reset(); }, Qt::BlockingQueuedConnection);
}

FaultProfile MockServerHost::profile() const
{
    FaultProfile p;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&p, s = m_server] { p = s->profile(); }, Qt::BlockingQueuedConnection);
    return p;
}

QJsonObject MockServerHost::stats() const
{
    QJsonObject o;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&o, s = m_server] { o = s->stats(); }, Qt::BlockingQueuedConnection);
    return o;
}

std::vector<JournalEntry> MockServerHost::journal() const
{
    std::vector<JournalEntry> entries;
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [&entries, s = m_server] { entries = s->journal().since(0); },
            Qt::BlockingQueuedConnection);
    return entries;
}

} // namespace retrylab
