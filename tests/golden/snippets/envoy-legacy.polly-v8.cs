// Retry Lab policy "envoy-legacy" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .Handle<TimeoutRejectedException>()
    .HandleResult(response => (int)response.StatusCode is 500 or 501 or 502 or 503 or 504 or 505 or 506 or 507 or 508 or 510 or 511);

var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
    // The whole operation, every attempt and wait included.
    .AddTimeout(TimeSpan.FromMilliseconds(15000))
    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        MaxRetryAttempts = 1,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(25),
        MaxDelay = TimeSpan.FromMilliseconds(250),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Math.Min(250, Math.Floor(Random.Shared.NextDouble() * (Math.Pow(2, n + 1) - 1) * 25)));
            return ValueTask.FromResult(backoff);
        },
    })
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - Polly does not shorten the last wait to fit the total timeout; the outer timeout cancels the operation instead.
