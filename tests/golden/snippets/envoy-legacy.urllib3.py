# Retry Lab policy "envoy-legacy" as urllib3 Retry (also for requests via HTTPAdapter).
# For urllib3 2.x (backoff_max and backoff_jitter are 2.0 arguments; with 1.26 drop
# them: 1.26 caps at Retry.DEFAULT_BACKOFF_MAX = 120 s and has no jitter).
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout

retry = Retry(
    total=1,  # retries, not attempts
    connect=1,
    read=1,
    status_forcelist=[500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511],
    backoff_factor=0.025,
    backoff_max=0.25,
    backoff_jitter=0.025,
    respect_retry_after_header=False,
    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent methods only
    raise_on_status=False,
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))

# Not expressed exactly in urllib3:
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - urllib3 adds a random 0..backoff_jitter to an exponential wait; Envoy jittered backoff (older releases) is approximated that way.
# - urllib3 retries the first time without waiting; retry k ≥ 2 waits backoff_factor × 2^(k−1), which is base × 2^n from the second retry on, so backoff_factor is the base delay.
# - urllib3 has no budget for the whole operation (15000 ms).
