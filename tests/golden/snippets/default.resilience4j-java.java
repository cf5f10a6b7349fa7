// Retry Lab policy "default" for resilience4j 2.x.
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
                * Math.min(10000, 100 * Math.pow(2, attempt - 1)));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(4) // including the first call
        .intervalBiFunction((IntervalBiFunction<HttpResponse<String>>) (attempt, result) -> {
            long computed = backoff.apply(attempt);
            Long asked = result.isRight() ? result.get().headers().firstValue("Retry-After")
                            .map(v -> v.matches("\\d+") ? Long.parseLong(v) * 1000 : null)
                            .orElse(null) : null;
            return asked == null ? computed : asked;
        })
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
        // 5 failures in a row: every one of the last 5 calls failed.
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(5)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(100)
        .waitDurationInOpenState(Duration.ofMillis(5000))
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordResult(response -> response instanceof HttpResponse<?> h
                && retryableStatuses.contains(h.statusCode()))
        .build();

// Each attempt on its own (decorate the call with a TimeLimiter inside the Retry).
TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()
        .timeoutDuration(Duration.ofMillis(5000))
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - The Retry-After reader handles delay-seconds; HTTP-date values fall back to the backoff.
// - resilience4j has no budget for the whole operation (30000 ms): wrap the decorated call in an outer TimeLimiter or a CompletableFuture timeout.
