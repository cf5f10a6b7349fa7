// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_engine.h"

#include "base/limits.h"
#include "http/idempotency.h"
#include "http/request_headers.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// SplitMix64: independent, reproducible seeds for each client from the scenario's seed.
std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

qint64 us(Duration d)
{
    return d.count();
}

} // namespace

class RunEngine::SchedulerClock final : public Clock
{
public:
    explicit SchedulerClock(const Scheduler &s)
        : m_s(s)
    {}
    Duration now() const override { return m_s.now(); }

private:
    const Scheduler &m_s;
};

struct RunEngine::Client {
    RandomSource rng;
    std::unique_ptr<CircuitBreaker> breaker;
    std::unique_ptr<RetryBudget> budget;
    std::uint32_t nextOperation = 0;
    Duration notBefore{0}; // a server asked this client to stay away until then
};

struct RunEngine::Op {
    std::uint64_t id = 0;
    std::uint32_t client = 0;
    std::uint32_t index = 0;
    Duration startedAt{0};
    Duration lastFinished{0};
    Duration nextScheduled{0};
    std::int64_t plannedDelayUs = -1;
    DelaySource source = DelaySource::Backoff;
    bool shortened = false;
    int attempts = 0;
    BackoffState backoff;
    QString key;
    double lastRetryCost = 0;
    bool refusedByBudget = false; // the budget refused the retry: end it at once, unsent
    Duration lastStarted{0};
    OutcomeClass lastOutcome = OutcomeClass::Success;
    std::uint64_t inflight = 0;
    bool permittedByBreaker = false;
    AttemptRecord pending; // the record of the attempt in flight
};

RunEngine::RunEngine(const Scenario &scenario, Scheduler &scheduler, Transport &transport,
                     RecordSink &log, Slice slice)
    : m_scenario(scenario)
    , m_scheduler(scheduler)
    , m_transport(transport)
    , m_log(log)
    , m_slice(slice.count > 0 ? slice : Slice{})
    , m_clock(std::make_unique<SchedulerClock>(scheduler))
    , m_arrivals(splitmix(scenario.seed ^ 0xa11c0ffeeULL))
{
    const auto listen = [this](std::uint32_t owner) {
        return [this, owner](const BreakerTransition &t) {
            m_log.appendBreaker({owner, us(t.at), t});
        };
    };
    if (m_scenario.sharedBreaker) {
        m_sharedBreaker = std::make_unique<CircuitBreaker>(m_scenario.policy.breaker, *m_clock);
        m_sharedBreaker->setListener(listen(0));
    }
    if (m_scenario.sharedBudget)
        m_sharedBudget = std::make_unique<RetryBudget>(m_scenario.policy.budget);
    for (auto c = int(m_slice.index); c < m_scenario.clients; c += int(m_slice.count)) {
        auto client = std::make_unique<Client>();
        client->rng.reseed(splitmix(m_scenario.seed + static_cast<std::uint64_t>(c) * 0x9e37ULL));
        if (!m_scenario.sharedBreaker) {
            client->breaker = std::make_unique<CircuitBreaker>(m_scenario.policy.breaker, *m_clock);
            client->breaker->setListener(listen(static_cast<std::uint32_t>(c)));
        }
        if (!m_scenario.sharedBudget)
            client->budget = std::make_unique<RetryBudget>(m_scenario.policy.budget);
        m_clients.push_back(std::move(client));
    }
    m_idempotent = isIdempotentMethod(m_scenario.method);
    m_methodIndex = m_log.intern(QString::fromLatin1(m_scenario.method));
    const QString url = m_scenario.builtinServer
                            ? m_scenario.path
                            : m_scenario.url.resolved(QUrl(m_scenario.path)).toString();
    m_urlIndex = m_log.intern(url);
    m_headersIndex = m_log.intern(formatHeaderBlock(m_scenario.headers));
}

RunEngine::~RunEngine() = default;

CircuitBreaker &RunEngine::breakerOf(std::uint32_t client)
{
    return m_sharedBreaker ? *m_sharedBreaker : *clientOf(client).breaker;
}

RetryBudget &RunEngine::budgetOf(std::uint32_t client)
{
    return m_sharedBudget ? *m_sharedBudget : *clientOf(client).budget;
}

void RunEngine::start()
{
    const Duration t0 = m_scheduler.now();
    m_t0 = t0;
    if (m_scenario.arrivalRatePerSecond > 0) {
        scheduleArrival(0, t0);
        return;
    }
    m_arrivalsOver = true; // closed loop: each client runs its operations one after another
    for (std::uint32_t local = 0; local < m_clients.size(); ++local) {
        const std::uint32_t c = local * m_slice.count + m_slice.index;
        const Duration offset = m_scenario.stagger > Duration::zero()
                                    ? clampMicros(m_clients[local]->rng.uniform() *
                                                  static_cast<double>(m_scenario.stagger.count()))
                                    : Duration::zero();
        m_scheduler.at(t0 + offset, [this, c] { startOperation(c, clientOf(c).nextOperation++); });
    }
}

void RunEngine::scheduleArrival(std::uint64_t index, Duration at)
{
    m_scheduler.at(at, [this, index, at] {
        if (m_stopping) {
            m_arrivalsOver = true;
            checkFinished();
            return;
        }
        // Open-loop arrivals run in one slice (EngineShards::countFor): local is global.
        const auto client = static_cast<std::uint32_t>(index % m_clients.size());
        startOperation(client, clientOf(client).nextOperation++);
        // Poisson arrivals: exponential gaps with mean 1 / rate.
        const double gap = -std::log(1.0 - m_arrivals.uniform()) / m_scenario.arrivalRatePerSecond;
        const Duration next = at + clampMicros(gap * 1e6);
        if (next >= m_t0 + m_scenario.duration) {
            m_arrivalsOver = true;
            checkFinished();
            return;
        }
        scheduleArrival(index + 1, next);
    });
}

void RunEngine::startOperation(std::uint32_t client, std::uint32_t index)
{
    if (m_stopping) {
        checkFinished();
        return;
    }
    auto op = std::make_unique<Op>();
    op->client = client;
    op->index = index;
    op->startedAt = m_scheduler.now();
    op->nextScheduled = op->startedAt;
    if (m_scenario.keys == KeyMode::PerOperation)
        op->key = makeIdempotencyKey(clientOf(client).rng);
    const std::uint64_t id = m_nextOpId++;
    op->id = id;
    ++m_started;
    // A well-behaved client does not start new work while a server has asked it to wait.
    const Duration notBefore = clientOf(client).notBefore;
    if (notBefore > op->startedAt) {
        op->nextScheduled = notBefore;
        op->source = DelaySource::Server;
        op->plannedDelayUs = us(notBefore - op->startedAt);
        m_ops.emplace(id, std::move(op));
        m_scheduler.at(notBefore, [this, id] { attempt(id); });
        return;
    }
    m_ops.emplace(id, std::move(op));
    attempt(id);
}

void RunEngine::attempt(std::uint64_t opId)
{
    const auto it = m_ops.find(opId);
    if (it == m_ops.end())
        return;
    Op &op = *it->second;
    const Duration now = m_scheduler.now();
    Client &client = clientOf(op.client);
    const RetryPolicy &policy = m_scenario.policy.retry;

    AttemptRecord rec;
    rec.client = op.client;
    rec.operation = op.index;
    rec.attempt = static_cast<std::uint16_t>(std::min(op.attempts + 1, 65535));
    rec.method = m_methodIndex;
    rec.url = m_urlIndex;
    rec.requestHeaders = m_headersIndex;
    rec.scheduledUs = us(op.nextScheduled);
    rec.startedUs = us(now);
    rec.plannedDelayUs = op.plannedDelayUs;
    rec.actualDelayUs = op.attempts > 0 ? us(now - op.lastFinished) : -1;
    rec.delaySource = op.source;
    rec.shortened = op.shortened;
    ++op.attempts;
    op.lastStarted = now;

    CircuitBreaker &breaker = breakerOf(op.client);
    breaker.poll();
    rec.breakerAtStart = breaker.state();

    if (m_stopping) {
        endUnsent(opId, rec, OutcomeClass::Cancelled, StopReason::Stopped);
        return;
    }

    // The budget was asked when the retry was decided (decideNext); a refusal ends the
    // operation at once, without sending and without waiting out a backoff first.
    if (op.refusedByBudget) {
        endUnsent(opId, rec, OutcomeClass::RejectedByBudget, StopReason::Rejected);
        return;
    }

    const auto permit = breaker.tryAcquire();
    if (!permit.allowed) {
        rec.outcome = OutcomeClass::RejectedByBreaker;
        rec.finishedUs = us(now);
        op.lastFinished = now;
        op.lastOutcome = rec.outcome;
        AttemptResult result{OutcomeClass::RejectedByBreaker, 0, std::nullopt, permit.retryIn};
        decideNext(op, rec, result);
        return;
    }
    op.permittedByBreaker = true;

    if (m_scenario.keys == KeyMode::PerAttempt)
        op.key = makeIdempotencyKey(client.rng);
    const Duration timeout = policy.effectiveAttemptTimeout(now - op.startedAt);
    if (timeout <= Duration::zero()) {
        endUnsent(opId, rec, OutcomeClass::BudgetExhausted, StopReason::TimeBudgetExhausted);
        return;
    }
    rec.idempotencyKey = m_log.intern(op.key);

    AttemptRequest req;
    req.id = m_nextAttemptId++;
    req.client = op.client;
    req.operation = op.index;
    req.attempt = op.attempts;
    req.method = m_scenario.method;
    req.path = m_scenario.path;
    req.body = m_scenario.body;
    req.idempotencyKey = op.key;
    req.headers = m_scenario.headers;
    req.headers += generatedHeaders(op.client, op.index, op.attempts, op.key);
    op.inflight = req.id;
    op.pending = rec;
    const std::uint64_t attemptId = req.id;
    m_transport.send(
        req, [this, opId, attemptId](const AttemptResponse &r) { onResult(opId, attemptId, r); });
    if (timeout < kMaxDuration) {
        m_scheduler.at(now + timeout, [this, opId, attemptId] {
            const auto found = m_ops.find(opId);
            if (found == m_ops.end() || found->second->inflight != attemptId)
                return;
            AttemptResponse timedOut;
            timedOut.phases = m_transport.phasesSoFar(attemptId);
            m_transport.cancel(attemptId);
            timedOut.outcome = OutcomeClass::Timeout;
            onResult(opId, attemptId, timedOut);
        });
    }
}

void RunEngine::endUnsent(std::uint64_t opId, AttemptRecord &rec, OutcomeClass outcome,
                          StopReason stop)
{
    rec.outcome = outcome;
    rec.finishedUs = us(m_scheduler.now());
    rec.stop = stop;
    rec.lastOfOperation = true;
    m_log.append(rec);
    finishOperation(opId);
}

void RunEngine::onResult(std::uint64_t opId, std::uint64_t attemptId, const AttemptResponse &r)
{
    const auto it = m_ops.find(opId);
    if (it == m_ops.end() || it->second->inflight != attemptId)
        return;
    Op &op = *it->second; // stays put: only this operation's own end erases it
    op.inflight = 0;      // answered: its timeout, if due, finds nothing to end
    // Retries and timeouts that came due while this thread worked through other answers start
    // first: otherwise a burst of answers holds every wait that ends inside it until the
    // burst is over (core/engine/README.md, "Waits on time").
    m_scheduler.catchUp();
    const Duration now = m_scheduler.now();
    AttemptRecord rec = op.pending;
    rec.finishedUs = us(now);
    rec.outcome = r.outcome;
    rec.status = static_cast<qint16>(r.status);
    rec.insecure = r.insecure;
    rec.phases = r.phases;
    rec.responseBytes = r.bodyBytes;
    if (!r.error.isEmpty())
        rec.detail = m_log.intern(r.error);
    // Response headers are kept for the first records only: a typed URL's headers (dates,
    // request ids) differ on every response, and the log must stay compact for long runs.
    rec.httpVersion = r.httpVersion;
    const std::size_t kept = m_log.size();
    if (!r.headers.isEmpty() && kept < limits::kResponseHeadersKept)
        rec.responseHeaders = m_log.intern(formatHeaderBlock(r.headers));
    if (!r.requestHead.isEmpty() && kept < limits::kRequestHeadsKept)
        rec.requestSent = m_log.intern(QString::fromLatin1(r.requestHead));
    if (!r.body.isEmpty() && kept < limits::kResponseBodiesKept)
        rec.responseBody =
            m_log.intern(QString::fromUtf8(r.body.left(limits::kResponseBodyShownBytes)));
    op.lastFinished = now;
    op.lastOutcome = r.outcome;

    AttemptResult result{r.outcome, r.status, std::nullopt, std::nullopt};
    if (r.status > 0) {
        const auto reading =
            readPushback(r.status, r.headers,
                         r.receivedAt.isValid() ? r.receivedAt : QDateTime::currentDateTimeUtc());
        const RetryPolicy &policy = m_scenario.policy.retry;
        result.pushback = policy.serverWait(
            reading, r.status, r.headers,
            r.receivedAt.isValid() ? r.receivedAt : QDateTime::currentDateTimeUtc());
        if (reading.wait) {
            rec.retryAfterUs = us(reading.wait->delay);
            if (policy.holdsClientOnPushback())
                clientOf(op.client).notBefore = now + reading.wait->delay;
        }
    }
    // The breaker counts what the service did: failures it could recover from.
    const bool failure = m_scenario.policy.retry.isServiceFailure(r.outcome, r.status);
    CircuitBreaker &breaker = breakerOf(op.client);
    if (op.permittedByBreaker)
        failure ? breaker.onFailure() : breaker.onSuccess();
    op.permittedByBreaker = false;
    // Budgets count what their libraries count: a token back only for a 2xx (botocore's
    // refund, gRPC's success), a token taken only for a retryable failure (gRPC).
    RetryBudget &budget = budgetOf(op.client);
    if (r.outcome == OutcomeClass::Success)
        budget.onAttemptSucceeded(op.lastRetryCost);
    else if (m_scenario.policy.retry.countsAgainstBudget(result, !op.key.isEmpty()))
        budget.onAttemptFailed();
    decideNext(op, rec, result);
}

void RunEngine::decideNext(Op &op, AttemptRecord &rec, const AttemptResult &result)
{
    const Duration now = m_scheduler.now();
    const AttemptContext ctx{op.attempts, now - op.startedAt, m_idempotent, !op.key.isEmpty(),
                             now - op.lastStarted};
    const RetryDecision d =
        m_scenario.policy.retry.decide(ctx, result, op.backoff, clientOf(op.client).rng);
    const std::uint64_t opId = op.id;
    if (!d.retry || m_stopping) {
        rec.stop = m_stopping && d.retry ? StopReason::Stopped : d.stop;
        rec.lastOfOperation = true;
        m_log.append(rec);
        finishOperation(opId);
        return;
    }
    m_log.append(rec);
    // Ask the budget now, as gRPC and botocore do before they wait: a refused retry ends at
    // once instead of first sitting through its backoff.
    const auto permit = budgetOf(op.client).tryAcquireRetry(op.lastOutcome);
    op.refusedByBudget = !permit.allowed;
    op.lastRetryCost = permit.cost;
    const Duration delay = permit.allowed ? d.delay : Duration::zero();
    op.plannedDelayUs = us(delay);
    op.source = d.source;
    op.shortened = d.shortened;
    op.nextScheduled = now + delay;
    m_scheduler.at(now + delay, [this, opId] { attempt(opId); });
}

void RunEngine::finishOperation(std::uint64_t opId)
{
    const auto it = m_ops.find(opId);
    if (it == m_ops.end())
        return;
    const std::uint32_t client = it->second->client;
    m_ops.erase(it);
    ++m_done;
    if (m_scenario.arrivalRatePerSecond <= 0 && !m_stopping &&
        clientOf(client).nextOperation <
            static_cast<std::uint32_t>(m_scenario.operationsPerClient)) {
        // Counted when it starts, not now: until then the run is not over (checkFinished).
        m_scheduler.at(m_scheduler.now(), [this, client] {
            startOperation(client, clientOf(client).nextOperation++);
        });
        return;
    }
    checkFinished();
}

void RunEngine::stop()
{
    m_stopping = true;
    // Operations waiting out a delay end now, their next attempt recorded as cancelled: a
    // stopped run does not sit through backoffs and Retry-After waits. Attempts in flight
    // still land. The timers left behind find no operation and do nothing.
    std::vector<std::uint64_t> waiting;
    for (const auto &[id, op] : m_ops)
        if (op->inflight == 0)
            waiting.push_back(id);
    std::sort(waiting.begin(), waiting.end()); // the log's order does not depend on hashing
    for (std::uint64_t id : waiting)
        attempt(id);
    checkFinished();
}

void RunEngine::abandonInFlight(const QString &why)
{
    stop();
    std::vector<std::pair<std::uint64_t, std::uint64_t>> inFlight; // operation, attempt
    for (const auto &[id, op] : m_ops)
        if (op->inflight != 0)
            inFlight.emplace_back(id, op->inflight);
    std::sort(inFlight.begin(), inFlight.end());
    for (const auto &[opId, attemptId] : inFlight) {
        m_transport.cancel(attemptId);
        AttemptResponse abandoned;
        abandoned.outcome = OutcomeClass::NetworkOther;
        abandoned.error = why;
        onResult(opId, attemptId, abandoned);
    }
    checkFinished();
}

void RunEngine::checkFinished()
{
    if (m_finished || !m_ops.empty() || !m_arrivalsOver)
        return;
    if (!m_stopping && m_scenario.arrivalRatePerSecond <= 0) {
        for (const auto &c : m_clients)
            if (c->nextOperation < static_cast<std::uint32_t>(m_scenario.operationsPerClient))
                return;
    }
    m_finished = true;
    if (onFinished)
        onFinished();
}

} // namespace retrylab
