# Retry Lab policy "resilience4j-2.2" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {408, 429, 500, 502, 503, 504}

@retry(
    stop=stop_after_attempt(3),
    wait=wait_exponential_jitter(initial=0.5, max=3600, exp_base=1.5, jitter=0.5),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url)

# Not expressed exactly in tenacity:
# - tenacity has no circuit breaker: the breaker (failure rate 50%, open 60000 ms) is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - resilience4j ≤ 2.2 randomized exponential has no tenacity wait; it is approximated by exponential backoff plus wait_exponential_jitter's additive jitter.
