# Retry Lab policy "default" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {408, 429, 500, 502, 503, 504}


def retry_after_or(backoff):
    """The server's Retry-After (delay-seconds) when it sent one, else the backoff."""
    def wait(retry_state):
        outcome = retry_state.outcome
        response = None if outcome.failed else outcome.result()
        value = response.headers.get("Retry-After", "") if response is not None else ""
        computed = backoff(retry_state)
        if not value.isdigit():
            return computed
        return float(value)
    return wait

@retry(
    stop=stop_after_attempt(4) | stop_after_delay(30),
    wait=retry_after_or(wait_random_exponential(multiplier=0.1, max=10, exp_base=2)),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=5)  # each attempt

# Not expressed exactly in tenacity:
# - tenacity has no circuit breaker: the breaker (5 failures in a row, open 5000 ms) is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - The Retry-After reader handles delay-seconds; HTTP-dates fall back to the backoff.
# - stop_after_delay ends the retries once the budget is spent; it does not shorten the last wait to fit.
