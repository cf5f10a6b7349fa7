# Retry Lab policy "aws-sdk-standard" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {500, 502, 503, 504}

@retry(
    stop=stop_after_attempt(3),
    wait=wait_random_exponential(multiplier=1, max=20, exp_base=2),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=60)  # each attempt

# Not expressed exactly in tenacity:
# - tenacity has no retry budget: the aws-quota budget is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
