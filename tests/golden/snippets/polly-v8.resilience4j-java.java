// Retry Lab policy "polly-v8" for resilience4j 2.x.
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

Set<Integer> retryableStatuses = Set.of(408, 429, 500, 502, 503, 504);

IntervalFunction backoff = attempt -> (long) (ThreadLocalRandom.current().nextDouble()
                * Math.min(3600000, 2000 * Math.pow(2, attempt - 1)));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(4) // including the first call
        .intervalFunction(backoff)
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
        .slidingWindowSize(30) // seconds
        .minimumNumberOfCalls(100)
        .failureRateThreshold(10)
        .waitDurationInOpenState(Duration.ofMillis(5000))
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordResult(response -> response instanceof HttpResponse<?> h
                && retryableStatuses.contains(h.statusCode()))
        .build();

// Each attempt on its own (decorate the call with a TimeLimiter inside the Retry).
TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()
        .timeoutDuration(Duration.ofMillis(30000))
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - resilience4j's IntervalFunction sees only the attempt number, so jitter that remembers the previous sleep (Polly v8 decorrelated jitter V2) is approximated by full jitter.
