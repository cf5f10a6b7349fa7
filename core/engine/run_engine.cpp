// SPDX-License-Identifier: GPL-3.0-or-later
// RunEngine: operations from their start to their end, arrivals, stop and finish; the
// attempts are in run_engine_attempt.cpp, the answers in run_engine_answer.cpp.
#include "run_engine.h"

#include "http/idempotency.h"
#include "http/request_headers.h"
#include "run_engine_state.h"

#include <algorithm>

namespace retrylab {

using engine_detail::us;

namespace {

// SplitMix64: independent, reproducible seeds for each client from the scenario's seed.
std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

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
        m_scheduler.at(t0 + offset, [this, c, due = t0 + offset] {
            startOperation(c, clientOf(c).nextOperation++, due);
        });
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
        startOperation(client, clientOf(client).nextOperation++, at);
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

void RunEngine::startOperation(std::uint32_t client, std::uint32_t index, Duration due)
{
    if (m_stopping) {
        checkFinished();
        return;
    }
    auto op = std::make_unique<Op>();
    op->client = client;
    op->index = index;
    op->startedAt = m_scheduler.now();
    // Its first attempt was planned for when the operation was due (a stagger's offset, an
    // arrival's time), which a busy or stalled thread may start later: the record shows both.
    op->nextScheduled = std::min(due, op->startedAt);
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
        const Duration now = m_scheduler.now();
        m_scheduler.at(now, [this, client, now] {
            startOperation(client, clientOf(client).nextOperation++, now);
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
