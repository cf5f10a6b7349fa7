# Retry Lab policy "custom" with tenacity (8.x and later) and requests.
import requests
from tenacity import (retry, retry_if_exception_type, retry_if_result,
                      stop_after_attempt, stop_after_delay, wait_exponential,
                      wait_exponential_jitter, wait_fixed, wait_random,
                      wait_random_exponential)

RETRYABLE_STATUSES = {408, 429, 500, 503}


def retry_after_or(backoff):
    """The server's Retry-After (delay-seconds) when it sent one, else the backoff."""
    def wait(retry_state):
        outcome = retry_state.outcome
        response = None if outcome.failed else outcome.result()
        value = response.headers.get("Retry-After", "") if response is not None else ""
        computed = backoff(retry_state)
        if not value.isdigit():
            return computed
        return min(float(value), 10)
    return wait

@retry(
    stop=stop_after_attempt(7) | stop_after_delay(20),
    wait=retry_after_or(wait_exponential(multiplier=0.1, exp_base=3, max=2.5) + wait_random(0, 2.5)),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=2)  # each attempt

# Not expressed exactly in tenacity:
# - tenacity has no circuit breaker: the breaker (failure rate 25%, open 5000 ms) is not expressed here.
# - tenacity has no retry budget: the token-bucket budget is not expressed here.
# - Equal jitter (half fixed, half random) has no tenacity wait; it is approximated by half the exponential plus a random wait of up to the other half at the cap.
# - The Retry-After reader handles delay-seconds; HTTP-dates fall back to the backoff.
# - stop_after_delay ends the retries once the budget is spent; it does not shorten the last wait to fit.
