// Retry Lab policy "resilience4j-2.2" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .Handle<TimeoutRejectedException>()
    .HandleResult(response => (int)response.StatusCode is 408 or 429 or 500 or 502 or 503 or 504);

var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        MaxRetryAttempts = 2,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(500),
        MaxDelay = TimeSpan.FromMilliseconds(3600000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Math.Min(3600000, 500 * Math.Pow(1.5, n) * (1 + 0.5 * (2 * Random.Shared.NextDouble() - 1))));
            return ValueTask.FromResult(backoff);
        },
    })
    .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        FailureRatio = 0.5,
        MinimumThroughput = 100,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromMilliseconds(60000),
    })
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - resilience4j truncates each interval to whole milliseconds; this expression does not.
// - Polly samples over time, not over the last 100 calls; pick a SamplingDuration that holds about that many calls.
// - Polly lets one probe through when half-open, not 10.
