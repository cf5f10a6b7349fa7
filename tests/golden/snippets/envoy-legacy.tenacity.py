# Retry Lab policy "envoy-legacy" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511}

@retry(
    stop=stop_after_attempt(2) | stop_after_delay(15),
    wait=wait_exponential_jitter(initial=0.025, max=0.25, exp_base=2, jitter=0.025),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url)

# Not expressed exactly in tenacity:
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - Envoy jittered backoff (older releases) has no tenacity wait; it is approximated by exponential backoff plus wait_exponential_jitter's additive jitter.
# - stop_after_delay ends the retries once the budget is spent; it does not shorten the last wait to fit.
