// Retry Lab policy "polly-v8" as a Polly v8 resilience pipeline (Polly.Core 8.x).
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
        MaxRetryAttempts = 3,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromMilliseconds(2000),
        MaxDelay = TimeSpan.FromMilliseconds(3600000),
    })
    .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
    {
        ShouldHandle = handled,
        FailureRatio = 0.1,
        MinimumThroughput = 100,
        SamplingDuration = TimeSpan.FromMilliseconds(30000),
        BreakDuration = TimeSpan.FromMilliseconds(5000),
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(30000))
    .Build();

// Not expressed exactly in Polly:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
