// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_policy.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Each preset reproduces one library version's defaults, read in that version's source; the
// formulas, the versions and the first waits are in core/policy/README.md. A library's
// default for Retry-After is part of its preset: most ignore the header.

namespace retrylab {

namespace {

PolicyPreset make(const QString &id, const QString &title, const QString &library,
                  const QString &version, const QString &source, const QString &description)
{
    PolicyPreset p;
    p.id = id;
    p.title = title;
    p.library = library;
    p.version = version;
    p.source = source;
    p.description = description;
    return p;
}

PolicyPreset retryLabDefault()
{
    return make(u"default"_s, u"Retry Lab default (full jitter)"_s, u"Retry Lab"_s, u"—"_s,
                u"AWS Architecture Blog, “Exponential Backoff And Jitter” (2015)"_s,
                u"Full jitter from 100 ms, capped at 10 s, 4 attempts in a 30 s budget, "
                "Retry-After honoured, a breaker that opens after 5 consecutive failures."_s);
}

// botocore's standard mode: only transient statuses by number; throttling is recognised by
// the error code in the body (ThrottlingException, TooManyRequestsException, ...), which a
// plain HTTP endpoint does not send, so a bare 429 is not retried.
void botocoreCommon(PolicyPreset &p)
{
    auto &r = p.policy.retry;
    r.maxAttempts = 3;
    r.totalBudget = 0s;
    r.attemptTimeout = 60s; // botocore's default read_timeout
    r.retryableStatuses = {500, 502, 503, 504};
    r.retryAfterMode = RetryAfterMode::Ignore;
    p.policy.breaker.enabled = false;
    p.policy.budget.kind = BudgetKind::AwsQuota;
}

PolicyPreset awsStandard()
{
    auto p = make(u"aws-sdk-standard"_s, u"AWS SDK standard mode (botocore, retries 2.0)"_s,
                  u"botocore (boto3)"_s, u"standard mode, STANDARD_RETRY_MODE_VERSION 2.0"_s,
                  u"botocore/retries/standard.py, botocore/retries/quota.py"_s,
                  u"3 attempts, wait rand × min(2^n s, 20 s); retries 500, 502, 503, 504 and "
                  "connection errors (429 only by throttling error code); a 500-token quota: "
                  "5 per retry, 10 after a timeout, refunded on a 2xx (1 for a 2xx without "
                  "retry); an empty quota refuses at once. Retry-After is not read."_s);
    botocoreCommon(p);
    p.policy.retry.backoff = {BackoffKind::FullJitter, 1s, 20s, 2.0, 0.0};
    return p;
}

PolicyPreset awsStandard21()
{
    auto p =
        make(u"aws-sdk-standard-2.1"_s, u"AWS SDK standard mode, new retries (2.1)"_s,
             u"botocore (boto3)"_s, u"standard mode, STANDARD_RETRY_MODE_VERSION 2.1 (opt-in)"_s,
             u"botocore/retries/standard.py, botocore/retries/quota.py"_s,
             u"The retries 2.1 behaviour: 3 attempts, wait rand × min(0.05 s × 2^n, 20 s) "
             "for transient errors (1 s scale for throttling error codes), "
             "x-amz-retry-after read and kept within [t, t + 5 s]; a retry costs 14 "
             "tokens (5 for throttling) from 500, refunded on a 2xx."_s);
    botocoreCommon(p);
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::FullJitter, 50ms, 20s, 2.0, 0.0};
    r.retryAfterMode = RetryAfterMode::AmzRetryAfter;
    p.policy.budget.retryCost = 14;
    p.policy.budget.timeoutRetryCost = 14;
    return p;
}

void grpcRetryCommon(PolicyPreset &p)
{
    auto &r = p.policy.retry;
    r.maxAttempts = 4;
    // UNAVAILABLE: a 503, or a connection that failed or was reset. DEADLINE_EXCEEDED (a
    // timeout) is not in the example's retryableStatusCodes.
    r.retryableStatuses = {503};
    r.retryableFailures = {OutcomeClass::ConnectionReset, OutcomeClass::ConnectionRefused};
    r.retryAfterMode = RetryAfterMode::GrpcPushback;
    p.policy.breaker.enabled = false;
    p.policy.budget.kind = BudgetKind::TokenBucket;
    p.policy.budget.maxTokens = 10;
    p.policy.budget.tokenRatio = 0.1;
}

PolicyPreset grpcA6()
{
    auto p = make(u"grpc-a6-retry"_s, u"gRPC A6 retry policy (2024 revision)"_s,
                  u"grpc-go, grpc-java, gRPC C-core"_s,
                  u"gRFC A6 as revised in 2024; grpc-go and C-core today"_s,
                  u"grpc/proposal A6-client-retries.md; grpc-go stream.go (shouldRetry)"_s,
                  u"The A6 example service config: 4 attempts, wait "
                  "min(0.1 s × 2^n, 1 s) × U(0.8, 1.2); grpc-retry-pushback-ms sets the next "
                  "wait exactly (negative: stop) and restarts the backoff; retry throttling "
                  "with maxTokens 10, tokenRatio 0.1, refusing at once at 5 tokens or fewer."_s);
    grpcRetryCommon(p);
    p.policy.retry.backoff = {BackoffKind::ProportionalJitter, 100ms, 1s, 2.0, 0.2};
    return p;
}

PolicyPreset grpcA6Before2024()
{
    auto p = make(u"grpc-a6-retry-2017"_s, u"gRPC A6 retry policy (before 2024)"_s,
                  u"gRPC (A6 text 2017–2023)"_s, u"gRFC A6 before its 2024 revision"_s,
                  u"grpc/proposal A6-client-retries.md (before 2024)"_s,
                  u"A6 as first written: the same example config, but full jitter "
                  "random(0, min(0.1 s × 2^n, 1 s)); pushback and throttling as in the 2024 "
                  "text."_s);
    grpcRetryCommon(p);
    p.policy.retry.backoff = {BackoffKind::FullJitter, 100ms, 1s, 2.0, 0.0};
    return p;
}

PolicyPreset grpcConnection()
{
    auto p = make(u"grpc-connection-backoff"_s, u"gRPC connection backoff (±20%)"_s,
                  u"gRPC C-core, grpc-java, grpc-go"_s, u"C-core BackOff (src/core/util)"_s,
                  u"src/core/util/backoff.cc; doc/connection-backoff.md"_s,
                  u"Reconnection backoff: min(1 s × 1.6^n, 120 s) × U(0.8, 1.2), the first "
                  "delay jittered too; a 20 s connect timeout; the wait is measured from the "
                  "attempt's start, so after a 20 s timeout gRPC reconnects at once. A "
                  "connection has no Retry-After."_s);
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::ProportionalJitter, 1s, 120s, 1.6, 0.2};
    r.maxAttempts = 6;
    r.totalBudget = 0s;
    r.attemptTimeout = 20s;
    r.backoffFromAttemptStart = true;
    r.retryAfterMode = RetryAfterMode::Ignore;
    p.policy.breaker.enabled = false;
    return p;
}

PolicyPreset polly()
{
    auto p = make(u"polly-v8"_s, u"Polly v8 (exponential + jitter)"_s, u"Polly.Core"_s, u"8.x"_s,
                  u"src/Polly.Core/Retry/RetryHelper.cs, RetryStrategyOptions.cs"_s,
                  u"RetryStrategyOptions with BackoffType Exponential and UseJitter (Polly's "
                  "own defaults are Constant without jitter): 3 retries from a 2 s median "
                  "(DecorrelatedJitterBackoffV2). Retry-After changes a wait only through a "
                  "DelayGenerator, so it is ignored here. Its default circuit breaker: failure "
                  "ratio 10% over 30 s, minimum 100 calls, 5 s break, 1 probe."_s);
    auto &r = p.policy.retry;
    r.backoff = {BackoffKind::PollyDecorrelatedV2, 2s, 1h, 2.0, 0.0};
    r.maxAttempts = 4;
    r.totalBudget = 0s;
    r.attemptTimeout = 30s; // Polly's TimeoutStrategyOptions default
    r.retryAfterMode = RetryAfterMode::Ignore;
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

void resilience4jCommon(PolicyPreset &p, BackoffKind kind)
{
    auto &r = p.policy.retry;
    r.backoff = {kind, 500ms, 1h, 1.5, 0.5};
    r.maxAttempts = 3;
    r.totalBudget = 0s;
    r.attemptTimeout = 0s;
    r.retryAfterMode = RetryAfterMode::Ignore;
    auto &b = p.policy.breaker;
    b.rule = TripRule::FailureRate;
    b.failureRateThreshold = 0.5;
    b.window = WindowKind::Count;
    b.windowCalls = 100;
    b.minimumCalls = 100;
    b.openDuration = 60s;
    b.maxOpenDuration = 60s;
    b.halfOpenProbes = 10;
}

const QString kResilience4jSource =
    u"resilience4j-core/src/main/java/io/github/resilience4j/core/IntervalFunction.java"_s;

PolicyPreset resilience4j()
{
    auto p =
        make(u"resilience4j"_s, u"resilience4j randomized exponential (2.3)"_s, u"resilience4j"_s,
             u"2.3.0 and later (randomize after PR #2152)"_s, kResilience4jSource,
             u"resilience4j Retry, IntervalFunction.ofExponentialRandomBackoff(): 3 attempts, "
             "500 ms × 1.5^n in whole ms, drawn in [i/2, 3i/2) and truncated (first "
             "retry 250–749 ms). IntervalFunction sees only the attempt number, so "
             "Retry-After is ignored. Its default circuit breaker: 50% over the last 100 "
             "calls, minimum 100, 60 s open, 10 probes."_s);
    resilience4jCommon(p, BackoffKind::RandomizedExponential);
    return p;
}

PolicyPreset resilience4j22()
{
    auto p = make(u"resilience4j-2.2"_s, u"resilience4j randomized exponential (≤ 2.2)"_s,
                  u"resilience4j"_s, u"1.x to 2.2.0"_s, kResilience4jSource,
                  u"The same Retry as the 2.3 preset, with the older draw min + rand × (max − "
                  "min + 1), which can return the upper bound (first retry 250–750 ms)."_s);
    resilience4jCommon(p, BackoffKind::RandomizedExponentialPlusOne);
    return p;
}

void envoyCommon(PolicyPreset &p, BackoffKind kind)
{
    auto &r = p.policy.retry;
    r.backoff = {kind, 25ms, 250ms, 2.0, 0.0};
    r.maxAttempts = 2;   // num_retries: 1
    r.totalBudget = 15s; // the default route timeout
    r.attemptTimeout = 0s;
    r.retryableStatuses = {500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};
    r.retryAfterMode = RetryAfterMode::Ignore;
    r.retryAfterCap = 300s; // rate_limited_retry_back_off's default max_interval
    p.policy.breaker.enabled = false;
}

PolicyPreset envoy()
{
    auto p = make(u"envoy"_s, u"Envoy route retry policy (current)"_s, u"Envoy"_s,
                  u"current main (JitteredExponentialBackOffStrategy)"_s,
                  u"source/common/common/backoff_strategy.cc"_s,
                  u"retry_on 5xx, reset, connect-failure; 1 retry (2 attempts); the interval "
                  "doubles from 25 ms up to 10 × base = 250 ms and the wait is random % "
                  "interval (0–24, 0–49, 0–99, 0–199, then 0–249 ms). Retry-After is ignored "
                  "unless rate_limited_retry_back_off names it; then the wait is U(d, 1.5 d) "
                  "for d up to 300 s."_s);
    envoyCommon(p, BackoffKind::EnvoyJittered);
    return p;
}

PolicyPreset envoyLegacy()
{
    auto p = make(u"envoy-legacy"_s, u"Envoy route retry policy (older releases)"_s, u"Envoy"_s,
                  u"releases with JitteredBackOffStrategy; the router docs' rule"_s,
                  u"source/common/common/backoff_strategy.cc (JitteredBackOffStrategy)"_s,
                  u"The older strategy and the router documentation's rule: wait random % "
                  "((2^(n+1) − 1) × 25 ms), clamped to 250 ms (0–24, 0–74, 0–174 ms)."_s);
    envoyCommon(p, BackoffKind::EnvoyLegacy);
    return p;
}

PolicyPreset naive()
{
    auto p = make(u"naive-3x"_s, u"Retry 3 times, no backoff"_s, u"—"_s, u"—"_s, u"—"_s,
                  u"What many clients do by default: retry at once, three times, everything, "
                  "no jitter, no breaker, no budget. The counter-example in every demo."_s);
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
    return {retryLabDefault(),  awsStandard(),    awsStandard21(), grpcA6(),
            grpcA6Before2024(), grpcConnection(), polly(),         resilience4j(),
            resilience4j22(),   envoy(),          envoyLegacy(),   naive()};
}

std::optional<PolicyPreset> findPreset(const QString &id)
{
    for (const auto &p : policyPresets())
        if (p.id == id)
            return p;
    return std::nullopt;
}

} // namespace retrylab
