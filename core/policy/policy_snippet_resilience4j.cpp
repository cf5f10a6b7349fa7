// SPDX-License-Identifier: GPL-3.0-or-later
// resilience4j 2: Retry, CircuitBreaker and TimeLimiter, as Java and as Spring Boot YAML.
#include "policy_snippet_parts.h"

using namespace Qt::StringLiterals;

namespace retrylab::snippet {

namespace {
// Java for the IntervalFunction, or a lambda where no factory method matches.
QString intervalFunction(const BackoffParams &b, QStringList &notes)
{
    const QString base = ms(b.base), cap = ms(b.cap), m = QString::number(b.multiplier);
    switch (b.kind) {
    case BackoffKind::Fixed:
        return u"IntervalFunction.of(Duration.ofMillis(%1))"_s.arg(base);
    case BackoffKind::None:
        notes << u"resilience4j refuses an interval below 1 ms; retrying at once is written as "
                 "1 ms."_s;
        return u"IntervalFunction.of(Duration.ofMillis(1))"_s;
    case BackoffKind::Exponential:
        return u"IntervalFunction.ofExponentialBackoff(Duration.ofMillis(%1), %2, Duration.ofMillis(%3))"_s
            .arg(base, m, cap);
    case BackoffKind::RandomizedExponential:
    case BackoffKind::RandomizedExponentialPlusOne:
        // The same factory in every 2.x; the draw in [min, max) or [min, max] depends on the
        // resilience4j version the application links (2.3 or 2.2), not on the snippet.
        return u"IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(%1), %2, %3, Duration.ofMillis(%4))"_s
            .arg(base, m, QString::number(b.jitter), cap);
    case BackoffKind::FullJitter:
        return u"attempt -> (long) (ThreadLocalRandom.current().nextDouble()\n"
               "                * Math.min(%1, %2 * Math.pow(%3, attempt - 1)))"_s.arg(cap, base,
                                                                                       m);
    case BackoffKind::EqualJitter:
        return u"attempt -> {\n            double t = Math.min(%1, %2 * Math.pow(%3, attempt - "
               u"1));\n"
               "            return (long) (t / 2 + ThreadLocalRandom.current().nextDouble() * t / "
               "2);\n"
               "        }"_s.arg(cap, base, m);
    case BackoffKind::EnvoyJittered:
        return u"attempt -> (long) (ThreadLocalRandom.current().nextDouble()\n"
               "                * Math.min(%1, %2 * Math.pow(2, attempt - 1)))"_s.arg(cap, base);
    case BackoffKind::EnvoyLegacy:
        return u"attempt -> Math.min(%1, (long) (ThreadLocalRandom.current().nextDouble()\n"
               "                * (Math.pow(2, attempt) - 1) * %2))"_s.arg(cap, base);
    case BackoffKind::ProportionalJitter:
        return u"attempt -> (long) (Math.min(%1, %2 * Math.pow(%3, attempt - 1))\n"
               "                * (1 + %4 * (2 * ThreadLocalRandom.current().nextDouble() - 1)))"_s
                   .arg(cap, base, m, QString::number(b.jitter));
    case BackoffKind::DecorrelatedJitter:
    case BackoffKind::PollyDecorrelatedV2:
        notes << u"resilience4j's IntervalFunction sees only the attempt number, so jitter that "
                 "remembers the previous sleep (%1) is approximated by full jitter."_s.arg(
                     Backoff::title(b.kind));
        return u"attempt -> (long) (ThreadLocalRandom.current().nextDouble()\n"
               "                * Math.min(%1, %2 * Math.pow(%3, attempt - 1)))"_s.arg(cap, base,
                                                                                       m);
    }
    return {};
}

QString yamlDuration(Duration d)
{
    return ms(d) + u"ms"_s;
}

// The RetryConfig's interval: the backoff alone, or a bi-function that also reads the server's
// Retry-After from the last result.
QString javaInterval(const RetryPolicy &r, QStringList &notes)
{
    if (!readsRetryAfter(r))
        return u"        .intervalFunction(backoff)\n"_s;
    // Retry-After: the bi-function sees the last result.
    QString asked =
        u"result.get().headers().firstValue(\"Retry-After\")\n"
        "                            .map(v -> v.matches(\"\\\\d+\") ? Long.parseLong(v) * 1000 : null)"_s;
    QString out;
    out += u"        .intervalBiFunction((IntervalBiFunction<HttpResponse<String>>) (attempt, "
           u"result) -> {\n"
           "            long computed = backoff.apply(attempt);\n"
           "            Long asked = result.isRight() ? %1\n"
           "                            .orElse(null) : null;\n"_s.arg(asked);
    if (r.retryAfterMode == RetryAfterMode::HonourCapped)
        out += u"            if (asked != null) asked = Math.min(asked, %1L);\n"_s.arg(
            ms(r.retryAfterCap));
    if (r.retryAfterMode == RetryAfterMode::LargerOfBoth)
        out += u"            return asked == null ? computed : Math.max(asked, computed);\n"_s;
    else
        out += u"            return asked == null ? computed : asked;\n"_s;
    out += u"        })\n"_s;
    notes << u"The Retry-After reader handles delay-seconds; HTTP-date values fall back to "
             "the backoff."_s;
    return out;
}

// The RetryConfig, after the backoff it uses.
QString javaRetryConfig(const RetryPolicy &r, QStringList &notes)
{
    QString out;
    const QString interval = intervalFunction(r.backoff, notes);
    out += u"IntervalFunction backoff = %1;\n"_s.arg(interval);
    out += u"RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()\n"_s;
    out += u"        .maxAttempts(%1) // including the first call\n"_s.arg(r.maxAttempts);
    if (const QString note = libraryHeaderNote(r, u"resilience4j"_s); !note.isEmpty())
        notes << note;
    out += javaInterval(r, notes);
    out +=
        u"        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))\n"_s;
    QStringList exceptions;
    if (retriesNetworkFailures(r))
        exceptions << u"java.io.IOException.class"_s;
    if (retriesTimeouts(r))
        exceptions << u"java.util.concurrent.TimeoutException.class"_s;
    if (!exceptions.isEmpty())
        out += u"        .retryExceptions(%1)\n"_s.arg(exceptions.join(u", "_s));
    out += u"        .build();\n"_s;
    return out;
}

// The CircuitBreakerConfig; failures in a row become a count window that must fail entirely.
QString javaBreakerConfig(const BreakerConfig &b)
{
    QString out;
    out += u"\nCircuitBreakerConfig breaker = CircuitBreakerConfig.custom()\n"_s;
    if (b.rule == TripRule::ConsecutiveFailures) {
        // All of the last N calls failed: N failures in a row.
        out += u"        // %1 failures in a row: every one of the last %1 calls failed.\n"
               "        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)\n"
               "        .slidingWindowSize(%1)\n        .minimumNumberOfCalls(%1)\n"
               "        .failureRateThreshold(100)\n"_s.arg(b.consecutiveFailures);
    } else if (b.window == WindowKind::Count) {
        out += u"        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)\n"
               "        .slidingWindowSize(%1)\n        .minimumNumberOfCalls(%2)\n"
               "        .failureRateThreshold(%3)\n"_s.arg(b.windowCalls)
                   .arg(b.minimumCalls)
                   .arg(b.failureRateThreshold * 100);
    } else {
        out += u"        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)\n"
               "        .slidingWindowSize(%1) // seconds\n        .minimumNumberOfCalls(%2)\n"
               "        .failureRateThreshold(%3)\n"_s
                   .arg(std::max<qint64>(
                       1, std::chrono::duration_cast<std::chrono::seconds>(b.windowTime).count()))
                   .arg(b.minimumCalls)
                   .arg(b.failureRateThreshold * 100);
    }
    if (b.openGrowth > 1.0)
        out += u"        .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(\n"
               "                Duration.ofMillis(%1), %2, Duration.ofMillis(%3)))\n"_s.arg(
                   ms(b.openDuration), QString::number(b.openGrowth), ms(b.maxOpenDuration));
    else
        out +=
            u"        .waitDurationInOpenState(Duration.ofMillis(%1))\n"_s.arg(ms(b.openDuration));
    out += u"        .permittedNumberOfCallsInHalfOpenState(%1)\n"
           "        .recordResult(response -> response instanceof HttpResponse<?> h\n"
           "                && retryableStatuses.contains(h.statusCode()))\n"
           "        .build();\n"_s.arg(b.halfOpenProbes);
    return out;
}

// The retry instance's backoff settings; YAML knows only exponential backoff randomised by a
// factor, so the other jitters are said in `notes`.
QString yamlBackoff(const BackoffParams &b, QStringList &notes)
{
    QString out;
    switch (b.kind) {
    case BackoffKind::Fixed:
    case BackoffKind::None:
        break;
    case BackoffKind::Exponential:
        out += u"        enableExponentialBackoff: true\n        exponentialBackoffMultiplier: %1\n"
               "        exponentialMaxWaitDuration: %2\n"_s.arg(QString::number(b.multiplier),
                                                                yamlDuration(b.cap));
        break;
    default:
        out += u"        enableExponentialBackoff: true\n        exponentialBackoffMultiplier: %1\n"
               "        exponentialMaxWaitDuration: %2\n        enableRandomizedWait: true\n"
               "        randomizedWaitFactor: %3\n"_s.arg(
                   QString::number(b.multiplier), yamlDuration(b.cap),
                   QString::number(b.kind == BackoffKind::RandomizedExponential ? b.jitter : 0.5));
        if (b.kind != BackoffKind::RandomizedExponential)
            notes << u"YAML offers exponential backoff randomised by a factor; %1 needs a "
                     "custom IntervalFunction bean (see the Java snippet)."_s.arg(
                         Backoff::title(b.kind));
    }
    return out;
}

// The retry instance: attempts, backoff, exceptions, and where the statuses must go.
QString yamlRetryInstance(const RetryPolicy &r, const QString &name, QStringList &notes)
{
    const BackoffParams &b = r.backoff;
    QString out;
    out += u"resilience4j:\n  retry:\n    instances:\n      %1:\n"_s.arg(name);
    out += u"        maxAttempts: %1\n        waitDuration: %2\n"_s.arg(r.maxAttempts)
               .arg(b.kind == BackoffKind::None ? u"1ms"_s : yamlDuration(b.base));
    out += yamlBackoff(b, notes);
    QStringList exceptions;
    if (retriesNetworkFailures(r))
        exceptions << u"java.io.IOException"_s;
    if (retriesTimeouts(r))
        exceptions << u"java.util.concurrent.TimeoutException"_s;
    if (!exceptions.isEmpty())
        out += u"        retryExceptions:\n"_s + commentBlock(exceptions, u"          - "_s);
    out +=
        u"        # Statuses %1: YAML cannot list them; name a Predicate class that checks\n"
        "        # them, for example:\n        # resultPredicate: com.example.RetryableStatus\n"_s
            .arg(statusList(r.retryableStatuses));
    if (r.retryAfterMode != RetryAfterMode::Ignore)
        notes << u"Retry-After cannot be honoured from YAML; it needs an IntervalBiFunction "
                 "(see the Java snippet)."_s;
    return out;
}

// The circuitbreaker instance of the same name.
QString yamlBreakerInstance(const BreakerConfig &c, const QString &name)
{
    QString out;
    out += u"  circuitbreaker:\n    instances:\n      %1:\n"_s.arg(name);
    if (c.rule == TripRule::ConsecutiveFailures)
        out += u"        # %1 failures in a row: all of the last %1 calls failed\n"
               "        slidingWindowType: COUNT_BASED\n        slidingWindowSize: %1\n"
               "        minimumNumberOfCalls: %1\n        failureRateThreshold: 100\n"_s.arg(
                   c.consecutiveFailures);
    else
        out += u"        slidingWindowType: %1\n        slidingWindowSize: %2\n"
               "        minimumNumberOfCalls: %3\n        failureRateThreshold: %4\n"_s
                   .arg(c.window == WindowKind::Count ? u"COUNT_BASED"_s : u"TIME_BASED"_s)
                   .arg(c.window == WindowKind::Count
                            ? qint64(c.windowCalls)
                            : std::max<qint64>(
                                  1, std::chrono::duration_cast<std::chrono::seconds>(c.windowTime)
                                         .count()))
                   .arg(c.minimumCalls)
                   .arg(c.failureRateThreshold * 100);
    out +=
        u"        waitDurationInOpenState: %1\n        permittedNumberOfCallsInHalfOpenState: %2\n"_s
            .arg(yamlDuration(c.openDuration))
            .arg(c.halfOpenProbes);
    if (c.openGrowth > 1.0)
        out += u"        enableExponentialBackoff: true\n        exponentialBackoffMultiplier: "
               u"%1\n"
               "        exponentialMaxWaitDurationInOpenState: %2\n"_s.arg(
                   QString::number(c.openGrowth), yamlDuration(c.maxOpenDuration));
    return out;
}
} // namespace

QString resilience4jJava(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes = commonLimits(p, u"resilience4j"_s, true, true); // budget: below
    QString out;
    out += u"// Retry Lab policy \"%1\" for resilience4j 2.x.\n"_s.arg(name);
    out += u"import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;\n"
           "import io.github.resilience4j.core.IntervalBiFunction;\n"
           "import io.github.resilience4j.core.IntervalFunction;\n"
           "import io.github.resilience4j.retry.RetryConfig;\n"
           "import io.github.resilience4j.timelimiter.TimeLimiterConfig;\n"
           "import java.net.http.HttpResponse;\nimport java.time.Duration;\n"
           "import java.util.Set;\nimport java.util.concurrent.ThreadLocalRandom;\n\n"_s;
    out +=
        u"Set<Integer> retryableStatuses = Set.of(%1);\n\n"_s.arg(statusList(r.retryableStatuses));
    out += javaRetryConfig(r, notes);
    if (p.breaker.enabled)
        out += javaBreakerConfig(p.breaker);
    if (r.attemptTimeout > Duration::zero())
        out += u"\n// Each attempt on its own (decorate the call with a TimeLimiter inside the "
               u"Retry).\n"
               "TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()\n"
               "        .timeoutDuration(Duration.ofMillis(%1))\n        .build();\n"_s.arg(
                   ms(r.attemptTimeout));
    if (r.totalBudget > Duration::zero())
        notes << u"resilience4j has no budget for the whole operation (%1 ms): wrap the "
                 "decorated call in an outer TimeLimiter or a CompletableFuture timeout."_s.arg(
                     ms(r.totalBudget));
    if (p.budget.kind != BudgetKind::None)
        notes << u"resilience4j has no retry budget (%1); a RateLimiter or Bulkhead around "
                 "retries is the nearest thing."_s.arg(budgetKindId(p.budget.kind));
    if (!notes.isEmpty())
        out += u"\n// Not expressed exactly in resilience4j:\n"_s + commentBlock(notes, u"// - "_s);
    return out;
}

QString resilience4jYaml(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes = commonLimits(p, u"resilience4j"_s, true, true); // budget: below
    QString out;
    out +=
        u"# Retry Lab policy \"%1\" for resilience4j-spring-boot (application.yml).\n"_s.arg(name);
    out += yamlRetryInstance(r, name, notes);
    if (p.breaker.enabled)
        out += yamlBreakerInstance(p.breaker, name);
    if (r.attemptTimeout > Duration::zero())
        out += u"  timelimiter:\n    instances:\n      %1:\n        timeoutDuration: %2\n"_s.arg(
            name, yamlDuration(r.attemptTimeout));
    if (r.totalBudget > Duration::zero())
        notes << u"No setting bounds the whole operation (%1 ms)."_s.arg(ms(r.totalBudget));
    if (p.budget.kind != BudgetKind::None)
        notes << u"resilience4j has no retry budget (%1)."_s.arg(budgetKindId(p.budget.kind));
    if (!notes.isEmpty())
        out += u"# Not expressed exactly in resilience4j:\n"_s + commentBlock(notes, u"# - "_s);
    return out;
}

} // namespace retrylab::snippet
