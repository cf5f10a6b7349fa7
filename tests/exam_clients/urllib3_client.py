# SPDX-License-Identifier: GPL-3.0-or-later
# urllib3's Retry against Retry Lab's exam (tst_client_exam). Works with urllib3 1.26
# (Debian 12) and 2.x (Debian 13): only arguments both take.
import sys

import urllib3
from urllib3.util.retry import Retry

base = sys.argv[1].rstrip("/")
retry = Retry(total=6, backoff_factor=0.05, status_forcelist=[500, 502, 503, 504])
http = urllib3.PoolManager(retries=retry)
for path in ("/exam/backoff", "/thing", "/exam/missing"):
    print(path, http.request("GET", base + path).status)
try:  # POST is not among Retry's default allowed_methods: the lost answer is not retried
    http.request("POST", base + "/payments", body=b'{"amount": 5, "currency": "EUR"}',
                 headers={"Content-Type": "application/json"})
except urllib3.exceptions.HTTPError as e:
    print("/payments", type(e).__name__)
