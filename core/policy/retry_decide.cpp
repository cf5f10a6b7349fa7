// SPDX-License-Identifier: GPL-3.0-or-later
// RetryPolicy::decide, and the same decision without its sentence for studies.
#include "retry_decide.h"

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// botocore's _RETRY_AFTER_MAX_ADDITIONAL: x-amz-retry-after may add at most 5 s to the backoff.
constexpr Duration kAmzRetryAfterMaxAdditional = std::chrono::seconds(5);

// The request never reached a server, so repeating it cannot duplicate an effect.
bool neverReachedServer(OutcomeClass c)
{
    return c == OutcomeClass::ConnectionRefused || c == OutcomeClass::Dns ||
           outcome::isLocalRejection(c);
}

// The server's pushback counts unless the policy ignores it.
bool usesServerWait(const RetryPolicy &p, const AttemptResult &result)
{
    return result.pushback && p.retryAfterMode != RetryAfterMode::Ignore;
}

// Marks `d` as the last attempt. The sentence is written only when asked for: `text` makes it,
// so a study's millions of decisions build no strings.
template<typename Text>
RetryDecision stopWith(RetryDecision d, StopReason why, bool explain, const Text &text)
{
    d.retry = false;
    d.stop = why;
    if (explain)
        d.explanation = text();
    return d;
}

// The reasons to stop that need no wait drawn: the answer itself, the policy's rules for it,
// the attempts used and the time left. Empty when the operation may go on.
std::optional<RetryDecision> stopBeforeWaiting(const RetryPolicy &p, const AttemptContext &ctx,
                                               const AttemptResult &result, Duration remaining,
                                               bool explain)
{
    const auto stop = [explain](StopReason why, const auto &text) {
        return stopWith(RetryDecision{}, why, explain, text);
    };

    const bool failed = result.outcome != OutcomeClass::Success &&
                        result.outcome != OutcomeClass::Informational &&
                        result.outcome != OutcomeClass::Redirect;
    // A 3xx or 1xx is final too (redirects are not followed: each attempt is one exchange),
    // but the operation did not get what it asked for: it ends, and not as a success.
    if (result.outcome == OutcomeClass::Success)
        return stop(StopReason::Succeeded,
                    [&] { return QString(u"final answer %1"_s.arg(result.httpStatus)); });
    if (!failed)
        return stop(StopReason::FinalAnswer, [&] {
            return QString(u"final answer %1 is not a success (redirects are not followed)"_s.arg(
                result.httpStatus));
        });

    if (!p.isRetryable(result, ctx.hasIdempotencyKey)) {
        if (result.outcome == OutcomeClass::RejectedByBudget)
            return stop(StopReason::Rejected,
                        [&] { return QString(u"the retry budget refused another attempt"_s); });
        if (result.outcome == OutcomeClass::RejectedByBreaker)
            return stop(StopReason::Rejected,
                        [&] { return QString(u"the circuit breaker is open"_s); });
        if (result.outcome == OutcomeClass::BudgetExhausted)
            return stop(StopReason::TimeBudgetExhausted,
                        [&] { return QString(u"the time budget is used up"_s); });
        const QString what = outcome::isNetworkFailure(result.outcome)
                                 ? outcome::title(result.outcome)
                                 : QString::number(result.httpStatus);
        return stop(StopReason::NotRetryable,
                    [&] { return QString(u"%1 is not retryable"_s.arg(what)); });
    }

    if (!ctx.idempotentMethod && !neverReachedServer(result.outcome)) {
        const bool allowed =
            ctx.hasIdempotencyKey ? p.retryNonIdempotentWithKey : p.retryNonIdempotentWithoutKey;
        if (!allowed)
            return stop(StopReason::NonIdempotent, [&] {
                return QString(ctx.hasIdempotencyKey
                                   ? u"non-idempotent request; retries with a key are disabled"_s
                                   : u"non-idempotent request without an idempotency key"_s);
            });
    }

    if (usesServerWait(p, result) && result.pushback->doNotRetry)
        return stop(StopReason::ServerSaidNoRetry,
                    [&] { return QString(u"the server asked for no retry"_s); });

    if (ctx.attemptsMade >= p.maxAttempts)
        return stop(StopReason::MaxAttempts, [&] {
            return QString(u"%1 of %2 attempts used"_s.arg(ctx.attemptsMade).arg(p.maxAttempts));
        });

    if (remaining <= p.minAttemptWindow)
        return stop(StopReason::TimeBudgetExhausted, [&] {
            return QString(u"%1 left of the time budget"_s.arg(
                formatDurationReadable(std::max(Duration::zero(), remaining))));
        });
    return std::nullopt;
}

// Weighs the server's wait `server` against the backoff already in `d`, as the policy's
// Retry-After mode says.
void applyServerWait(const RetryPolicy &p, const AttemptContext &ctx, Duration server,
                     BackoffState &state, RandomSource &rng, RetryDecision &d)
{
    d.serverDelay = server;
    switch (p.retryAfterMode) {
    case RetryAfterMode::Ignore:
        break;
    case RetryAfterMode::Honour:
        d.delay = server;
        d.source = DelaySource::Server;
        break;
    case RetryAfterMode::HonourCapped:
        d.delay = std::min(server, p.retryAfterCap);
        d.serverDelayCapped = server > p.retryAfterCap;
        d.source = DelaySource::Server;
        break;
    case RetryAfterMode::LargerOfBoth:
        if (server >= d.backoffDelay) {
            d.delay = server;
            d.source = DelaySource::Server;
        }
        break;
    case RetryAfterMode::GrpcPushback:
        // "Retry after exactly that delay", and the backoff starts again from
        // initialBackoff for the retries after it.
        d.delay = server;
        d.source = DelaySource::Server;
        state.retriesBeforePushback = ctx.attemptsMade;
        break;
    case RetryAfterMode::AmzRetryAfter:
        // botocore: max(t_i, min(retry_after, t_i + 5 s)).
        d.delay = std::max(d.backoffDelay,
                           std::min(server, d.backoffDelay + kAmzRetryAfterMaxAdditional));
        d.serverDelayCapped = server > d.delay;
        if (d.delay != d.backoffDelay)
            d.source = DelaySource::Server;
        break;
    case RetryAfterMode::EnvoyRateLimited: {
        // JitteredLowerBoundBackOffStrategy: random % (d / 2) + d in whole milliseconds;
        // a value above max_interval is discarded and the backoff applies.
        if (server > p.retryAfterCap)
            break;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(server).count();
        const auto half = ms / 2;
        const auto extra =
            half > 0 ? static_cast<qint64>(std::floor(rng.uniform() * double(half))) : 0;
        d.delay = std::chrono::milliseconds(ms + extra);
        d.source = DelaySource::Server;
        break;
    }
    }
}

// A wait that does not fit in the time left: a stop, or `d` shortened to fit. Empty when it fits
// or was shortened.
std::optional<RetryDecision> fitWaitToBudget(const RetryPolicy &p, Duration remaining, bool explain,
                                             RetryDecision &d)
{
    if (d.delay <= remaining - p.minAttemptWindow)
        return std::nullopt;
    // Shortening a server's wait would make the client non-compliant, so a server wait
    // that does not fit always fails fast; a backoff wait follows the overrun mode.
    if (d.source == DelaySource::Server)
        return stopWith(d, StopReason::PushbackBeyondBudget, explain, [&] {
            return QString(u"the server asked to wait %1 but only %2 of the budget is left"_s.arg(
                formatDurationReadable(d.delay), formatDurationReadable(remaining)));
        });
    if (p.overrun == OverrunMode::Stop)
        return stopWith(d, StopReason::TimeBudgetExhausted, explain, [&] {
            return QString(u"waiting %1 would pass the deadline (%2 left)"_s.arg(
                formatDurationReadable(d.delay), formatDurationReadable(remaining)));
        });
    d.delay = remaining - p.minAttemptWindow;
    d.shortened = true;
    return std::nullopt;
}

} // namespace

RetryDecision decideRetry(const RetryPolicy &p, const AttemptContext &ctx,
                          const AttemptResult &result, BackoffState &state, RandomSource &rng,
                          bool explain)
{
    const Duration remaining =
        p.totalBudget > Duration::zero() ? p.totalBudget - ctx.elapsed : kMaxDuration;
    if (auto stopped = stopBeforeWaiting(p, ctx, result, remaining, explain))
        return *stopped;

    RetryDecision d;
    // Draw the backoff even when the server's wait wins, so the strategy's memory (decorrelated
    // jitter, Polly) advances the same way whatever the server says.
    const int retryIndex = std::max(0, ctx.attemptsMade - 1 - state.retriesBeforePushback);
    d.backoffDelay = Backoff(p.backoff).delay(retryIndex, state, rng);
    if (p.backoffFromAttemptStart)
        d.backoffDelay = std::max(Duration::zero(), d.backoffDelay - ctx.lastAttemptDuration);
    d.delay = d.backoffDelay;
    d.source = DelaySource::Backoff;

    if (usesServerWait(p, result))
        applyServerWait(p, ctx, result.pushback->delay, state, rng, d);
    if (result.outcome == OutcomeClass::RejectedByBreaker && result.breakerOpenFor &&
        *result.breakerOpenFor > d.delay) {
        d.delay = *result.breakerOpenFor;
        d.source = DelaySource::Breaker;
    }
    if (auto stopped = fitWaitToBudget(p, remaining, explain, d))
        return *stopped;

    d.retry = true;
    d.stop = StopReason::None;
    if (!explain)
        return d;
    d.explanation = u"retry %1 after %2 (%3%4)"_s.arg(ctx.attemptsMade)
                        .arg(formatDurationReadable(d.delay), delaySourceId(d.source),
                             d.shortened           ? u", shortened to fit the budget"_s
                             : d.serverDelayCapped ? u", server's wait capped"_s
                                                   : QString());
    return d;
}

} // namespace retrylab
