// Retry Lab policy "grpc-connection-backoff" for resilience4j 2.x.
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

IntervalFunction backoff = attempt -> (long) (Math.min(120000, 1000 * Math.pow(1.6, attempt - 1))
                * (1 + 0.2 * (2 * ThreadLocalRandom.current().nextDouble() - 1)));
RetryConfig retry = RetryConfig.<HttpResponse<String>>custom()
        .maxAttempts(6) // including the first call
        .intervalFunction(backoff)
        .retryOnResult(response -> retryableStatuses.contains(response.statusCode()))
        .retryExceptions(java.io.IOException.class, java.util.concurrent.TimeoutException.class)
        .build();

// Each attempt on its own (decorate the call with a TimeLimiter inside the Retry).
TimeLimiterConfig attemptTimeout = TimeLimiterConfig.custom()
        .timeoutDuration(Duration.ofMillis(20000))
        .build();

// Not expressed exactly in resilience4j:
// - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
