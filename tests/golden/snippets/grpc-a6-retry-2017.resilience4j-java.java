// Retry Lab policy "grpc-a6-retry-2017" for resilience4j 2.x.
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

Set<Integer> retryableStatuses = Set.of(503);

IntervalFunction backoff = attempt -> (long) (ThreadLocalRandom.current().nextDouble()
                * Math.min(1000, 100 * Math.pow(2, attempt - 1)));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(4) // including the first call
        .intervalFunction(backoff)
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class)
        .build();

// Each attempt on its own (decorate the call with a TimeLimiter inside the Retry).
TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()
        .timeoutDuration(Duration.ofMillis(5000))
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
// - The policy reads one library's own header (gRPC grpc-retry-pushback-ms); resilience4j does not, and this snippet ignores it.
// - resilience4j has no budget for the whole operation (30000 ms): wrap the decorated call in an outer TimeLimiter or a CompletableFuture timeout.
// - resilience4j has no retry budget (token-bucket); a RateLimiter or Bulkhead around retries is the nearest thing.
