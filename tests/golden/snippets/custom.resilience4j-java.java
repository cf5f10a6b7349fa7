// Retry Lab policy "custom" for resilience4j 2.x.
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

Set<Integer> retryableStatuses = Set.of(408, 429, 500, 503);

IntervalFunction backoff = attempt -> {
            double t = Math.min(5000, 200 * Math.pow(3, attempt - 1));
            return (long) (t / 2 + ThreadLocalRandom.current().nextDouble() * t / 2);
        };
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(7) // including the first call
        .intervalBiFunction((IntervalBiFunction<HttpResponse<String>>) (attempt, result) -> {
            long computed = backoff.apply(attempt);
            Long asked = result.isRight() ? result.get().headers().firstValue("Retry-After")
                            .map(v -> v.matches("\\d+") ? Long.parseLong(v) * 1000 : null)
                            .orElse(null) : null;
            if (asked != null) asked = Math.min(asked, 10000L);
            return asked == null ? computed : asked;
        })
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
        .slidingWindowSize(60) // seconds
        .minimumNumberOfCalls(20)
        .failureRateThreshold(25)
        .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(
                Duration.ofMillis(5000), 2, Duration.ofMillis(60000)))
        .permittedNumberOfCallsInHalfOpenState(3)
        .recordResult(response -> response instanceof HttpResponse<?> h
                && retryableStatuses.contains(h.statusCode()))
        .build();

// Each attempt on its own (decorate the call with a TimeLimiter inside the Retry).
TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()
        .timeoutDuration(Duration.ofMillis(2000))
        .build();

// Not expressed exactly in resilience4j:
// - The Retry-After reader handles delay-seconds; HTTP-date values fall back to the backoff.
// - resilience4j has no budget for the whole operation (20000 ms): wrap the decorated call in an outer TimeLimiter or a CompletableFuture timeout.
// - resilience4j has no retry budget (token-bucket); a RateLimiter or Bulkhead around retries is the nearest thing.
