// SPDX-License-Identifier: GPL-3.0-or-later
// Configuration rather than code: the AWS SDKs' shared config, gRPC's service config and an
// Envoy route's retry_policy.
#include "policy_snippet_parts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace retrylab::snippet {

namespace {
// gRPC's mapping of HTTP statuses to status codes (doc/http-grpc-status-mapping.md).
QString grpcCode(int http)
{
    switch (http) {
    case 400:
        return u"INTERNAL"_s;
    case 401:
        return u"UNAUTHENTICATED"_s;
    case 403:
        return u"PERMISSION_DENIED"_s;
    case 404:
        return u"UNIMPLEMENTED"_s;
    case 429:
    case 502:
    case 503:
    case 504:
        return u"UNAVAILABLE"_s;
    default:
        return u"UNKNOWN"_s;
    }
}

QString grpcDuration(Duration d)
{
    return seconds(d) + u"s"_s;
}

// The statuses Envoy must list by number: every 5xx is one class to it.
QList<int> statusesOutside5xx(const RetryPolicy &r)
{
    QList<int> extra;
    for (int s : r.retryableStatuses)
        if (s < 500)
            extra << s;
    return extra;
}

// retry_on: Envoy's classes for the statuses and failures the policy retries.
QString envoyRetryOn(const RetryPolicy &r, QStringList &notes)
{
    QStringList retryOn;
    QList<int> fives;
    for (int s : r.retryableStatuses)
        if (s >= 500)
            fives << s;
    const bool any5xx = !fives.isEmpty();
    if (any5xx)
        retryOn << u"5xx"_s;
    if (retriesNetworkFailures(r))
        retryOn << u"reset"_s << u"connect-failure"_s;
    if (!statusesOutside5xx(r).isEmpty())
        retryOn << u"retriable-status-codes"_s;
    if (any5xx && fives.size() < 11)
        notes << u"Envoy's 5xx retries every 5xx, not only %1."_s.arg(statusList(fives));
    return retryOn.join(u',');
}

// rate_limited_retry_back_off, the part of retry_policy that reads the server's reset headers.
QString envoyRateLimitedBackOff(const RetryPolicy &r, QStringList &notes)
{
    QString out;
    const bool envoyMode = r.retryAfterMode == RetryAfterMode::EnvoyRateLimited;
    if (!envoyMode) {
        if (const QString note = libraryHeaderNote(r, u"Envoy"_s); !note.isEmpty())
            notes << note;
    }
    if (readsRetryAfter(r) || envoyMode) {
        out += u"    rate_limited_retry_back_off:\n      reset_headers:\n"
               "        - name: Retry-After\n          format: SECONDS\n"
               "        - name: X-RateLimit-Reset\n          format: UNIX_TIMESTAMP\n"
               "      max_interval: %1s\n"_s.arg(
                   seconds(r.retryAfterMode == RetryAfterMode::HonourCapped || envoyMode
                               ? r.retryAfterCap
                               : std::chrono::seconds(300)));
        notes << u"Envoy does not wait exactly the Retry-After d: it waits random(d, 1.5 × d) "
                 "(JitteredLowerBoundBackOffStrategy), and discards a d above max_interval."_s;
        notes << u"Envoy applies the reset headers only to responses it counts as rate limited "
                 "(retry_on retriable-status-codes or similar); HTTP-dates are not read."_s;
    }
    return out;
}

// Breaker and budget live on the cluster, not the route: commented hints, with what differs.
QString envoyClusterHints(const ClientPolicy &p, QStringList &notes)
{
    QString out;
    if (p.breaker.enabled) {
        out +=
            u"# On the cluster, the nearest thing to a breaker is outlier detection:\n"
            "# outlier_detection:\n#   consecutive_5xx: %1\n#   base_ejection_time: %2s\n"_s
                .arg(p.breaker.rule == TripRule::ConsecutiveFailures ? p.breaker.consecutiveFailures
                                                                     : 5)
                .arg(seconds(p.breaker.openDuration));
        notes << u"Envoy ejects hosts (outlier detection) rather than failing calls fast; its "
                 "circuit_breakers are concurrency limits."_s;
    }
    if (p.budget.kind != BudgetKind::None) {
        out += u"# On the cluster, a retry budget:\n# circuit_breakers:\n#   thresholds:\n"
               "#     - retry_budget:\n#         budget_percent: {value: 20.0}\n"
               "#         min_retry_concurrency: 3\n"_s;
        notes << u"Envoy's retry budget limits concurrent retries to a share of active "
                 "requests, not tokens (%1)."_s.arg(budgetKindId(p.budget.kind));
    }
    return out;
}
} // namespace

QString awsSdk(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes = commonLimits(p, u"The AWS SDK"_s, true, true);
    const bool quota = p.budget.kind == BudgetKind::AwsQuota;
    QString out;
    out += u"# Retry Lab policy \"%1\" as AWS SDK retry settings (~/.aws/config).\n"_s.arg(name);
    out += u"[profile %1]\nretry_mode = standard\nmax_attempts = %2\n\n"_s.arg(name).arg(
        r.maxAttempts);
    out +=
        u"# The same through the environment:\n#   AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=%1\n"_s
            .arg(r.maxAttempts);
    out += u"# Standard mode's backoff is fixed by the SDK (botocore retries/standard.py): full "
           "jitter,\n# random × min(2^n, 20) seconds for retry n = 0, 1, ...; a retry quota of "
           "500 tokens\n# (5 per retry, 10 after a timeout) refunded only by a 2xx. The SDK "
           "does not read\n# Retry-After; its opt-in retries 2.1 behaviour reads "
           "x-amz-retry-after (kept within\n# [t, t + 5 s]) and scales transient errors by "
           "0.05 s.\n"_s;
    if (r.backoff.kind != BackoffKind::FullJitter)
        notes << u"The SDK always uses full jitter; %1 is not expressed."_s.arg(
            Backoff::title(r.backoff.kind));
    if (r.backoff.base != std::chrono::seconds(1) || r.backoff.cap != std::chrono::seconds(20))
        notes << u"Base %1 ms and cap %2 ms cannot be set in the shared config (some SDKs take "
                 "them in code, e.g. the Java SDK v2's BackoffStrategy)."_s.arg(ms(r.backoff.base),
                                                                                ms(r.backoff.cap));
    if (!quota)
        notes << u"Standard mode always has its retry quota; this policy has %1."_s.arg(
            p.budget.kind == BudgetKind::None ? u"no retry budget"_s
                                              : u"a %1 budget"_s.arg(budgetKindId(p.budget.kind)));
    else if (p.budget.quotaCapacity != 500 || p.budget.retryCost != 5 ||
             p.budget.timeoutRetryCost != 10)
        notes << u"The quota's capacity %1, cost %2 and timeout cost %3 are fixed by the SDK "
                 "(500, 5, 10)."_s.arg(p.budget.quotaCapacity)
                     .arg(p.budget.retryCost)
                     .arg(p.budget.timeoutRetryCost);
    if (p.breaker.enabled)
        notes << u"The SDKs have no circuit breaker."_s;
    notes << u"The SDK decides what is retryable (500, 502, 503, 504, transient network "
             "errors, and throttling by error code: a bare HTTP 429 is not retried); the list "
             "%1 is not configurable."_s.arg(statusList(r.retryableStatuses));
    if (r.retryAfterMode != RetryAfterMode::Ignore &&
        r.retryAfterMode != RetryAfterMode::AmzRetryAfter)
        notes << u"The SDK's standard mode does not read Retry-After (%1)."_s.arg(
            retryAfterModeId(r.retryAfterMode));
    if (r.attemptTimeout > Duration::zero() || r.totalBudget > Duration::zero())
        notes << u"Timeouts (per attempt %1 ms, whole operation %2 ms) are client settings in "
                 "code (e.g. apiCallAttemptTimeout and apiCallTimeout in the Java SDK v2)."_s.arg(
                     ms(r.attemptTimeout), ms(r.totalBudget));
    out +=
        u"\n# Not expressed exactly in the AWS SDK settings:\n"_s + commentBlock(notes, u"# - "_s);
    return out;
}

QString grpcServiceConfig(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes;
    QJsonArray codes;
    for (int s : r.retryableStatuses)
        if (!codes.contains(grpcCode(s)))
            codes.append(grpcCode(s));
    if (retriesTimeouts(r))
        codes.append(u"DEADLINE_EXCEEDED"_s);
    if (retriesNetworkFailures(r) && !codes.contains(u"UNAVAILABLE"_s))
        codes.append(u"UNAVAILABLE"_s);
    int maxAttempts = r.maxAttempts;
    if (maxAttempts > 5) {
        notes << u"gRPC caps maxAttempts at 5; the policy's %1 is lowered."_s.arg(maxAttempts);
        maxAttempts = 5;
    }
    // A6 as revised in 2024 (grpc-go, grpc-java, C-core): ±20% around the capped exponential;
    // before 2024 the text said random(0, ...).
    if (r.backoff.kind == BackoffKind::FullJitter)
        notes << u"Full jitter is A6 before its 2024 revision; gRPC today waits "
                 "min(initialBackoff × multiplier^(n−1), maxBackoff) × random(0.8, 1.2)."_s;
    else if (r.backoff.kind != BackoffKind::ProportionalJitter || r.backoff.jitter != 0.2)
        notes << u"gRPC retries wait min(initialBackoff × multiplier^(n−1), maxBackoff) × "
                 "random(0.8, 1.2) (A6 as revised in 2024): %1 is not expressed."_s.arg(
                     Backoff::title(r.backoff.kind));
    QJsonObject retryPolicy{
        {u"maxAttempts"_s, maxAttempts},
        {u"initialBackoff"_s, grpcDuration(r.backoff.base)},
        {u"maxBackoff"_s, grpcDuration(r.backoff.cap)},
        {u"backoffMultiplier"_s, r.backoff.multiplier},
        {u"retryableStatusCodes"_s, codes},
    };
    QJsonObject method{{u"name"_s, QJsonArray{QJsonObject{}}}, {u"retryPolicy"_s, retryPolicy}};
    if (r.totalBudget > Duration::zero())
        method.insert(u"timeout"_s, grpcDuration(r.totalBudget));
    QJsonObject config{{u"methodConfig"_s, QJsonArray{method}}};
    if (p.budget.kind == BudgetKind::TokenBucket)
        config.insert(u"retryThrottling"_s, QJsonObject{{u"maxTokens"_s, p.budget.maxTokens},
                                                        {u"tokenRatio"_s, p.budget.tokenRatio}});
    else if (p.budget.kind == BudgetKind::AwsQuota)
        notes << u"gRPC throttles with a token bucket (retryThrottling), not an AWS quota."_s;
    if (r.retryAfterMode != RetryAfterMode::Ignore &&
        r.retryAfterMode != RetryAfterMode::GrpcPushback)
        notes << u"gRPC does not read Retry-After (%1); servers push back with the "
                 "grpc-retry-pushback-ms trailer."_s.arg(retryAfterModeId(r.retryAfterMode));
    notes << u"gRPC clients always honour grpc-retry-pushback-ms: the next wait is exactly its "
             "value, a negative value stops the retries, and the backoff restarts from "
             "initialBackoff afterwards."_s;
    if (r.attemptTimeout > Duration::zero())
        notes << u"gRPC has no per-attempt timeout in the service config (%1 ms); the "
                 "\"timeout\" bounds the whole call."_s.arg(ms(r.attemptTimeout));
    if (p.breaker.enabled)
        notes << u"gRPC has no circuit breaker in the service config (outlier detection in the "
                 "load balancer is the nearest thing)."_s;
    notes << u"HTTP statuses are mapped to gRPC codes as gRPC maps them (429, 502, 503, 504 → "
             "UNAVAILABLE)."_s;
    QString out;
    out += u"// Retry Lab policy \"%1\" as a gRPC service config (A6 retry). The lines starting\n"
           "// with // are notes: paste the JSON object only.\n"_s.arg(name);
    out += commentBlock(notes, u"// - "_s);
    out += QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Indented));
    return out;
}

QString envoyRoute(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes;
    const QString retryOn = envoyRetryOn(r, notes);
    const QList<int> extra = statusesOutside5xx(r);
    QString out;
    out += u"# Retry Lab policy \"%1\" as an Envoy route's retry_policy.\n"_s.arg(name);
    out += u"route:\n"_s;
    if (r.totalBudget > Duration::zero())
        out += u"  timeout: %1s  # the whole request, retries included\n"_s.arg(
            seconds(r.totalBudget));
    out += u"  retry_policy:\n    retry_on: \"%1\"\n    num_retries: %2\n"_s.arg(retryOn).arg(
        r.maxAttempts - 1);
    if (!extra.isEmpty())
        out += u"    retriable_status_codes: [%1]\n"_s.arg(statusList(extra));
    if (r.attemptTimeout > Duration::zero())
        out += u"    per_try_timeout: %1s\n"_s.arg(seconds(r.attemptTimeout));
    out += u"    retry_back_off:\n      base_interval: %1s\n      max_interval: %2s\n"_s.arg(
        seconds(r.backoff.base), seconds(r.backoff.cap));
    // backoff_strategy.cc today: the interval doubles from base_interval up to max_interval
    // and the wait is random % interval; older releases used (2^(n+1) − 1) × base_interval.
    if (r.backoff.kind == BackoffKind::EnvoyLegacy)
        notes << u"The (2^(n+1) − 1) × base_interval range is older Envoy's; current Envoy "
                 "waits random % interval, the interval doubling up to max_interval."_s;
    else if (r.backoff.kind != BackoffKind::EnvoyJittered)
        notes << u"Envoy waits random % interval, the interval doubling from base_interval up "
                 "to max_interval: %1 is not expressed."_s.arg(Backoff::title(r.backoff.kind));
    out += envoyRateLimitedBackOff(r, notes);
    out += envoyClusterHints(p, notes);
    if (!r.retryNonIdempotentWithoutKey)
        notes << u"Retry Lab retries POST only with an Idempotency-Key; Envoy retries whatever "
                 "the route carries."_s;
    if (!notes.isEmpty())
        out += u"# Not expressed exactly in Envoy:\n"_s + commentBlock(notes, u"# - "_s);
    return out;
}

} // namespace retrylab::snippet
