// SPDX-License-Identifier: GPL-3.0-or-later
// Polly v8 (Polly.Core): a ResiliencePipeline with timeout, retry, circuit breaker.
#include "policy_snippet_parts.h"

using namespace Qt::StringLiterals;

namespace retrylab::snippet {

namespace {
// C# for the backoff delay of zero-based retry `n`, in milliseconds, or empty when Polly's
// own BackoffType computes it exactly.
QString backoffExpression(const BackoffParams &b, QStringList &notes)
{
    const QString base = ms(b.base), cap = ms(b.cap), m = QString::number(b.multiplier);
    const QString capped = u"Math.Min(%1, %2 * Math.Pow(%3, n))"_s.arg(cap, base, m);
    switch (b.kind) {
    case BackoffKind::Fixed:
    case BackoffKind::PollyDecorrelatedV2:
        return {};
    case BackoffKind::Exponential:
        return b.multiplier == 2.0 ? QString() : capped;
    case BackoffKind::FullJitter:
        return u"Random.Shared.NextDouble() * "_s + capped;
    case BackoffKind::EqualJitter:
        return u"%1 / 2 + Random.Shared.NextDouble() * %1 / 2"_s.arg(capped);
    case BackoffKind::DecorrelatedJitter:
        notes << u"Decorrelated jitter remembers the previous sleep; it is kept in the "
                 "execution's ResilienceContext."_s;
        return u"DecorrelatedMs(args.Context, n)"_s;
    case BackoffKind::ProportionalJitter:
        return u"%1 * (1 + %2 * (2 * Random.Shared.NextDouble() - 1))"_s.arg(
            capped, QString::number(b.jitter));
    case BackoffKind::RandomizedExponential:
    case BackoffKind::RandomizedExponentialPlusOne:
        notes << u"resilience4j truncates each interval to whole milliseconds; this "
                 "expression does not."_s;
        return u"Math.Min(%1, %2 * Math.Pow(%3, n) * (1 + %4 * (2 * Random.Shared.NextDouble() - 1)))"_s
            .arg(cap, base, m, QString::number(b.jitter));
    case BackoffKind::EnvoyJittered:
        return u"Math.Floor(Random.Shared.NextDouble() * Math.Min(%1, %2 * Math.Pow(2, n)))"_s.arg(
            cap, base);
    case BackoffKind::EnvoyLegacy:
        return u"Math.Min(%1, Math.Floor(Random.Shared.NextDouble() * (Math.Pow(2, n + 1) - 1) * %2))"_s
            .arg(cap, base);
    case BackoffKind::None:
        return u"0"_s;
    }
    return {};
}

QString backoffType(BackoffKind k)
{
    return k == BackoffKind::Fixed ? u"DelayBackoffType.Constant"_s
                                   : u"DelayBackoffType.Exponential"_s;
}

// The predicate both the retry and the breaker handle: the failures the policy retries.
QString handledPredicate(const RetryPolicy &r)
{
    QString handle = u"new PredicateBuilder<HttpResponseMessage>()\n"_s;
    if (retriesNetworkFailures(r))
        handle += u"    .Handle<HttpRequestException>()\n"_s;
    if (retriesTimeouts(r))
        handle += u"    .Handle<TimeoutRejectedException>()\n"_s;
    handle += u"    .HandleResult(response => (int)response.StatusCode is %1)"_s.arg(
        statusList(r.retryableStatuses, u" or "_s));
    return u"var handled = "_s + handle + u";\n\n"_s;
}

// The retry strategy's DelayGenerator: the backoff `expression` (empty: Polly's own) and the
// server's Retry-After, weighed as the policy's mode says.
QString delayGenerator(const RetryPolicy &r, const QString &expression, QStringList &notes)
{
    const bool retryAfter = readsRetryAfter(r);
    QString out = u"        DelayGenerator = args =>\n        {\n"_s;
    out += u"            var n = args.AttemptNumber; // 0 for the first retry\n"_s;
    if (retryAfter) {
        out += u"            var asked = args.Outcome.Result?.Headers.RetryAfter is { } ra\n"
               "                ? ra.Delta ?? (ra.Date - DateTimeOffset.UtcNow)\n"
               "                : (TimeSpan?)null;\n"_s;
        if (r.retryAfterMode == RetryAfterMode::HonourCapped)
            out += u"            if (asked > TimeSpan.FromMilliseconds(%1))\n"
                   "                asked = TimeSpan.FromMilliseconds(%1);\n"_s.arg(
                       ms(r.retryAfterCap));
    }
    const QString backoff =
        expression.isEmpty() ? u"null"_s : u"TimeSpan.FromMilliseconds(%1)"_s.arg(expression);
    out += u"            TimeSpan? backoff = %1;\n"_s.arg(backoff);
    if (expression.isEmpty())
        out += u"            // null: Polly computes the delay from BackoffType and UseJitter.\n"_s;
    if (!retryAfter) {
        out += u"            return ValueTask.FromResult(backoff);\n"_s;
    } else if (r.retryAfterMode == RetryAfterMode::LargerOfBoth) {
        if (expression.isEmpty())
            notes << u"\"Larger of both\" needs the backoff in numbers; with Polly's own "
                     "jittered backoff the server's wait is used when it asks for one."_s;
        out += u"            return ValueTask.FromResult(asked is null ? backoff\n"
               "                : backoff is null || asked > backoff ? asked : backoff);\n"_s;
    } else {
        out += u"            return ValueTask.FromResult(asked ?? backoff);\n"_s;
    }
    out += u"        },\n"_s;
    return out;
}

// The pipeline's .AddRetry(...) stage.
QString retryStrategy(const RetryPolicy &r, const QString &expression, QStringList &notes)
{
    QString out = u"    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>\n    {\n"_s;
    out += u"        ShouldHandle = handled,\n"_s;
    out += u"        MaxRetryAttempts = %1,\n"_s.arg(r.maxAttempts - 1);
    out += u"        BackoffType = %1,\n"_s.arg(backoffType(r.backoff.kind));
    out += u"        UseJitter = %1,\n"_s.arg(
        r.backoff.kind == BackoffKind::PollyDecorrelatedV2 ? u"true"_s : u"false"_s);
    out += u"        Delay = TimeSpan.FromMilliseconds(%1),\n"_s.arg(ms(r.backoff.base));
    out += u"        MaxDelay = TimeSpan.FromMilliseconds(%1),\n"_s.arg(ms(r.backoff.cap));
    if (!expression.isEmpty() || readsRetryAfter(r))
        out += delayGenerator(r, expression, notes);
    out += u"    })\n"_s;
    return out;
}

// The pipeline's .AddCircuitBreaker(...) stage; Polly breaks on a failure ratio over time, so
// the other trip rules and windows are approximated and said in `notes`.
QString circuitBreakerStrategy(const BreakerConfig &b, QStringList &notes)
{
    QString out = u"    .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>\n"
                  "    {\n        ShouldHandle = handled,\n"_s;
    if (b.rule == TripRule::ConsecutiveFailures) {
        notes << u"Polly v8 breaks on a failure ratio, not on failures in a row: %1 failures "
                 "in a row is approximated by a ratio of 1.0 over at least %1 calls."_s.arg(
                     b.consecutiveFailures);
        out += u"        FailureRatio = 1.0,\n        MinimumThroughput = %1,\n"_s.arg(
            std::max(2, b.consecutiveFailures));
        out += u"        SamplingDuration = TimeSpan.FromSeconds(30),\n"_s;
    } else {
        out += u"        FailureRatio = %1,\n        MinimumThroughput = %2,\n"_s.arg(
            QString::number(b.failureRateThreshold), QString::number(std::max(2, b.minimumCalls)));
        if (b.window == WindowKind::Time) {
            out += u"        SamplingDuration = TimeSpan.FromMilliseconds(%1),\n"_s.arg(
                ms(b.windowTime));
        } else {
            notes << u"Polly samples over time, not over the last %1 calls; pick a "
                     "SamplingDuration that holds about that many calls."_s.arg(b.windowCalls);
            out += u"        SamplingDuration = TimeSpan.FromSeconds(30),\n"_s;
        }
    }
    out += u"        BreakDuration = TimeSpan.FromMilliseconds(%1),\n"_s.arg(ms(b.openDuration));
    if (b.openGrowth > 1.0)
        out +=
            u"        BreakDurationGenerator = args => "
            u"ValueTask.FromResult(TimeSpan.FromMilliseconds(\n"
            "            Math.Min(%1, %2 * Math.Pow(%3, args.FailureCount > 0 ? args.FailureCount - 1 : 0)))),\n"_s
                .arg(ms(b.maxOpenDuration), ms(b.openDuration), QString::number(b.openGrowth));
    if (b.halfOpenProbes > 1)
        notes << u"Polly lets one probe through when half-open, not %1."_s.arg(b.halfOpenProbes);
    out += u"    })\n"_s;
    return out;
}

// Decorrelated jitter needs the previous sleep, which Polly does not hand to DelayGenerator:
// a helper keeps it in the execution's context.
QString decorrelatedHelper(const BackoffParams &b)
{
    return u"\nstatic readonly ResiliencePropertyKey<double> PreviousDelay = "
           u"new(\"retrylab.previous-delay-ms\");\n"
           "static double DecorrelatedMs(ResilienceContext context, int n)\n{\n"
           "    var previous = n == 0 ? %1 : context.Properties.GetValue(PreviousDelay, %1);\n"
           "    var next = Math.Min(%2, %1 + Random.Shared.NextDouble() * (previous * 3 - %1));\n"
           "    context.Properties.Set(PreviousDelay, next);\n    return next;\n}\n"_s.arg(
               ms(b.base), ms(b.cap));
}
} // namespace

QString pollyV8(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes = commonLimits(p, u"Polly"_s, true, true); // the budget note is below
    const QString expression = backoffExpression(r.backoff, notes);
    if (const QString note = libraryHeaderNote(r, u"Polly"_s); !note.isEmpty())
        notes << note;
    QString out;
    out +=
        u"// Retry Lab policy \"%1\" as a Polly v8 resilience pipeline (Polly.Core 8.x).\n"_s.arg(
            name);
    out +=
        u"using Polly;\nusing Polly.CircuitBreaker;\nusing Polly.Retry;\nusing Polly.Timeout;\n\n"_s;
    out += handledPredicate(r);
    out += u"var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()\n"_s;
    if (r.totalBudget > Duration::zero())
        out += u"    // The whole operation, every attempt and wait included.\n"
               "    .AddTimeout(TimeSpan.FromMilliseconds(%1))\n"_s.arg(ms(r.totalBudget));
    out += retryStrategy(r, expression, notes);
    if (p.breaker.enabled)
        out += circuitBreakerStrategy(p.breaker, notes);
    if (r.attemptTimeout > Duration::zero())
        out += u"    // Each attempt on its own.\n"
               "    .AddTimeout(TimeSpan.FromMilliseconds(%1))\n"_s.arg(ms(r.attemptTimeout));
    out += u"    .Build();\n"_s;
    if (r.backoff.kind == BackoffKind::DecorrelatedJitter)
        out += decorrelatedHelper(r.backoff);
    if (p.budget.kind != BudgetKind::None)
        notes << u"Polly has no retry budget (%1); a rate limiter strategy "
                 "(Polly.RateLimiting) in front of the retry is the nearest thing."_s.arg(
                     budgetKindId(p.budget.kind));
    if (r.totalBudget > Duration::zero() && r.overrun == OverrunMode::Shorten)
        notes << u"Polly does not shorten the last wait to fit the total timeout; the outer "
                 "timeout cancels the operation instead."_s;
    if (!notes.isEmpty())
        out += u"\n// Not expressed exactly in Polly:\n"_s + commentBlock(notes, u"// - "_s);
    return out;
}

} // namespace retrylab::snippet
