# SPDX-License-Identifier: GPL-3.0-or-later
# requests with an HTTPAdapter whose Retry retries every method (allowed_methods=None), against
# Retry Lab's exam (tst_client_exam).
import sys

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

base = sys.argv[1].rstrip("/")
retry = Retry(total=4, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504],
              allowed_methods=None)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
print(session.get(base + "/exam/reset", timeout=5).status_code)
print(session.post(base + "/payments", json={"amount": 5, "currency": "EUR"}, timeout=5).status_code)
try:
    session.get(base + "/exam/backoff", timeout=5)
except requests.exceptions.RetryError as e:
    print("/exam/backoff", type(e).__name__)
