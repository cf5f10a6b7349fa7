// Retry Lab policy "envoy-legacy" for resilience4j 2.x.
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

Set<Integer> retryableStatuses = Set.of(500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511);

IntervalFunction backoff = attempt -> Math.min(250, (long) (ThreadLocalRandom.current().nextDouble()
                * (Math.pow(2, attempt) - 1) * 25));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(2) // including the first call
        .intervalFunction(backoff)
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - resilience4j has no budget for the whole operation (15000 ms): wrap the decorated call in an outer TimeLimiter or a CompletableFuture timeout.
