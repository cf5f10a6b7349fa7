# Retry Lab policy "envoy" as urllib3 2.x Retry (also for requests via HTTPAdapter).
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout

retry = Retry(
    total=1,  # retries, not attempts
    connect=1,
    read=1,
    status_forcelist=[500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511],
    backoff_factor=0.0125,
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
# - urllib3 adds a random 0..backoff_jitter to an exponential wait; Envoy jittered exponential is approximated that way.
# - urllib3 retries the first time without waiting; later waits are backoff_factor × 2^(n−1), so backoff_factor is half the base delay.
# - urllib3 has no budget for the whole operation (15000 ms).
