// Retry Lab policy "default" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .Handle<TimeoutRejectedException>()
    .HandleResult(response => (int)response.StatusCode is 408 or 429 or 500 or 502 or 503 or 504);

var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
    // The whole operation, every attempt and wait included.
    .AddTimeout(TimeSpan.FromMilliseconds(30000))
    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        MaxRetryAttempts = 3,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(10000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            var asked = args.Outcome.Result?.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date - DateTimeOffset.UtcNow)
                : (TimeSpan?)null;
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(10000, 100 * Math.Pow(2, n)));
            return ValueTask.FromResult(asked ?? backoff);
        },
    })
    .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        FailureRatio = 1.0,
        MinimumThroughput = 5,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromMilliseconds(5000),
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(5000))
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - Polly v8 breaks on a failure ratio, not on failures in a row: 5 failures in a row is approximated by a ratio of 1.0 over at least 5 calls.
// - Polly does not shorten the last wait to fit the total timeout; the outer timeout cancels the operation instead.
