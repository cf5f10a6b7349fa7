// SPDX-License-Identifier: GPL-3.0-or-later
#include "wire_transport.h"

#include "http/wire/message_writer.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
bool hasHeader(const HeaderList &headers, QByteArrayView name)
{
    return std::any_of(headers.begin(), headers.end(), [name](const auto &h) {
        return QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0;
    });
}
} // namespace

WireTransport::WireTransport(const QUrl &base, const ClientOptions &options,
                             const QStringList &allowInvalidCertificates, QObject *parent)
    : QObject(parent)
    , m_base(base)
    , m_options(options)
{
    m_target.tls = base.scheme() == u"https"_s;
    m_target.host = base.host();
    m_target.port = quint16(base.port(m_target.tls ? 443 : 80));
    m_target.allowInvalidCertificate = allowInvalidCertificates.contains(base.host().toLower());
    // Host: the authority as the URL has it, IPv6 literals in brackets, default ports left out.
    m_hostHeader = base.host(QUrl::FullyEncoded).toLatin1();
    if (m_hostHeader.contains(':'))
        m_hostHeader = '[' + m_hostHeader + ']';
    if (base.port() != -1)
        m_hostHeader += ':' + QByteArray::number(base.port());
}

WireTransport::~WireTransport()
{
    // Connections are children: they close with us. Their callbacks must not reach a
    // half-destroyed transport.
    for (auto &[laneKey, lane] : m_lanes)
        for (WireConnection *c : lane.idle)
            c->onIdleClosed = nullptr;
    for (auto &[connection, id] : m_attemptOf)
        connection->abort();
}

int WireTransport::connectionsOpen() const
{
    int n = 0;
    for (const auto &[key, lane] : m_lanes)
        n += lane.open;
    return n;
}

std::uint32_t WireTransport::laneOf(std::uint32_t client) const
{
    return m_options.maxConnectionsPerHost == 0 ? client : 0;
}

QByteArray WireTransport::requestBytes(const AttemptRequest &r)
{
    if (r.path != m_lastPath) { // a scenario has one path: resolve it once
        const QUrl url = m_base.resolved(QUrl(r.path));
        m_lastTarget = url.path(QUrl::FullyEncoded).toLatin1();
        if (m_lastTarget.isEmpty())
            m_lastTarget = "/";
        if (url.hasQuery())
            m_lastTarget += '?' + url.query(QUrl::FullyEncoded).toLatin1();
        m_lastPath = r.path;
    }
    const QByteArray &target = m_lastTarget;
    HeaderList fields = r.headers;
    // Static data: no allocation for what every request of a run adds.
    const auto add = [&fields](QByteArray name, QByteArray value) {
        fields.append({std::move(name), std::move(value)});
    };
    if (!hasHeader(fields, "User-Agent"))
        add(QByteArrayLiteral("User-Agent"), QByteArrayLiteral("RetryLab/" RETRYLAB_VERSION));
    if (!hasHeader(fields, "Accept"))
        add(QByteArrayLiteral("Accept"), QByteArrayLiteral("*/*"));
    if (!r.body.isEmpty() && !hasHeader(fields, "Content-Type"))
        add(QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json"));
    if (m_options.connections == ClientOptions::Connections::PerAttempt)
        add(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    return wire::request(r.method, target, m_hostHeader, fields, r.body);
}

void WireTransport::send(const AttemptRequest &r, Done done)
{
    Pending pending;
    pending.id = r.id;
    pending.exchange.request = requestBytes(r);
    pending.exchange.method = r.method;
    pending.exchange.keepBodyBytes = m_options.keepBodyBytes;
    pending.exchange.queuedAt = WireConnection::Clock::now();
    pending.done = std::move(done);
    const std::uint32_t key = laneOf(r.client);
    Lane &lane = m_lanes[key];
    const int cap = m_options.maxConnectionsPerHost;
    if (lane.idle.empty() && cap > 0 && lane.open >= cap) {
        pending.exchange.waitedForConnection = true;
        lane.queue.push_back(std::move(pending));
        return;
    }
    dispatch(key, lane, std::move(pending));
}

void WireTransport::dispatch(std::uint32_t laneKey, Lane &lane, Pending pending)
{
    WireConnection *connection = nullptr;
    if (!lane.idle.empty()) {
        connection = lane.idle.back();
        lane.idle.pop_back();
    } else {
        connection = new WireConnection(
            m_target,
            [this](WireConnection *c, AttemptResponse response, bool reusable) {
                onDone(c, std::move(response), reusable);
            },
            this);
        connection->onIdleClosed = [this, laneKey](WireConnection *c) {
            forget(laneKey, c);
        };
        m_laneOfConnection.emplace(connection, laneKey);
        ++lane.open;
        ++m_opened;
    }
    m_inFlight[pending.id] = {connection, laneKey, std::move(pending.done)};
    m_attemptOf[connection] = pending.id;
    connection->start(std::move(pending.exchange));
}

void WireTransport::onDone(WireConnection *connection, AttemptResponse response, bool reusable)
{
    const auto a = m_attemptOf.find(connection);
    if (a == m_attemptOf.end())
        return;
    const auto f = m_inFlight.find(a->second);
    m_attemptOf.erase(a);
    InFlight inFlight = std::move(f->second);
    m_inFlight.erase(f);
    switch (m_options.connections) {
    case ClientOptions::Connections::KeepAlive:
        break;
    case ClientOptions::Connections::PerAttempt:
        reusable = false;
        break;
    case ClientOptions::Connections::NewAfterFailure:
        reusable = reusable && response.outcome == OutcomeClass::Success;
        break;
    }
    if (reusable)
        m_lanes[inFlight.lane].idle.push_back(connection);
    else
        forget(inFlight.lane, connection);
    serveQueue(inFlight.lane);
    inFlight.done(response);
}

void WireTransport::forget(std::uint32_t laneKey, WireConnection *connection)
{
    Lane &lane = m_lanes[laneKey];
    lane.idle.erase(std::remove(lane.idle.begin(), lane.idle.end(), connection), lane.idle.end());
    if (m_laneOfConnection.erase(connection))
        --lane.open;
    connection->onIdleClosed = nullptr;
    connection->abort();
    connection->deleteLater(); // it may be on the stack that called us
    serveQueue(laneKey);
}

void WireTransport::serveQueue(std::uint32_t laneKey)
{
    Lane &lane = m_lanes[laneKey];
    const int cap = m_options.maxConnectionsPerHost;
    while (!lane.queue.empty() && (!lane.idle.empty() || cap <= 0 || lane.open < cap)) {
        Pending next = std::move(lane.queue.front());
        lane.queue.pop_front();
        dispatch(laneKey, lane, std::move(next));
    }
}

PhaseTimings WireTransport::phasesSoFar(std::uint64_t id) const
{
    const auto f = m_inFlight.find(id);
    if (f != m_inFlight.end())
        return f->second.connection->phasesSoFar();
    for (const auto &[key, lane] : m_lanes)
        for (const Pending &p : lane.queue)
            if (p.id == id) { // still waiting for a free connection
                PhaseTimings t;
                t.blockedUs = WireConnection::micros(p.exchange.queuedAt);
                return t;
            }
    return {};
}

void WireTransport::cancel(std::uint64_t id)
{
    const auto f = m_inFlight.find(id);
    if (f != m_inFlight.end()) {
        const std::uint32_t laneKey = f->second.lane;
        WireConnection *connection = f->second.connection;
        m_inFlight.erase(f);
        m_attemptOf.erase(connection);
        forget(laneKey, connection); // half an exchange leaves the connection unusable
        return;
    }
    for (auto &[key, lane] : m_lanes) {
        const auto q = std::find_if(lane.queue.begin(), lane.queue.end(),
                                    [id](const Pending &p) { return p.id == id; });
        if (q != lane.queue.end()) {
            lane.queue.erase(q);
            return;
        }
    }
}

} // namespace retrylab
