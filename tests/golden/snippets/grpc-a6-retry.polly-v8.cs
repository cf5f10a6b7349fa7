// Retry Lab policy "grpc-a6-retry" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .HandleResult(response => (int)response.StatusCode is 503);

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
        MaxDelay = TimeSpan.FromMilliseconds(1000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Math.Min(1000, 100 * Math.Pow(2, n)) * (1 + 0.2 * (2 * Random.Shared.NextDouble() - 1)));
            return ValueTask.FromResult(backoff);
        },
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(5000))
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - The policy reads one library's own header (gRPC grpc-retry-pushback-ms); Polly does not, and this snippet ignores it.
// - Polly has no retry budget (token-bucket); a rate limiter strategy (Polly.RateLimiting) in front of the retry is the nearest thing.
// - Polly does not shorten the last wait to fit the total timeout; the outer timeout cancels the operation instead.
