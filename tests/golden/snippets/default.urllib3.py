# Retry Lab policy "default" as urllib3 Retry (also for requests via HTTPAdapter).
# For urllib3 2.x (backoff_max and backoff_jitter are 2.0 arguments; with 1.26 drop
# them: 1.26 caps at Retry.DEFAULT_BACKOFF_MAX = 120 s and has no jitter).
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout

retry = Retry(
    total=3,  # retries, not attempts
    connect=3,
    read=3,
    status_forcelist=[408, 429, 500, 502, 503, 504],
    backoff_factor=0.1,
    backoff_max=10,
    backoff_jitter=0.1,
    respect_retry_after_header=True,
    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent methods only
    raise_on_status=False,
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))
# Each attempt: pass timeout=5 to every call (or Timeout(total=5) to urllib3).

# Not expressed exactly in urllib3:
# - urllib3 has no circuit breaker: the breaker (5 failures in a row, open 5000 ms) is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - urllib3 adds a random 0..backoff_jitter to an exponential wait; Full jitter is approximated that way.
# - urllib3 retries the first time without waiting; retry k ≥ 2 waits backoff_factor × 2^(k−1), which is base × 2^n from the second retry on, so backoff_factor is the base delay.
# - urllib3 has no budget for the whole operation (30000 ms).
