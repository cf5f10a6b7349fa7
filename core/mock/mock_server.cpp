// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_server.h"

#include "guarded_tcp_server.h"
#include "http/idempotency.h"
#include "http_wire.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QString methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return u"GET"_s;
    case QHttpServerRequest::Method::Put:
        return u"PUT"_s;
    case QHttpServerRequest::Method::Delete:
        return u"DELETE"_s;
    case QHttpServerRequest::Method::Post:
        return u"POST"_s;
    case QHttpServerRequest::Method::Head:
        return u"HEAD"_s;
    case QHttpServerRequest::Method::Options:
        return u"OPTIONS"_s;
    case QHttpServerRequest::Method::Patch:
        return u"PATCH"_s;
    case QHttpServerRequest::Method::Connect:
        return u"CONNECT"_s;
    case QHttpServerRequest::Method::Trace:
        return u"TRACE"_s;
    default:
        return u"UNKNOWN"_s;
    }
}

std::chrono::milliseconds ms(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

} // namespace

MockServer::MockServer(const FaultProfile &profile, std::uint64_t seed, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_seed(seed)
    , m_decider(profile, seed)
    , m_store(profile.idempotency.retention)
    , m_journal(profile.limits.journalCapacity)
{
    m_started = m_clock.now();
}

MockServer::~MockServer() = default;

bool MockServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto *tcp = new GuardedTcpServer(this);
    tcp->setLimits(profile().limits);
    tcp->setListenBacklogSize(1024); // a burst of clients is not a refusal
    if (!tcp->listen(address, port)) {
        if (error)
            *error = u"cannot listen on %1:%2: %3"_s.arg(address.toString())
                         .arg(port)
                         .arg(tcp->errorString());
        delete tcp;
        return false;
    }
    connect(tcp, &GuardedTcpServer::refused, this, [this](int status, const QString &reason) {
        ++m_refused;
        count(u"refused"_s, status);
        JournalEntry e;
        e.at = m_clock.now() - m_started;
        e.wallTime = QDateTime::currentDateTimeUtc();
        e.decision = u"refused: "_s + reason;
        e.status = status;
        m_journal.arrive(std::move(e));
    });
    m_tcp = tcp;
    m_address = address;
    bind(tcp);
    return true;
}

QUrl MockServer::url() const
{
    QUrl u;
    u.setScheme(u"http"_s);
    u.setHost(m_address.toString());
    if (m_tcp)
        u.setPort(m_tcp->serverPort());
    u.setPath(u"/"_s);
    return u;
}

void MockServer::setProfile(const FaultProfile &profile)
{
    m_decider.setProfile(profile);
    m_store.setRetention(profile.idempotency.retention);
    m_journal.setCapacity(profile.limits.journalCapacity);
    if (m_tcp)
        m_tcp->setLimits(profile.limits);
    Q_EMIT profileChanged(profile);
}

void MockServer::takeDown(Duration length)
{
    m_decider.startOutage(m_clock.now() - m_started, length);
}

void MockServer::reset()
{
    m_decider.reset(m_seed);
    m_store.clear();
    m_ledger.clear();
    m_journal.clear();
    m_byStatus.clear();
    m_byDecision.clear();
    m_recent.clear();
    m_refused = 0;
    m_started = m_clock.now();
}

void MockServer::count(const QString &decision, int status)
{
    ++m_byDecision[decision];
    ++m_byStatus[status];
}

QJsonObject MockServer::stats() const
{
    const Duration now = m_clock.now() - m_started;
    QJsonObject byStatus;
    for (auto it = m_byStatus.cbegin(); it != m_byStatus.cend(); ++it)
        byStatus.insert(it.key() == 0 ? u"none"_s : QString::number(it.key()), it.value());
    QJsonObject byDecision;
    for (auto it = m_byDecision.cbegin(); it != m_byDecision.cend(); ++it)
        byDecision.insert(it.key(), it.value());
    const qint64 judged = m_journal.judged();
    const auto outage = m_decider.outageAt(now);
    const double seconds = std::max(1e-3, toMs(now) / 1000.0);
    return QJsonObject{
        {u"profile"_s, profile().name},
        {u"uptimeMs"_s, toMs(now)},
        {u"requests"_s, m_journal.total()},
        {u"requestsPerSecond"_s, static_cast<double>(m_journal.total()) / seconds},
        {u"requestsLastSecond"_s, static_cast<qint64>(m_recent.size())},
        {u"inFlight"_s, m_decider.inFlight()},
        {u"openConnections"_s, m_tcp ? m_tcp->openConnections() : 0},
        {u"refused"_s, m_refused},
        {u"byStatus"_s, byStatus},
        {u"byDecision"_s, byDecision},
        {u"retryAfter"_s,
         QJsonObject{{u"judged"_s, judged},
                     {u"violations"_s, m_journal.violations()},
                     {u"compliancePercent"_s,
                      judged > 0 ? 100.0 * static_cast<double>(judged - m_journal.violations()) /
                                       static_cast<double>(judged)
                                 : 100.0}}},
        {u"payments"_s, QJsonObject{{u"payments"_s, m_ledger.payments()},
                                    {u"operations"_s, m_ledger.operations()},
                                    {u"duplicates"_s, m_ledger.duplicates()}}},
        {u"idempotencyMode"_s, profile().idempotency.mode},
        {u"journal"_s, QJsonObject{{u"capacity"_s, profile().limits.journalCapacity},
                                   {u"dropped"_s, m_journal.dropped()}}},
        {u"outage"_s, QJsonObject{{u"active"_s, outage.has_value()},
                                  {u"endsInMs"_s, outage ? toMs(outage->end - now) : 0.0}}},
    };
}

bool MockServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Incoming in;
    in.method = methodName(request.method());
    in.path = request.url().path();
    in.query = request.query();
    in.headers = request.headers();
    in.body = request.body();
    in.at = m_clock.now() - m_started;
    in.wall = QDateTime::currentDateTimeUtc();
    in.clientId = QString::fromLatin1(headerValues(in.headers, "x-client-id").value(0));
    in.attempt = headerValues(in.headers, "x-attempt").value(0).toInt();
    in.operationId = QString::fromLatin1(headerValues(in.headers, "x-operation-id").value(0));
    const auto keys = headerValues(in.headers, "idempotency-key");
    if (keys.size() > 1) {
        in.keyError = u"more than one Idempotency-Key field"_s;
    } else if (keys.size() == 1) {
        const auto reading = parseIdempotencyKey(keys.front());
        if (reading.key)
            in.key = *reading.key;
        else
            in.keyError = reading.error;
    }
    const auto connection = headerValues(in.headers, "connection");
    in.keepAlive = connection.isEmpty() || connection.front().toLower() != "close";

    m_recent.push_back(in.at);
    while (!m_recent.empty() && in.at - m_recent.front() > std::chrono::seconds(1))
        m_recent.pop_front();

    if (in.path.startsWith(u"/__admin/"_s)) {
        handleAdmin(in, socket);
        return true;
    }
    if (in.method == u"POST"_s && in.path == u"/payments"_s)
        handlePayment(std::move(in), socket);
    else
        handleGeneric(std::move(in), socket);
    return true;
}

void MockServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    socket->abort();
}

void MockServer::send(QTcpSocket *socket, const Incoming &in, int status, const QByteArray &body,
                      const HeaderList &extra)
{
    const bool head = in.method == u"HEAD"_s;
    socket->write(
        wire::head(status, extra, body.size(), in.keepAlive, QDateTime::currentDateTimeUtc()));
    if (!head)
        socket->write(body);
    if (!in.keepAlive)
        socket->disconnectFromHost();
}

qint64 MockServer::journalArrival(const Incoming &in)
{
    JournalEntry e;
    e.at = in.at;
    e.wallTime = in.wall;
    e.method = in.method;
    e.path = in.path;
    e.clientId = in.clientId;
    e.attempt = in.attempt;
    e.idempotencyKey = in.key;
    return m_journal.arrive(std::move(e)).id;
}

void MockServer::handleGeneric(Incoming in, QTcpSocket *socket)
{
    const qint64 id = journalArrival(in);
    const FaultDecision d =
        m_decider.decide({in.method, in.path, in.clientId, in.key}, in.at, in.wall);
    const QByteArray body = d.status >= 400 ? wire::errorBody(d.status, d.label)
                                            : wire::json(QJsonObject{{u"ok"_s, true},
                                                                     {u"method"_s, in.method},
                                                                     {u"path"_s, in.path},
                                                                     {u"request"_s, id}});
    execute(in, socket, d, d.status, body, d.headers, id);
}

void MockServer::execute(const Incoming &in, QTcpSocket *socket, const FaultDecision &d, int status,
                         QByteArray body, HeaderList extra, qint64 journalId,
                         std::function<QByteArray()> commit)
{
    m_tcp->setBusy(socket, true);
    const QPointer<QTcpSocket> guard(socket);
    const Duration hangMax = profile().limits.hangMax;
    auto act = [this, in, guard, d, status, body, extra, journalId, hangMax,
                commit = std::move(commit)]() mutable {
        if (commit) {
            QByteArray committed = commit();
            if (!committed.isEmpty())
                body = std::move(committed);
        }
        // Copies only: the hang and slow-body timers call it after this lambda is gone.
        const auto done = [this, admitted = d.admitted] {
            if (admitted)
                m_decider.finished();
        };
        const int sent = d.kind == FaultKind::Respond || d.kind == FaultKind::Truncate ||
                                 d.kind == FaultKind::SlowBody
                             ? status
                             : 0;
        count(d.label, sent);
        m_journal.setOutcome(journalId, d.label, sent, d.latency);
        if (!guard) {
            done();
            return;
        }
        QTcpSocket *s = guard.data();
        switch (d.kind) {
        case FaultKind::Respond:
            send(s, in, status, body, extra);
            if (d.askedWait)
                m_journal.askedToWait(journalId, *d.askedWait, m_clock.now() - m_started);
            m_tcp->setBusy(s, false);
            done();
            return;
        case FaultKind::Reset:
        case FaultKind::CommitThenLose:
            wire::resetConnection(s);
            done();
            return;
        case FaultKind::Close:
            s->disconnectFromHost();
            done();
            return;
        case FaultKind::Garbage: {
            // Not a status line: a client's HTTP parser must give up on it.
            QByteArray junk(48, '\0');
            for (int i = 0; i < junk.size(); ++i)
                junk[i] = static_cast<char>((i * 73 + 41) % 256);
            junk[0] = '\x7f';
            s->write(junk + "\r\n\r\n");
            s->disconnectFromHost();
            done();
            return;
        }
        case FaultKind::Truncate:
            s->write(wire::head(status, extra, body.size() + 100, false,
                                QDateTime::currentDateTimeUtc()));
            s->write(body.left(body.size() / 2));
            s->disconnectFromHost();
            done();
            return;
        case FaultKind::Hang:
            QTimer::singleShot(ms(hangMax), s, [s, done] {
                s->abort();
                done();
            });
            return;
        case FaultKind::SlowBody: {
            s->write(wire::head(status, extra, body.size(), in.keepAlive,
                                QDateTime::currentDateTimeUtc()));
            const int chunks = std::max(1, d.slowBodyChunks);
            const auto step = ms(d.slowBodyOver) / chunks;
            for (int i = 0; i < chunks; ++i) {
                const qsizetype from = body.size() * i / chunks;
                const qsizetype to = body.size() * (i + 1) / chunks;
                const bool last = i == chunks - 1;
                QTimer::singleShot(step * (i + 1), Qt::PreciseTimer, s,
                                   [this, s, piece = body.mid(from, to - from), last, done,
                                    keepAlive = in.keepAlive] {
                                       s->write(piece);
                                       if (last) {
                                           if (!keepAlive)
                                               s->disconnectFromHost();
                                           m_tcp->setBusy(s, false);
                                           done();
                                       }
                                   });
            }
            return;
        }
        }
    };
    if (d.latency > Duration::zero())
        QTimer::singleShot(ms(d.latency), Qt::PreciseTimer, this, act);
    else
        act();
}

} // namespace retrylab
