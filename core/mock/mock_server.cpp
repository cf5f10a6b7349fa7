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

struct MockServer::Incoming {
    QString method;
    QString path;
    QUrlQuery query;
    HeaderList headers;
    QByteArray body;
    QString clientId;
    int attempt = 0;
    QString key;
    QString keyError;
    QString operationId;
    bool keepAlive = true;
    Duration at{0};
    QDateTime wall;
};

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

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QJsonArray problemsJson(const FieldProblems &problems)
{
    QJsonArray a;
    for (const auto &p : problems)
        a.append(QJsonObject{{u"field"_s, p.field}, {u"message"_s, p.message}});
    return a;
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

void MockServer::handleGeneric(Incoming in, QTcpSocket *socket)
{
    JournalEntry e;
    e.at = in.at;
    e.wallTime = in.wall;
    e.method = in.method;
    e.path = in.path;
    e.clientId = in.clientId;
    e.attempt = in.attempt;
    e.idempotencyKey = in.key;
    const qint64 id = m_journal.arrive(std::move(e)).id;
    const FaultDecision d =
        m_decider.decide({in.method, in.path, in.clientId, in.key}, in.at, in.wall);
    const QByteArray body = d.status >= 400 ? wire::errorBody(d.status, d.label)
                                            : json(QJsonObject{{u"ok"_s, true},
                                                               {u"method"_s, in.method},
                                                               {u"path"_s, in.path},
                                                               {u"request"_s, id}});
    execute(in, socket, d, d.status, body, d.headers, id);
}

void MockServer::handlePayment(Incoming in, QTcpSocket *socket)
{
    JournalEntry e;
    e.at = in.at;
    e.wallTime = in.wall;
    e.method = in.method;
    e.path = in.path;
    e.clientId = in.clientId;
    e.attempt = in.attempt;
    e.idempotencyKey = in.key;
    const qint64 id = m_journal.arrive(std::move(e)).id;
    const auto refuse = [&](int status, const QString &decision, const QByteArray &body,
                            const HeaderList &extra = {}) {
        count(decision, status);
        m_journal.setOutcome(id, decision, status, Duration::zero());
        send(socket, in, status, body, extra);
    };
    const bool stripe = profile().idempotency.mode == u"stripe"_s;
    if (!in.keyError.isEmpty())
        return refuse(400, u"bad-idempotency-key"_s, wire::errorBody(400, in.keyError));
    if (in.key.isEmpty() && profile().idempotency.required)
        return refuse(400, u"idempotency-key-required"_s,
                      wire::errorBody(400, u"an Idempotency-Key header is required"_s));
    QJsonParseError parseError;
    const QJsonObject payment = QJsonDocument::fromJson(in.body, &parseError).object();
    const double amount = payment.value(u"amount"_s).toDouble(-1);
    const QString currency = payment.value(u"currency"_s).toString();
    if (parseError.error != QJsonParseError::NoError || amount <= 0 ||
        amount != static_cast<qint64>(amount) || currency.size() != 3)
        return refuse(400, u"bad-payment"_s,
                      wire::errorBody(400, u"the body must be {\"amount\": whole number > 0, "
                                           "\"currency\": three letters}"_s));

    FaultDecision d = m_decider.decide({in.method, in.path, in.clientId, in.key}, in.at, in.wall);
    // Load shedding happens before the idempotency layer: nothing is stored.
    if (d.label == u"outage"_s || d.label == u"overload"_s)
        return execute(in, socket, d, d.status, wire::errorBody(d.status, d.label), d.headers, id);

    const QByteArray fingerprint =
        IdempotencyStore::fingerprint(in.method.toLatin1(), in.path.toLatin1(), in.body);
    if (!in.key.isEmpty()) {
        IdempotencyStore::Stored stored;
        switch (m_store.begin(in.key, fingerprint, in.at, &stored)) {
        case IdempotencyStore::Verdict::New:
            break;
        case IdempotencyStore::Verdict::Replay:
            m_decider.finished();
            return refuse(stored.status, u"replay"_s, stored.body,
                          {{"Idempotent-Replayed", "true"}});
        case IdempotencyStore::Verdict::InFlight:
            m_decider.finished();
            return refuse(409, u"in-flight"_s,
                          wire::errorBody(409, u"a request with this key is still in flight"_s));
        case IdempotencyStore::Verdict::PayloadMismatch:
            m_decider.finished();
            if (stripe)
                return refuse(
                    400, u"key-reused"_s,
                    json(QJsonObject{
                        {u"error"_s, QJsonObject{{u"type"_s, u"idempotency_error"_s},
                                                 {u"message"_s,
                                                  u"Keys for idempotent requests can only be used "
                                                  "with the same parameters they were first used "
                                                  "with."_s}}}}));
            return refuse(422, u"key-reused"_s,
                          wire::errorBody(422, u"this key was used with a different payload"_s));
        }
    }

    const bool effect = d.kind == FaultKind::CommitThenLose ||
                        ((d.kind == FaultKind::Respond || d.kind == FaultKind::Truncate ||
                          d.kind == FaultKind::SlowBody) &&
                         d.status >= 200 && d.status < 300 && d.label != u"fail-first"_s);
    // The key stays "in flight" until processing ends, when the effect is committed (and
    // stored for replays) or the key released.
    std::function<QByteArray()> commit;
    int status = d.status;
    if (effect) {
        status = 201;
        QString operation = in.operationId;
        if (operation.isEmpty() && !in.key.isEmpty())
            operation = u"key:"_s + in.key;
        if (operation.isEmpty())
            operation =
                u"client:"_s + in.clientId + u':' + QString::fromLatin1(fingerprint.toHex());
        commit = [this, operation, amount, currency, key = in.key] {
            const qint64 n = m_ledger.charge(operation);
            const QByteArray created = json(QJsonObject{{u"id"_s, u"pay_%1"_s.arg(n)},
                                                        {u"amount"_s, amount},
                                                        {u"currency"_s, currency},
                                                        {u"status"_s, u"succeeded"_s}});
            if (!key.isEmpty())
                m_store.complete(key, 201, created, m_clock.now() - m_started);
            return created;
        };
    } else if (!in.key.isEmpty()) {
        commit = [this, key = in.key] {
            m_store.release(key); // nothing happened: a retry starts afresh
            return QByteArray();
        };
    }
    execute(in, socket, d, status, wire::errorBody(status > 0 ? status : 500, d.label), d.headers,
            id, std::move(commit));
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

void MockServer::handleAdmin(const Incoming &in, QTcpSocket *socket)
{
    const QString route = in.path.mid(QStringView(u"/__admin/").size());
    const auto reply = [&](int status, const QByteArray &body, const HeaderList &extra = {}) {
        send(socket, in, status, body, extra);
    };
    const auto allow = [&](const char *methods) {
        reply(405, wire::errorBody(405, u"allowed: %1"_s.arg(QLatin1String(methods))),
              {{"Allow", methods}});
    };
    if (route == u"profile"_s) {
        if (in.method == u"GET"_s)
            return reply(200, json(profile().toJson()));
        if (in.method != u"PUT"_s)
            return allow("GET, PUT");
        QJsonParseError parseError;
        const auto doc = QJsonDocument::fromJson(in.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return reply(
                400, json(QJsonObject{{u"error"_s, u"the body is not a JSON object: %1 at byte %2"_s
                                                       .arg(parseError.errorString())
                                                       .arg(parseError.offset)}}));
        FieldProblems problems;
        const auto next = FaultProfile::fromJson(doc.object(), &problems);
        if (!next)
            return reply(400,
                         json(QJsonObject{{u"error"_s, u"invalid profile; the old one is kept"_s},
                                          {u"problems"_s, problemsJson(problems)}}));
        setProfile(*next);
        return reply(200, json(profile().toJson()));
    }
    if (route == u"journal"_s) {
        if (in.method != u"GET"_s)
            return allow("GET");
        bool ok = true;
        const QString sinceText = in.query.queryItemValue(u"since"_s);
        const qint64 since = sinceText.isEmpty() ? 0 : sinceText.toLongLong(&ok);
        if (!ok || since < 0)
            return reply(400,
                         wire::errorBody(400, u"since must be a journal id (a whole number)"_s));
        const QString limitText = in.query.queryItemValue(u"limit"_s);
        const int limit = limitText.isEmpty() ? 100'000 : limitText.toInt(&ok);
        if (!ok || limit < 1)
            return reply(400, wire::errorBody(400, u"limit must be a whole number above 0"_s));
        const auto entries = m_journal.since(since, limit);
        if (in.query.queryItemValue(u"format"_s) == u"jsonl"_s) {
            QByteArray lines;
            for (const auto &e : entries)
                lines += QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
            return reply(200, lines, {});
        }
        QJsonArray a;
        for (const auto &e : entries)
            a.append(e.toJson());
        return reply(200, QJsonDocument(a).toJson(QJsonDocument::Compact) + '\n');
    }
    if (route == u"stats"_s) {
        if (in.method != u"GET"_s)
            return allow("GET");
        return reply(200, json(stats()));
    }
    if (route == u"reset"_s) {
        if (in.method != u"POST"_s)
            return allow("POST");
        reset();
        return reply(200, json(QJsonObject{{u"reset"_s, true}}));
    }
    if (route == u"outage"_s) {
        if (in.method != u"POST"_s)
            return allow("POST");
        bool ok = false;
        const double seconds = in.query.queryItemValue(u"seconds"_s).toDouble(&ok);
        if (!ok || !(seconds > 0) || seconds > 86400)
            return reply(400, wire::errorBody(400, u"seconds must be a number from 0 to 86400, "
                                                   "e.g. /__admin/outage?seconds=10"_s));
        takeDown(fromMs(seconds * 1000.0));
        return reply(200, json(QJsonObject{{u"outageSeconds"_s, seconds}}));
    }
    reply(404, wire::errorBody(404, u"admin routes: profile, journal, stats, reset, outage"_s));
}

} // namespace retrylab
