// Retry Lab policy "grpc-connection-backoff" as a Polly v8 resilience pipeline (Polly.Core 8.x).
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
        MaxRetryAttempts = 5,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(1000),
        MaxDelay = TimeSpan.FromMilliseconds(120000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Math.Min(120000, 1000 * Math.Pow(1.6, n)) * (1 + 0.2 * (2 * Random.Shared.NextDouble() - 1)));
            return ValueTask.FromResult(backoff);
        },
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(20000))
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
