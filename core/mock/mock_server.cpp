// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_server.h"

#include "http/retry_after.h"
#include "http_wire.h"
#include "mock_connection.h"
#include "socket_io.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

std::chrono::milliseconds ms(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

// Real time: the steady clock, and QTimer for what happens later.
class RealTime final : public MockTime
{
public:
    RealTime() { m_timer.start(); }
    Duration now() const override { return Duration(m_timer.nsecsElapsed() / 1000); }
    QDateTime wall() const override { return QDateTime::currentDateTimeUtc(); }
    void after(Duration delay, QObject *context, std::function<void()> fn) override
    {
        QTimer::singleShot(ms(delay), Qt::PreciseTimer, context, std::move(fn));
    }

private:
    QElapsedTimer m_timer;
};

// Descriptors kept free for the listening socket, files and the rest of the process.
constexpr qint64 kSpareDescriptors = 32;
// How long a closing connection may take to send its last bytes and close its side.
constexpr Duration kLingerMax = std::chrono::seconds(2);

} // namespace

// Hands each accepted descriptor to the server before Qt wraps it in a QTcpSocket.
class MockAcceptor final : public QTcpServer
{
public:
    explicit MockAcceptor(MockServer *server)
        : QTcpServer(server)
        , m_server(server)
    {}

protected:
    void incomingConnection(qintptr fd) override { m_server->accept(fd); }

private:
    MockServer *m_server;
};

MockServer::MockServer(const FaultProfile &profile, std::uint64_t seed, QObject *parent)
    : QObject(parent)
    , m_ownTime(std::make_unique<RealTime>())
    , m_time(m_ownTime.get())
    , m_service(profile, seed)
{
    m_started = m_time->now();
    m_service.setProfileListener([this](const FaultProfile &p) {
        applyLimits();
        Q_EMIT profileChanged(p);
    });
    m_sweep = new QTimer(this);
    connect(m_sweep, &QTimer::timeout, this, &MockServer::sweep);
}

MockServer::~MockServer()
{
    m_closing = true;
    const auto connections = m_connections;
    m_connections.clear();
    qDeleteAll(connections);
}

void MockServer::setTime(MockTime *time)
{
    m_time = time;
    m_started = m_time->now();
}

bool MockServer::listen(const QHostAddress &address, quint16 port, QString *error,
                        const QByteArray &adminToken)
{
    auto *acceptor = new MockAcceptor(this);
    acceptor->setListenBacklogSize(1024); // a burst of clients is not a refusal
    if (!acceptor->listen(address, port)) {
        if (error)
            *error = u"cannot listen on %1:%2: %3"_s.arg(address.toString())
                         .arg(port)
                         .arg(acceptor->errorString());
        delete acceptor;
        return false;
    }
    m_acceptor = acceptor;
    m_address = address;
    m_service.setAdminAccess(
        AdminAccess::forBinding(address.toString(), acceptor->serverPort(), adminToken));
    applyLimits();
    return true;
}

QUrl MockServer::url() const
{
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(m_address.toString());
    if (m_acceptor)
        u.setPort(m_acceptor->serverPort());
    u.setPath(u"/"_s);
    return u;
}

void MockServer::applyLimits()
{
    const ServerLimits &l = profile().limits;
    qint64 cap = l.maxConnections;
    const qint64 fds = sockio::descriptorLimit();
    if (fds > 0)
        cap = std::min(cap, std::max<qint64>(1, fds - kSpareDescriptors));
    m_connectionCap = static_cast<int>(cap);
    const wire::Limits limits = parserLimits();
    for (MockConnection *c : std::as_const(m_connections))
        c->setLimits(limits);
    // Often enough to keep every deadline within a quarter of itself, at most once a second.
    Duration shortest = std::min(l.headerTimeout, kLingerMax);
    if (l.idleTimeout > Duration::zero())
        shortest = std::min(shortest, l.idleTimeout);
    m_sweep->start(std::clamp<std::chrono::milliseconds>(
        ms(shortest / 4), std::chrono::milliseconds(10), std::chrono::milliseconds(1000)));
}

wire::Limits MockServer::parserLimits() const
{
    wire::Limits l;
    l.maxHeaderBytes = profile().limits.maxHeaderBytes;
    // The body limit depends on the route (bodyLimit()); the connection checks it.
    l.maxBodyBytes = -1;
    l.bodyKeepBytes = std::max(profile().limits.maxBodyBytes, MockService::kAdminBodyLimit);
    return l;
}

qint64 MockServer::bodyLimit(QByteArrayView target) const
{
    return target.startsWith("/__admin/") ? MockService::kAdminBodyLimit
                                          : profile().limits.maxBodyBytes;
}

QByteArrayView MockServer::httpDate()
{
    return httpDate(m_time->wall());
}

QByteArrayView MockServer::httpDate(const QDateTime &wall)
{
    const qint64 second = wall.toSecsSinceEpoch();
    if (second != m_dateSecond) {
        m_dateSecond = second;
        m_date = formatHttpDate(wall);
    }
    return m_date;
}

void MockServer::setProfile(const FaultProfile &profile)
{
    m_service.setProfile(profile);
    applyLimits();
    Q_EMIT profileChanged(profile);
}

void MockServer::takeDown(Duration length)
{
    m_service.takeDown(now(), length);
}

void MockServer::reset()
{
    m_service.reset();
    m_started = m_time->now();
}

ServerStats MockServer::stats() const
{
    return m_service.stats(now());
}

void MockServer::accept(qintptr fd)
{
    if (m_connections.size() >= m_connectionCap && !makeRoom()) {
        sockio::close(fd);
        refused(503, u"too many connections (%1 open)"_s.arg(m_connections.size()));
        return;
    }
    auto *c = new MockConnection(fd, this);
    m_connections.insert(c);
    m_service.setOpenConnections(openConnections());
}

// Closes the keep-alive connection that has waited longest for a request. False when every
// connection is in the middle of something.
bool MockServer::makeRoom()
{
    MockConnection *oldest = nullptr;
    for (MockConnection *c : std::as_const(m_connections))
        if (c->phase() == MockConnection::Phase::Idle &&
            (!oldest || c->lastActivity() < oldest->lastActivity()))
            oldest = c;
    if (!oldest)
        return false;
    oldest->closeNow();
    return true;
}

void MockServer::connectionClosed(MockConnection *connection)
{
    if (m_closing)
        return;
    m_connections.remove(connection);
    m_service.setOpenConnections(openConnections());
}

void MockServer::sweep()
{
    const ServerLimits &l = profile().limits;
    const Duration t = now();
    const auto connections = m_connections;
    for (MockConnection *c : connections) {
        if (c->isDead())
            continue;
        const Duration quiet = t - c->lastActivity();
        switch (c->phase()) {
        case MockConnection::Phase::Idle:
            if (l.idleTimeout > Duration::zero() && quiet >= l.idleTimeout)
                c->closeNow();
            break;
        case MockConnection::Phase::Head:
            if (t - c->headStarted() >= l.headerTimeout)
                c->refuse(408,
                          u"the request head took longer than %1 ms"_s.arg(toMs(l.headerTimeout)));
            else if (l.idleTimeout > Duration::zero() && quiet >= l.idleTimeout)
                c->refuse(408, u"the request head stalled for %1 ms"_s.arg(toMs(quiet)));
            break;
        case MockConnection::Phase::Body:
            if (l.idleTimeout > Duration::zero() && quiet >= l.idleTimeout)
                c->refuse(408, u"the request body stalled for %1 ms"_s.arg(toMs(quiet)));
            break;
        case MockConnection::Phase::Closing:
            if (quiet >= kLingerMax)
                c->closeNow();
            break;
        case MockConnection::Phase::Busy:
            break; // an answer on its way, or a hang with its own limit
        }
    }
}

void MockServer::refused(int status, const QString &reason)
{
    m_service.refused(status, reason, now(), m_time->wall());
}

void MockServer::dispatch(MockConnection *connection, wire::Message request)
{
    const bool keepAlive = request.keepAlive && !connection->peerClosed();
    const QDateTime wall = m_time->wall();
    MockExchange x =
        m_service.arrive({std::move(request.method), std::move(request.target),
                          std::move(request.headers), std::move(request.body), connection->peer()},
                         now(), wall);
    if (x.resetClock)
        m_started = m_time->now();
    x.keepAlive = keepAlive;
    if (x.latency <= Duration::zero()) {
        carry(connection, x, wall); // answered now: one reading of the clock for both
        return;
    }
    const Duration latency = x.latency;
    m_time->after(
        latency, this,
        [this, c = QPointer<MockConnection>(connection),
         held = std::make_shared<MockExchange>(std::move(x))] { carry(c.data(), *held); });
}

void MockServer::carry(MockConnection *c, MockExchange &x, const QDateTime &wallNow)
{
    const QDateTime wall = wallNow.isValid() ? wallNow : m_time->wall();
    m_service.process(x, now());
    if (c && c->isDead())
        c = nullptr;
    if (c && c->peerClosed())
        x.keepAlive = false; // a half-close while the answer was prepared: say it closes
    // The head and what is sent of the body, in one buffer and one write.
    const auto answer = [&](qint64 length, bool keepAlive, QByteArrayView body) {
        return wire::response(x.status, x.headers, length, keepAlive, httpDate(wall), body,
                              x.contentType);
    };
    switch (x.kind) {
    case FaultKind::Respond:
        if (c) {
            c->write(answer(x.body.size(), x.keepAlive,
                            x.headRequest ? QByteArrayView() : QByteArrayView(x.body)));
            c->requestDone(x.keepAlive);
        }
        break;
    case FaultKind::Reset:
    case FaultKind::CommitThenLose:
        if (c)
            c->reset();
        break;
    case FaultKind::Close:
        if (c)
            c->closeAfterWrite();
        break;
    case FaultKind::Garbage:
        if (c) {
            // Not a status line: a client's HTTP parser must give up on it.
            QByteArray junk(48, '\0');
            for (int i = 0; i < junk.size(); ++i)
                junk[i] = static_cast<char>((i * 73 + 41) % 256);
            junk[0] = '\x7f';
            c->write(QByteArray(junk + "\r\n\r\n"));
            c->closeAfterWrite();
        }
        break;
    case FaultKind::Truncate:
        if (c) {
            c->write(answer(x.body.size() + 100, false,
                            QByteArrayView(x.body).first(x.body.size() / 2)));
            c->closeAfterWrite();
        }
        break;
    case FaultKind::Hang:
        // Nothing is sent; after the profile's limit the connection is closed. The capacity
        // slot is held until then whether or not the client waits (as in the simulation).
        m_time->after(profile().limits.hangMax, this,
                      [this, cp = QPointer<MockConnection>(c),
                       held = std::make_shared<MockExchange>(std::move(x))] {
                          if (cp)
                              cp->closeNow();
                          m_service.finish(*held);
                      });
        return;
    case FaultKind::SlowBody:
        slowBody(c, std::make_shared<MockExchange>(std::move(x)));
        return;
    }
    m_service.finish(x);
}

void MockServer::slowBody(MockConnection *c, const std::shared_ptr<MockExchange> &x)
{
    if (c)
        c->write(wire::head(x->status, x->headers, x->body.size(), x->keepAlive, httpDate(),
                            x->contentType));
    const int chunks = std::max(1, x->slowBodyChunks);
    const QPointer<MockConnection> cp(c);
    for (int i = 0; i < chunks; ++i) {
        const qsizetype from = x->body.size() * i / chunks;
        const qsizetype to = x->body.size() * (i + 1) / chunks;
        const bool last = i == chunks - 1;
        m_time->after(x->slowBodyOver * (i + 1) / chunks, this, [this, cp, x, from, to, last] {
            if (cp && !cp->isDead() && !x->headRequest)
                cp->write(QByteArrayView(x->body).sliced(from, to - from));
            if (last) {
                if (cp && !cp->isDead())
                    cp->requestDone(x->keepAlive);
                m_service.finish(*x);
            }
        });
    }
}

} // namespace retrylab
