// Retry Lab policy "custom" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .Handle<TimeoutRejectedException>()
    .HandleResult(response => (int)response.StatusCode is 408 or 429 or 500 or 503);

var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
    // The whole operation, every attempt and wait included.
    .AddTimeout(TimeSpan.FromMilliseconds(20000))
    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        MaxRetryAttempts = 6,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromMilliseconds(5000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            var asked = args.Outcome.Result?.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date - DateTimeOffset.UtcNow)
                : (TimeSpan?)null;
            if (asked > TimeSpan.FromMilliseconds(10000))
                asked = TimeSpan.FromMilliseconds(10000);
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Math.Min(5000, 200 * Math.Pow(3, n)) / 2 + Random.Shared.NextDouble() * Math.Min(5000, 200 * Math.Pow(3, n)) / 2);
            return ValueTask.FromResult(asked ?? backoff);
        },
    })
    .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        FailureRatio = 0.25,
        MinimumThroughput = 20,
        SamplingDuration = TimeSpan.FromMilliseconds(60000),
        BreakDuration = TimeSpan.FromMilliseconds(5000),
        BreakDurationGenerator = args => ValueTask.FromResult(TimeSpan.FromMilliseconds(
            Math.Min(60000, 5000 * Math.Pow(2, args.FailureCount > 0 ? args.FailureCount - 1 : 0)))),
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(2000))
    .Build();

// Not expressed exactly in Polly:
// - Polly lets one probe through when half-open, not 3.
// - Polly has no retry budget (token-bucket); a rate limiter strategy (Polly.RateLimiting) in front of the retry is the nearest thing.
// - Polly does not shorten the last wait to fit the total timeout; the outer timeout cancels the operation instead.
