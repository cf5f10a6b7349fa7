// SPDX-License-Identifier: GPL-3.0-or-later
// RunEngine: an answer (or a failure, or a timeout) recorded, counted by the breaker and the
// budget, and the operation's next step decided.
#include "base/limits.h"
#include "http/request_headers.h"
#include "run_engine.h"
#include "run_engine_state.h"

namespace retrylab {

using engine_detail::us;

void RunEngine::onResult(std::uint64_t opId, std::uint64_t attemptId, const AttemptResponse &r)
{
    const auto it = m_ops.find(opId);
    if (it == m_ops.end() || it->second->inflight != attemptId)
        return;
    Op &op = *it->second; // stays put: only this operation's own end erases it
    op.inflight = 0;      // answered: its timeout, if due, finds nothing to end
    if (op.timeoutTicket != 0) {
        m_scheduler.drop(op.timeoutTicket); // nor wakes anyone at its deadline
        op.timeoutTicket = 0;
    }
    // Answered now, before the work below: the next step's wait counts from here.
    const Duration now = m_scheduler.now();
    // Retries and timeouts that came due while this thread worked through other answers start
    // first: otherwise a burst of answers holds every wait that ends inside it until the
    // burst is over (core/engine/README.md, "Waits on time"). They are not this attempt's time.
    m_scheduler.catchUp();
    AttemptRecord rec = op.pending;
    recordAnswer(rec, r, now);
    op.lastFinished = now;
    op.lastOutcome = r.outcome;
    const AttemptResult result = resultOf(op, rec, r, now);
    countAnswer(op, r, result);
    decideNext(op, rec, result);
}

void RunEngine::recordAnswer(AttemptRecord &rec, const AttemptResponse &r, Duration now)
{
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
}

// What the policy is told about the answer: its outcome and the server's pushback, if any.
// A Retry-After is recorded, and holds the whole client when the policy says so.
AttemptResult RunEngine::resultOf(Op &op, AttemptRecord &rec, const AttemptResponse &r,
                                  Duration now)
{
    AttemptResult result{r.outcome, r.status, std::nullopt, std::nullopt};
    if (r.status <= 0)
        return result;
    const QDateTime receivedAt =
        r.receivedAt.isValid() ? r.receivedAt : QDateTime::currentDateTimeUtc();
    const auto reading = readPushback(r.status, r.headers, receivedAt);
    const RetryPolicy &policy = m_scenario.policy.retry;
    result.pushback = policy.serverWait(reading, r.status, r.headers, receivedAt);
    if (reading.wait) {
        rec.retryAfterUs = us(reading.wait->delay);
        if (policy.holdsClientOnPushback())
            clientOf(op.client).notBefore = now + reading.wait->delay;
    }
    return result;
}

void RunEngine::countAnswer(Op &op, const AttemptResponse &r, const AttemptResult &result)
{
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
}

void RunEngine::decideNext(Op &op, AttemptRecord &rec, const AttemptResult &result)
{
    // The wait counts from the answer (or the refusal), the moment the attempt's actual delay
    // is measured from, not from now: catching up on callbacks that came due meanwhile
    // (onResult) can take milliseconds in a burst, and a wait begun after them ends that much
    // late (core/engine/README.md, "Waits on time").
    const Duration now = op.lastFinished;
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

} // namespace retrylab
