// Retry Lab policy "aws-sdk-standard-2.1" as a Polly v8 resilience pipeline (Polly.Core 8.x).
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

var handled = new PredicateBuilder<HttpResponseMessage>()
    .Handle<HttpRequestException>()
    .Handle<TimeoutRejectedException>()
    .HandleResult(response => (int)response.StatusCode is 500 or 502 or 503 or 504);

var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
    .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        MaxRetryAttempts = 2,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(20000),
        DelayGenerator = args =>
        {
            var n = args.AttemptNumber; // 0 for the first retry
            TimeSpan? backoff = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 50 * Math.Pow(2, n)));
            return ValueTask.FromResult(backoff);
        },
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(60000))
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - The policy reads one library's own header (botocore x-amz-retry-after (within [t, t + 5 s])); Polly does not, and this snippet ignores it.
// - Polly has no retry budget (aws-quota); a rate limiter strategy (Polly.RateLimiting) in front of the retry is the nearest thing.
