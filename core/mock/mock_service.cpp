// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_service.h"

#include "http/idempotency.h"
#include "http_wire.h"
#include "mock_service_parsed.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace retrylab {

MockService::MockService(const FaultProfile &profile, std::uint64_t seed)
    : m_seed(seed)
    , m_decider(profile, seed)
    , m_store(profile.idempotency.retention)
    , m_journal(profile.limits.journalCapacity)
{}

void MockService::setProfile(const FaultProfile &profile)
{
    m_decider.setProfile(profile);
    m_store.setRetention(profile.idempotency.retention);
    m_journal.setCapacity(profile.limits.journalCapacity);
}

void MockService::takeDown(Duration now, Duration length)
{
    m_decider.startOutage(now, length);
}

void MockService::reset()
{
    m_decider.reset(m_seed);
    m_store.clear();
    m_ledger.clear();
    m_journal.clear();
    m_chains.clear();
    m_byStatus.clear();
    m_byDecision.clear();
    m_recent.clear();
    m_refused = 0;
}

void MockService::count(const QString &decision, int status)
{
    ++m_byDecision[decision];
    ++m_byStatus[status];
}

void MockService::refused(int status, const QString &reason, Duration now, const QDateTime &wall)
{
    ++m_refused;
    count(u"refused"_s, status);
    JournalEntry e;
    e.at = now;
    e.wallTime = wall;
    e.decision = u"refused: "_s + reason;
    e.status = status;
    m_journal.arrive(std::move(e));
}

namespace {

// The method as text: the usual ones without an allocation per request.
QString methodText(QByteArrayView method)
{
    static const QString known[] = {u"GET"_s,    u"POST"_s,    u"HEAD"_s, u"PUT"_s,
                                    u"DELETE"_s, u"OPTIONS"_s, u"PATCH"_s};
    for (const QString &k : known)
        if (QLatin1String(method.data(), method.size()) == k)
            return k;
    return QString::fromLatin1(method);
}

} // namespace

MockService::Parsed MockService::Parsed::read(const ServiceRequest &r, Duration now,
                                              const QDateTime &wall, PathCache *paths,
                                              const QByteArray &chainHeader)
{
    Parsed in{r, {}, {}, {}, {}, 0, {}, {}, {}, {}, {}, Duration(0), {}};
    in.at = now;
    in.wall = wall;
    in.method = methodText(r.method);
    const qsizetype q = r.target.indexOf('?');
    const QByteArrayView path = QByteArrayView(r.target).first(q < 0 ? r.target.size() : q);
    if (path.startsWith('/') && !path.contains('%')) {
        for (const auto &[bytes, text] : paths->entries) {
            if (bytes == path) {
                in.path = text;
                break;
            }
        }
        if (in.path.isNull()) {
            in.path = QString::fromLatin1(path);
            paths->entries[paths->next] = {path.toByteArray(), in.path};
            paths->next = (paths->next + 1) % PathCache::kSize;
        }
    } else {
        // absolute-form or percent-encoded: the decoded path, as routes are written
        in.path = QUrl(QString::fromLatin1(r.target)).path();
    }
    if (q >= 0)
        in.query = QUrlQuery(QString::fromLatin1(QByteArrayView(r.target).sliced(q + 1)));
    // One pass over the fields; the first of each name counts.
    const QByteArray *clientId = nullptr;
    const QByteArray *attempt = nullptr;
    const QByteArray *operationId = nullptr;
    const QByteArray *key = nullptr;
    int keys = 0;
    for (const auto &[name, value] : r.headers) {
        const QByteArrayView n(name);
        if (!chainHeader.isEmpty() && in.chainValue.isEmpty() &&
            n.compare(chainHeader, Qt::CaseInsensitive) == 0)
            in.chainValue = value;
        if (n.compare("user-agent", Qt::CaseInsensitive) == 0) {
            in.userAgent = in.userAgent.isNull() ? value : in.userAgent;
        } else if (n.compare("x-client-id", Qt::CaseInsensitive) == 0) {
            clientId = clientId ? clientId : &value;
        } else if (n.compare("x-attempt", Qt::CaseInsensitive) == 0) {
            attempt = attempt ? attempt : &value;
        } else if (n.compare("x-operation-id", Qt::CaseInsensitive) == 0) {
            operationId = operationId ? operationId : &value;
        } else if (n.compare("idempotency-key", Qt::CaseInsensitive) == 0) {
            key = key ? key : &value;
            ++keys;
        }
    }
    in.clientId = QString::fromLatin1(clientId ? *clientId : QByteArray());
    in.attempt = attempt ? attempt->toInt() : 0;
    in.operationId = QString::fromLatin1(operationId ? *operationId : QByteArray());
    if (keys > 1) {
        in.keyError = u"more than one Idempotency-Key field"_s;
    } else if (keys == 1) {
        const auto reading = parseIdempotencyKey(*key);
        if (reading.key)
            in.key = *reading.key;
        else
            in.keyError = reading.error;
    }
    return in;
}

MockExchange MockService::arrive(const ServiceRequest &request, Duration now, const QDateTime &wall)
{
    const Parsed in = Parsed::read(request, now, wall, &m_paths, m_chains.options().header);
    MockExchange x;
    x.headRequest = request.method == "HEAD";
    m_recent.push_back(now);
    while (!m_recent.empty() && now - m_recent.front() > std::chrono::seconds(1))
        m_recent.pop_front();
    if (in.path.startsWith(u"/__admin/"_s)) {
        handleAdmin(in, x, now);
        return x;
    }
    JournalEntry e;
    e.at = now;
    e.wallTime = wall;
    e.method = in.method;
    e.path = in.path;
    e.clientId = in.clientId;
    e.attempt = in.attempt;
    e.idempotencyKey = in.key;
    const ChainPlace place =
        m_chains.place({in.clientId, in.operationId, in.chainValue, request.peer, in.userAgent,
                        in.method, in.path, request.body, now});
    e.chainClient = place.client;
    e.chainOperation = place.operation;
    e.chainAttempt = place.attempt;
    e.chainBy = place.by;
    x.chainKey = place.key;
    x.chainAttempt = place.attempt;
    x.journalId = m_journal.arrive(std::move(e)).id;
    if (in.method == u"POST"_s && in.path == u"/payments"_s)
        handlePayment(in, x);
    else
        handleGeneric(in, x);
    return x;
}

void MockService::answer(MockExchange &x, int status, const QString &label, QByteArray body,
                         HeaderList headers)
{
    x.kind = FaultKind::Respond;
    x.label = label;
    x.status = status;
    x.body = std::move(body);
    x.headers = std::move(headers);
    x.latency = Duration::zero();
}

void MockService::takeDecision(MockExchange &x, const FaultDecision &d, int status, QByteArray body)
{
    x.kind = d.kind;
    x.label = d.label;
    x.status = status;
    x.body = std::move(body);
    x.headers = d.headers;
    x.latency = d.latency;
    x.slowBodyChunks = std::max(1, d.slowBodyChunks);
    x.slowBodyOver = d.slowBodyOver;
    x.askedWait = d.askedWait;
    x.admitted = d.admitted;
}

void MockService::handleGeneric(const Parsed &in, MockExchange &x)
{
    const FaultDecision d =
        m_decider.decide({in.method, in.path, in.clientId, in.key, x.chainAttempt}, in.at, in.wall);
    QByteArray body = d.status >= 400 ? wire::errorBody(d.status, d.label)
                                      : wire::okBody(in.request.method, in.path, x.journalId);
    takeDecision(x, d, d.status, std::move(body));
}

void MockService::process(MockExchange &x, Duration now)
{
    if (x.processed)
        return;
    x.processed = true;
    if (x.effect == MockExchange::Effect::Charge) {
        bool duplicate = false;
        const qint64 n = m_ledger.charge(x.operation, &duplicate);
        if (duplicate && x.journalId != 0)
            m_journal.markDuplicateEffect(x.journalId);
        x.body = wire::json(QJsonObject{{u"id"_s, u"pay_%1"_s.arg(n)},
                                        {u"amount"_s, x.amount},
                                        {u"currency"_s, x.currency},
                                        {u"status"_s, u"succeeded"_s}});
        if (!x.key.isEmpty())
            m_store.complete(x.key, x.status, x.body, now);
    } else if (x.effect == MockExchange::Effect::Release) {
        m_store.release(x.key); // nothing happened: a retry starts afresh
    }
    if (x.journalId == 0)
        return;
    const bool answered = x.kind == FaultKind::Respond || x.kind == FaultKind::Truncate ||
                          x.kind == FaultKind::SlowBody;
    const int sent = answered ? x.status : 0;
    count(x.label, sent);
    m_journal.setOutcome(x.journalId, x.label, sent, x.latency);
    m_chains.answered(x.chainKey, sent, now);
    if (x.askedWait && (x.kind == FaultKind::Respond || x.kind == FaultKind::SlowBody))
        m_journal.askedToWait(x.journalId, *x.askedWait, now);
}

void MockService::finish(MockExchange &x)
{
    if (x.finished)
        return;
    x.finished = true;
    if (x.admitted)
        m_decider.finished();
}

ServerStats MockService::stats(Duration now) const
{
    ServerStats s;
    s.profile = profile().name;
    s.uptime = now;
    s.requests = m_journal.total();
    s.requestsPerSecond =
        static_cast<double>(m_journal.total()) / std::max(1e-3, toMs(now) / 1000.0);
    qint64 recent = 0;
    for (auto it = m_recent.crbegin();
         it != m_recent.crend() && now - *it <= std::chrono::seconds(1); ++it)
        ++recent;
    s.requestsLastSecond = recent;
    s.inFlight = m_decider.inFlight();
    s.openConnections = m_openConnections;
    s.refused = m_refused;
    s.byStatus = m_byStatus;
    for (auto it = m_byDecision.cbegin(); it != m_byDecision.cend(); ++it)
        s.byDecision.insert(it.key(), it.value());
    s.retryAfterJudged = m_journal.judged();
    s.retryAfterViolations = m_journal.violations();
    s.payments = m_ledger.payments();
    s.paymentOperations = m_ledger.operations();
    s.duplicates = m_ledger.duplicates();
    s.idempotencyMode = profile().idempotency.mode;
    s.journalCapacity = profile().limits.journalCapacity;
    s.journalDropped = m_journal.dropped();
    if (const auto outage = m_decider.outageAt(now)) {
        s.outageActive = true;
        s.outageEndsIn = outage->end - now;
    }
    return s;
}

} // namespace retrylab
