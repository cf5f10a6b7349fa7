// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_policy.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace retrylab {

namespace {

PolicyPreset awsBlog()
{
    PolicyPreset p{u"default"_s,
                   u"Retry Lab default (full jitter)"_s,
                   u"Full jitter from 100 ms, capped at 10 s, 4 attempts in a 30 s budget, "
                   "Retry-After honoured, a breaker that opens after 5 consecutive failures."_s,
                   {}};
    return p;
}

PolicyPreset awsStandard()
{
    PolicyPreset p{u"aws-sdk-standard"_s,
                   u"AWS SDK standard mode"_s,
                   u"AWS SDKs' standard retry mode: 3 attempts, full jitter r × min(2^n s, 20 s), "
                   "a 500-token retry quota (5 per retry, 10 after a timeout, 1 back per "
                   "success without retry)."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::FullJitter, 1s, 20s, 2.0, 0.0};
    r.maxAttempts = 3;
    r.totalBudget = 0s;
    r.attemptTimeout = 0s;
    r.retryableStatuses = {429, 500, 502, 503, 504};
    p.policy.breaker.enabled = false;
    p.policy.budget.kind = BudgetKind::AwsQuota;
    return p;
}

PolicyPreset grpcConnection()
{
    PolicyPreset p{u"grpc-connection-backoff"_s,
                   u"gRPC connection backoff (±20%)"_s,
                   u"gRPC's connection-backoff.md: the first retry after exactly 1 s, then "
                   "min(1 s × 1.6^n, 120 s) × U(0.8, 1.2)."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::ProportionalJitter, 1s, 120s, 1.6, 0.2};
    r.maxAttempts = 6;
    r.totalBudget = 0s;
    r.attemptTimeout = 20s;
    p.policy.breaker.enabled = false;
    return p;
}

PolicyPreset grpcA6()
{
    PolicyPreset p{u"grpc-a6-retry"_s,
                   u"gRPC A6 retry policy"_s,
                   u"gRPC's retry design (A6) with its example service config: 4 attempts, "
                   "U(0, min(0.1 s × 2^n, 1 s)), retry throttling with maxTokens 10 and "
                   "tokenRatio 0.1."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::FullJitter, 100ms, 1s, 2.0, 0.0};
    r.maxAttempts = 4;
    r.retryableStatuses = {503};
    r.retryAfterMode = RetryAfterMode::Ignore;
    p.policy.breaker.enabled = false;
    p.policy.budget.kind = BudgetKind::TokenBucket;
    p.policy.budget.maxTokens = 10;
    p.policy.budget.tokenRatio = 0.1;
    return p;
}

PolicyPreset polly()
{
    PolicyPreset p{u"polly-v8"_s,
                   u"Polly v8 (exponential + jitter)"_s,
                   u"Polly v8 RetryStrategyOptions with BackoffType Exponential and UseJitter: "
                   "3 retries from a 2 s median (DecorrelatedJitterBackoffV2); its default "
                   "circuit breaker: failure ratio 10% over 30 s, minimum 100 calls, 5 s "
                   "break, 1 probe."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::PollyDecorrelatedV2, 2s, 1h, 2.0, 0.0};
    r.maxAttempts = 4;
    r.totalBudget = 0s;
    r.attemptTimeout = 30s;
    auto &b = p.policy.breaker;
    b.rule = TripRule::FailureRate;
    b.failureRateThreshold = 0.1;
    b.window = WindowKind::Time;
    b.windowTime = 30s;
    b.minimumCalls = 100;
    b.openDuration = 5s;
    b.maxOpenDuration = 5s;
    b.halfOpenProbes = 1;
    return p;
}

PolicyPreset resilience4j()
{
    PolicyPreset p{u"resilience4j"_s,
                   u"resilience4j randomized exponential"_s,
                   u"resilience4j Retry with IntervalFunction.ofExponentialRandomBackoff(): 3 "
                   "attempts, 500 ms × 1.5^n randomised by ±50%; its default circuit breaker: "
                   "50% over the last 100 calls, minimum 100, 60 s open, 10 probes."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::RandomizedExponential, 500ms, 1h, 1.5, 0.5};
    r.maxAttempts = 3;
    r.totalBudget = 0s;
    r.attemptTimeout = 0s;
    auto &b = p.policy.breaker;
    b.rule = TripRule::FailureRate;
    b.failureRateThreshold = 0.5;
    b.window = WindowKind::Count;
    b.windowCalls = 100;
    b.minimumCalls = 100;
    b.openDuration = 60s;
    b.maxOpenDuration = 60s;
    b.halfOpenProbes = 10;
    return p;
}

PolicyPreset envoy()
{
    PolicyPreset p{u"envoy"_s,
                   u"Envoy route retry policy"_s,
                   u"Envoy's defaults: 1 retry (2 attempts), U(0, (2^(n+1) − 1) × 25 ms) capped "
                   "at 10 × base = 250 ms, retry_on 5xx, reset and connect-failure."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::EnvoyJittered, 25ms, 250ms, 2.0, 0.0};
    r.maxAttempts = 2;
    r.totalBudget = 15s; // Envoy's default route timeout
    r.attemptTimeout = 0s;
    r.retryableStatuses = {500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};
    r.retryAfterMode = RetryAfterMode::Ignore;
    p.policy.breaker.enabled = false;
    return p;
}

PolicyPreset naive()
{
    PolicyPreset p{u"naive-3x"_s,
                   u"Retry 3 times, no backoff"_s,
                   u"What many clients do by default: retry at once, three times, everything, "
                   "no jitter, no breaker, no budget. The counter-example in every demo."_s,
                   {}};
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::Fixed, 0ms, 1ms, 2.0, 0.0};
    r.maxAttempts = 4;
    r.totalBudget = 0s;
    r.retryAfterMode = RetryAfterMode::Ignore;
    r.retryNonIdempotentWithoutKey = true;
    p.policy.breaker.enabled = false;
    return p;
}

} // namespace

QList<PolicyPreset> policyPresets()
{
    return {awsBlog(), awsStandard(),  grpcA6(), grpcConnection(),
            polly(),   resilience4j(), envoy(),  naive()};
}

std::optional<PolicyPreset> findPreset(const QString &id)
{
    for (const auto &p : policyPresets())
        if (p.id == id)
            return p;
    return std::nullopt;
}

} // namespace retrylab
