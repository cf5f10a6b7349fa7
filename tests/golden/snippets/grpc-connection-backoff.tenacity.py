# Retry Lab policy "grpc-connection-backoff" with tenacity and requests.
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
    stop=stop_after_attempt(6),
    wait=retry_after_or(wait_exponential_jitter(initial=1, max=120, exp_base=1.6, jitter=1)),
    retry=(retry_if_exception_type((requests.ConnectionError, requests.Timeout,))
           | retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)),
    reraise=True,
)
def call(session: requests.Session, url: str) -> requests.Response:
    return session.get(url, timeout=20)  # each attempt

# Not expressed exactly in tenacity:
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - gRPC connection backoff (±jitter) has no tenacity wait; it is approximated by exponential backoff plus wait_exponential_jitter's additive jitter.
# - The Retry-After reader handles delay-seconds; HTTP-dates fall back to the backoff.
