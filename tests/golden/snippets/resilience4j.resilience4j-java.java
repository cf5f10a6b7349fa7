// Retry Lab policy "resilience4j" for resilience4j 2.x.
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

IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(500), 1.5, 0.5, Duration.ofMillis(3600000));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(3) // including the first call
        .intervalFunction(backoff)
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(100)
        .minimumNumberOfCalls(100)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMillis(60000))
        .permittedNumberOfCallsInHalfOpenState(10)
        .recordResult(response -> response instanceof HttpResponse<?> h
                && retryableStatuses.contains(h.statusCode()))
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
