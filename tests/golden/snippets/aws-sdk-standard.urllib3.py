# Retry Lab policy "aws-sdk-standard" as urllib3 2.x Retry (also for requests via HTTPAdapter).
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry, Timeout

retry = Retry(
    total=2,  # retries, not attempts
    connect=2,
    read=2,
    status_forcelist=[429, 500, 502, 503, 504],
    backoff_factor=0.5,
    backoff_max=20,
    backoff_jitter=1,
    respect_retry_after_header=True,
    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent methods only
    raise_on_status=False,
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))

# Not expressed exactly in urllib3:
# - urllib3 has no retry budget: the aws-quota budget is not expressed here.
# - Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; apply this policy to idempotent requests (or keyed ones) only.
# - urllib3 adds a random 0..backoff_jitter to an exponential wait; Full jitter is approximated that way.
# - urllib3 retries the first time without waiting; later waits are backoff_factor × 2^(n−1), so backoff_factor is half the base delay.
