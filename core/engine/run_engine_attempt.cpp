// SPDX-License-Identifier: GPL-3.0-or-later
// RunEngine: an attempt built, let through the breaker and the budget, and sent.
#include "http/idempotency.h"
#include "http/request_headers.h"
#include "run_engine.h"
#include "run_engine_state.h"

#include <algorithm>

namespace retrylab {

using engine_detail::us;

void RunEngine::attempt(std::uint64_t opId)
{
    const auto it = m_ops.find(opId);
    if (it == m_ops.end())
        return;
    Op &op = *it->second;
    const Duration now = m_scheduler.now();
    AttemptRecord rec = beginRecord(op, now);

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
        op.key = makeIdempotencyKey(clientOf(op.client).rng);
    const Duration timeout = m_scenario.policy.retry.effectiveAttemptTimeout(now - op.startedAt);
    if (timeout <= Duration::zero()) {
        endUnsent(opId, rec, OutcomeClass::BudgetExhausted, StopReason::TimeBudgetExhausted);
        return;
    }
    rec.idempotencyKey = m_log.intern(op.key);
    send(op, rec, now, timeout);
}

AttemptRecord RunEngine::beginRecord(Op &op, Duration now)
{
    AttemptRecord rec;
    rec.client = op.client;
    rec.operation = op.index;
    rec.attempt = static_cast<std::uint16_t>(std::min(op.attempts + 1, 65535));
    rec.method = m_methodIndex;
    rec.url = m_urlIndex;
    rec.requestHeaders = m_headersIndex;
    rec.scheduledUs = us(op.nextScheduled);
    rec.startedUs = us(now); // the moment the attempt really starts (engine/README.md)
    rec.plannedDelayUs = op.plannedDelayUs;
    rec.actualDelayUs = op.attempts > 0 ? us(now - op.lastFinished) : -1;
    rec.delaySource = op.source;
    rec.shortened = op.shortened;
    ++op.attempts;
    op.lastStarted = now;
    return rec;
}

void RunEngine::send(Op &op, const AttemptRecord &rec, Duration now, Duration timeout)
{
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
    const std::uint64_t opId = op.id;
    const std::uint64_t attemptId = req.id;
    m_transport.send(
        req, [this, opId, attemptId](const AttemptResponse &r) { onResult(opId, attemptId, r); });
    if (timeout >= kMaxDuration)
        return;
    const std::uint64_t ticket = armTimeout(opId, attemptId, now + timeout);
    // Not through `op`: an answer can come back inside send() (a write that fails at once),
    // and if it was the operation's last, the operation is gone. Answered already, the
    // timeout is left to find nothing.
    const auto found = m_ops.find(opId);
    if (found != m_ops.end() && found->second->inflight == attemptId)
        found->second->timeoutTicket = ticket;
}

// The policy's per-attempt timeout: an attempt still in flight then is cancelled and recorded
// with the phases it got through. An answer first drops it (onResult).
std::uint64_t RunEngine::armTimeout(std::uint64_t opId, std::uint64_t attemptId, Duration at)
{
    return m_scheduler.at(at, [this, opId, attemptId] {
        const auto found = m_ops.find(opId);
        if (found == m_ops.end() || found->second->inflight != attemptId)
            return;
        found->second->timeoutTicket = 0; // running: nothing left to drop
        AttemptResponse timedOut;
        timedOut.phases = m_transport.phasesSoFar(attemptId);
        m_transport.cancel(attemptId);
        timedOut.outcome = OutcomeClass::Timeout;
        onResult(opId, attemptId, timedOut);
    });
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

} // namespace retrylab
