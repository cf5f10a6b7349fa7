# Retry Lab policy "polly-v8" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {408, 429, 500, 502, 503, 504}

@retry(
    stop=stop_after_attempt(4),
    wait=wait_random_exponential(multiplier=2, max=3600, exp_base=2),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=30)  # each attempt

# Not expressed exactly in tenacity:
# - tenacity has no circuit breaker: the breaker (failure rate 10%, open 5000 ms) is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - tenacity has no decorrelated jitter; it is approximated by full jitter (wait_random_exponential).
