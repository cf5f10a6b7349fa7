# Retry Lab policy "grpc-a6-retry" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {503}

@retry(
    stop=stop_after_attempt(4) | stop_after_delay(30),
    wait=wait_exponential_jitter(initial=0.1, max=1, exp_base=2, jitter=0.1),
    retry=(retry_if_exception_type((requests.ConnectionError,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=5)  # each attempt

# Not expressed exactly in tenacity:
# - tenacity has no retry budget: the token-bucket budget is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - gRPC exponential ±jitter (A6 2024, C-core) has no tenacity wait; it is approximated by exponential backoff plus wait_exponential_jitter's additive jitter.
# - The policy reads one library's own header (gRPC grpc-retry-pushback-ms); tenacity does not, and this snippet ignores it.
# - stop_after_delay ends the retries once the budget is spent; it does not shorten the last wait to fit.
