// Retry Lab policy "naive-3x" as a Polly v8 resilience pipeline (Polly.Core 8.x).
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
        BackoffType = DelayBackoffType.Constant,
        UseJitter = false,
        Delay = TimeSpan.FromMilliseconds(0),
        MaxDelay = TimeSpan.FromMilliseconds(1),
    })
    // Each attempt on its own.
    .AddTimeout(TimeSpan.FromMilliseconds(5000))
    .Build();
