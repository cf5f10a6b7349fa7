# Retry Lab policy "custom" as urllib3 Retry (also for requests via HTTPAdapter).
# For urllib3 2.x (backoff_max and backoff_jitter are 2.0 arguments; with 1.26 drop
# them: 1.26 caps at Retry.DEFAULT_BACKOFF_MAX = 120 s and has no jitter).
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout

retry = Retry(
    total=6,  # retries, not attempts
    connect=6,
    read=6,
    status_forcelist=[408, 429, 500, 503],
    backoff_factor=0.2,
    backoff_max=5,
    backoff_jitter=0.2,
    respect_retry_after_header=True,
    allowed_methods=None,  # every method, POST included
    raise_on_status=False,
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))
# Each attempt: pass timeout=2 to every call (or Timeout(total=2) to urllib3).

# Not expressed exactly in urllib3:
# - urllib3 has no circuit breaker: the breaker (failure rate 25%, open 5000 ms) is not expressed here.
# - urllib3 has no retry budget: the token-bucket budget is not expressed here.
# - urllib3 adds a random 0..backoff_jitter to an exponential wait; Equal jitter is approximated that way.
# - urllib3 retries the first time without waiting; retry k ≥ 2 waits backoff_factor × 2^(k−1), which is base × 2^n from the second retry on, so backoff_factor is the base delay.
# - urllib3 always doubles; the multiplier 3 is not expressed.
# - urllib3 honours Retry-After without a cap (10000 ms is not expressed).
# - urllib3 has no budget for the whole operation (20000 ms).
