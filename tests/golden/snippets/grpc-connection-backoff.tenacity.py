# Retry Lab policy "grpc-connection-backoff" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {408, 429, 500, 502, 503, 504}

@retry(
    stop=stop_after_attempt(6),
    wait=wait_exponential_jitter(initial=1, max=120, exp_base=1.6, jitter=1),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=20)  # each attempt

# Not expressed exactly in tenacity:
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - gRPC exponential ±jitter (A6 2024, C-core) has no tenacity wait; it is approximated by exponential backoff plus wait_exponential_jitter's additive jitter.
