// SPDX-License-Identifier: GPL-3.0-or-later
#include "retry_policy.h"

#include "retry_decide.h"

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

template<typename E> struct Named {
    E value;
    const char16_t *id;
};

constexpr std::array kStopReasons{
    Named<StopReason>{StopReason::None, u"retry"},
    Named<StopReason>{StopReason::Succeeded, u"succeeded"},
    Named<StopReason>{StopReason::FinalAnswer, u"final-answer"},
    Named<StopReason>{StopReason::NotRetryable, u"not-retryable"},
    Named<StopReason>{StopReason::NonIdempotent, u"non-idempotent"},
    Named<StopReason>{StopReason::MaxAttempts, u"max-attempts"},
    Named<StopReason>{StopReason::TimeBudgetExhausted, u"time-budget-exhausted"},
    Named<StopReason>{StopReason::PushbackBeyondBudget, u"pushback-beyond-budget"},
    Named<StopReason>{StopReason::ServerSaidNoRetry, u"server-said-no-retry"},
    Named<StopReason>{StopReason::Rejected, u"rejected"},
    Named<StopReason>{StopReason::Stopped, u"stopped"},
};

constexpr std::array kRetryAfterModes{
    Named<RetryAfterMode>{RetryAfterMode::Ignore, u"ignore"},
    Named<RetryAfterMode>{RetryAfterMode::Honour, u"honour"},
    Named<RetryAfterMode>{RetryAfterMode::HonourCapped, u"honour-capped"},
    Named<RetryAfterMode>{RetryAfterMode::LargerOfBoth, u"larger-of-both"},
    Named<RetryAfterMode>{RetryAfterMode::GrpcPushback, u"grpc-pushback"},
    Named<RetryAfterMode>{RetryAfterMode::AmzRetryAfter, u"x-amz-retry-after"},
    Named<RetryAfterMode>{RetryAfterMode::EnvoyRateLimited, u"envoy-rate-limited"},
};

constexpr std::array kRetryAfterModeTitles{
    Named<RetryAfterMode>{RetryAfterMode::Ignore, u"Ignore"},
    Named<RetryAfterMode>{RetryAfterMode::Honour, u"Honour"},
    Named<RetryAfterMode>{RetryAfterMode::HonourCapped, u"Honour, capped"},
    Named<RetryAfterMode>{RetryAfterMode::LargerOfBoth, u"Larger of backoff and Retry-After"},
    Named<RetryAfterMode>{RetryAfterMode::GrpcPushback, u"gRPC grpc-retry-pushback-ms"},
    Named<RetryAfterMode>{RetryAfterMode::AmzRetryAfter,
                          u"botocore x-amz-retry-after (within [t, t + 5 s])"},
    Named<RetryAfterMode>{RetryAfterMode::EnvoyRateLimited,
                          u"Envoy rate_limited_retry_back_off (U(d, 1.5 d))"},
};

// Only the headers one pushback source reads (and Date, which dates are measured against).
HeaderList onlyHeadersOf(PushbackSource source, const HeaderList &headers)
{
    QList<QByteArrayView> names{"date"};
    switch (source) {
    case PushbackSource::RetryAfter:
        names << "retry-after";
        break;
    case PushbackSource::RateLimit:
        names << "ratelimit"
              << "ratelimit-remaining"
              << "ratelimit-reset";
        break;
    case PushbackSource::AmzRetryAfter:
        names << "x-amz-retry-after";
        break;
    case PushbackSource::GrpcPushback:
        names << "grpc-retry-pushback-ms";
        break;
    case PushbackSource::XRateLimitReset:
        names << "x-ratelimit-reset"
              << "x-ratelimit-remaining";
        break;
    }
    HeaderList out;
    for (const auto &h : headers)
        for (const QByteArrayView n : names)
            if (h.first.compare(n, Qt::CaseInsensitive) == 0)
                out << h;
    return out;
}

std::optional<Pushback> readOnly(PushbackSource source, int status, const HeaderList &headers,
                                 const QDateTime &receivedAt)
{
    const auto reading = readPushback(status, onlyHeadersOf(source, headers), receivedAt);
    if (reading.wait && reading.wait->source == source)
        return reading.wait;
    return std::nullopt;
}

template<typename E, std::size_t N> QString idOf(const std::array<Named<E>, N> &table, E value)
{
    for (const auto &n : table)
        if (n.value == value)
            return QString::fromUtf16(n.id);
    return {};
}

} // namespace

// Out of line: GCC 12 warns falsely (dangling-pointer) on initializer lists in default
// member initialisers of Qt containers.
QList<int> defaultRetryableStatuses()
{
    return {408, 429, 500, 502, 503, 504};
}

QSet<OutcomeClass> defaultRetryableFailures()
{
    return {OutcomeClass::Timeout, OutcomeClass::ConnectionReset, OutcomeClass::ConnectionRefused};
}

QString stopReasonId(StopReason r)
{
    return idOf(kStopReasons, r);
}

QString delaySourceId(DelaySource s)
{
    switch (s) {
    case DelaySource::Backoff:
        return u"backoff"_s;
    case DelaySource::Server:
        return u"retry-after"_s;
    case DelaySource::Breaker:
        return u"breaker"_s;
    }
    return {};
}

QString retryAfterModeId(RetryAfterMode m)
{
    return idOf(kRetryAfterModes, m);
}

std::optional<RetryAfterMode> retryAfterModeFromId(const QString &id)
{
    for (const auto &n : kRetryAfterModes)
        if (id == QStringView(n.id))
            return n.value;
    return std::nullopt;
}

QString retryAfterModeTitle(RetryAfterMode m)
{
    return idOf(kRetryAfterModeTitles, m);
}

QList<RetryAfterMode> retryAfterModes()
{
    QList<RetryAfterMode> out;
    for (const auto &n : kRetryAfterModes)
        out << n.value;
    return out;
}

FieldProblems RetryPolicy::validate() const
{
    FieldProblems p;
    const auto add = [&p](const char16_t *field, const QString &message) {
        p.append({QString::fromUtf16(field), message});
    };
    if (backoff.base < Duration::zero())
        add(u"backoff.baseMs", u"the base delay cannot be negative"_s);
    if (backoff.cap <= Duration::zero())
        add(u"backoff.capMs", u"the cap must be above 0"_s);
    else if (backoff.cap < backoff.base)
        add(u"backoff.capMs",
            u"the cap (%1) is below the base delay (%2)"_s.arg(
                formatDurationReadable(backoff.cap), formatDurationReadable(backoff.base)));
    if (!(backoff.multiplier >= 1.0) || backoff.multiplier > 100.0)
        add(u"backoff.multiplier", u"the multiplier must be between 1 and 100"_s);
    if (!(backoff.jitter >= 0.0) || backoff.jitter > 1.0)
        add(u"backoff.jitter", u"the randomisation factor must be between 0 and 1"_s);
    if (backoff.kind == BackoffKind::DecorrelatedJitter && backoff.base <= Duration::zero())
        add(u"backoff.baseMs", u"decorrelated jitter needs a base delay above 0"_s);
    if (maxAttempts < 1)
        add(u"maxAttempts", u"at least 1 attempt is needed (1 means no retries)"_s);
    else if (maxAttempts > 1000)
        add(u"maxAttempts", u"more than 1000 attempts per operation is not supported"_s);
    if (totalBudget < Duration::zero())
        add(u"totalBudgetMs", u"the time budget cannot be negative (0 means unlimited)"_s);
    if (attemptTimeout < Duration::zero())
        add(u"attemptTimeoutMs", u"the attempt timeout cannot be negative (0 means none)"_s);
    if (minAttemptWindow < Duration::zero())
        add(u"minAttemptWindowMs", u"the last attempt's window cannot be negative"_s);
    if ((retryAfterMode == RetryAfterMode::HonourCapped ||
         retryAfterMode == RetryAfterMode::EnvoyRateLimited) &&
        retryAfterCap <= Duration::zero())
        add(u"retryAfterCapMs", u"the Retry-After cap must be above 0"_s);
    for (const int s : retryableStatuses) {
        if (s < 100 || s > 599) {
            add(u"retryableStatuses", u"%1 is not an HTTP status code (100 to 599)"_s.arg(s));
            break;
        }
        if (s >= 200 && s < 300) {
            add(u"retryableStatuses", u"%1 is a success; it cannot be retried"_s.arg(s));
            break;
        }
    }
    for (const OutcomeClass c : retryableFailures) {
        if (!outcome::isNetworkFailure(c)) {
            add(u"retryableFailures", u"'%1' is not a network failure class"_s.arg(outcome::id(c)));
            break;
        }
    }
    return p;
}

FieldProblems RetryPolicy::advise() const
{
    FieldProblems p;
    if (totalBudget > Duration::zero() && maxAttempts > 1) {
        // The worst case the formula allows: every retry waits its upper bound.
        const Backoff b(backoff);
        Duration worst{0};
        for (int n = 0; n < std::min(maxAttempts - 1, 64); ++n)
            worst += b.upperBound(n);
        if (attemptTimeout > Duration::zero())
            worst += attemptTimeout * maxAttempts;
        if (worst > totalBudget)
            p.append(
                {u"totalBudgetMs"_s,
                 u"%1 attempts with their timeouts and longest waits can take %2, more than "
                 "the time budget of %3: the last attempts may never run"_s.arg(maxAttempts)
                     .arg(formatDurationReadable(worst), formatDurationReadable(totalBudget))});
    }
    if (totalBudget > Duration::zero() && attemptTimeout > totalBudget)
        p.append(
            {u"attemptTimeoutMs"_s, u"the attempt timeout is longer than the whole time budget"_s});
    if (retryNonIdempotentWithoutKey)
        p.append({u"retryNonIdempotentWithoutKey"_s,
                  u"POST and PATCH are retried without an idempotency key: a lost response "
                  "can charge twice"_s});
    if (retryAfterMode == RetryAfterMode::Ignore)
        p.append({u"retryAfterMode"_s,
                  u"Retry-After is ignored: a rate-limited server will see retries too early"_s});
    return p;
}

bool RetryPolicy::isRetryable(const AttemptResult &r, bool keyed) const
{
    if (r.outcome == OutcomeClass::RejectedByBreaker)
        return waitForBreaker;
    if (outcome::isLocalRejection(r.outcome))
        return false;
    if (outcome::isNetworkFailure(r.outcome))
        return retryableFailures.contains(r.outcome);
    if (r.httpStatus == 409 && keyed && retryInFlightConflict)
        return true;
    if (r.outcome == OutcomeClass::ClientError || r.outcome == OutcomeClass::ServerError)
        return retryableStatuses.contains(r.httpStatus);
    return false;
}

bool RetryPolicy::isServiceFailure(OutcomeClass outcome, int status) const
{
    return outcome::isNetworkFailure(outcome) || outcome == OutcomeClass::ServerError ||
           (outcome == OutcomeClass::ClientError && retryableStatuses.contains(status));
}

bool RetryPolicy::countsAgainstBudget(const AttemptResult &result, bool keyed) const
{
    if (outcome::isLocalRejection(result.outcome))
        return false;
    if (result.pushback && result.pushback->doNotRetry)
        return true;
    return isRetryable(result, keyed);
}

std::optional<Pushback> RetryPolicy::serverWait(const PushbackReading &generic, int httpStatus,
                                                const HeaderList &headers,
                                                const QDateTime &receivedAt) const
{
    switch (retryAfterMode) {
    case RetryAfterMode::Ignore:
    case RetryAfterMode::Honour:
    case RetryAfterMode::HonourCapped:
    case RetryAfterMode::LargerOfBoth:
        return generic.wait;
    case RetryAfterMode::GrpcPushback:
        return readOnly(PushbackSource::GrpcPushback, httpStatus, headers, receivedAt);
    case RetryAfterMode::AmzRetryAfter:
        return readOnly(PushbackSource::AmzRetryAfter, httpStatus, headers, receivedAt);
    case RetryAfterMode::EnvoyRateLimited: {
        // Envoy's reset_headers as its documentation pairs them: Retry-After in seconds,
        // X-RateLimit-Reset as a Unix timestamp. An HTTP-date is not a format Envoy reads.
        const auto ra = readOnly(PushbackSource::RetryAfter, httpStatus, headers, receivedAt);
        if (ra && ra->retryAfter.form == RetryAfterForm::DelaySeconds)
            return ra;
        return readOnly(PushbackSource::XRateLimitReset, httpStatus, headers, receivedAt);
    }
    }
    return std::nullopt;
}

bool RetryPolicy::holdsClientOnPushback() const
{
    return retryAfterMode == RetryAfterMode::Honour ||
           retryAfterMode == RetryAfterMode::HonourCapped ||
           retryAfterMode == RetryAfterMode::LargerOfBoth;
}

Duration RetryPolicy::effectiveAttemptTimeout(Duration elapsed) const
{
    Duration t = attemptTimeout > Duration::zero() ? attemptTimeout : kMaxDuration;
    if (totalBudget > Duration::zero())
        t = std::min(t, std::max(Duration::zero(), totalBudget - elapsed));
    return t;
}

RetryDecision RetryPolicy::decide(const AttemptContext &context, const AttemptResult &result,
                                  BackoffState &state, RandomSource &rng) const
{
    return decideRetry(*this, context, result, state, rng, true);
}

QList<RetryDecision> rehearse(const RetryPolicy &policy, std::uint64_t seed,
                              Duration attemptDuration, AttemptResult failure)
{
    QList<RetryDecision> out;
    BackoffState state;
    RandomSource rng(seed);
    AttemptContext ctx;
    ctx.elapsed = attemptDuration;
    for (int made = 1; made <= std::max(1, policy.maxAttempts); ++made) {
        ctx.attemptsMade = made;
        const RetryDecision d = policy.decide(ctx, failure, state, rng);
        out << d;
        if (!d.retry)
            break;
        ctx.elapsed += d.delay + attemptDuration;
    }
    return out;
}

} // namespace retrylab
