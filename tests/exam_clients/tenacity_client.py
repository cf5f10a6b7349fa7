# SPDX-License-Identifier: GPL-3.0-or-later
# tenacity around the standard library's urllib, against Retry Lab's exam (tst_client_exam).
# argv: URL, "exponential" (wait_exponential(multiplier=0.1, max=0.4)) or "jitter"
# (wait_random_exponential(multiplier=0.1, max=2)), and a User-Agent.
import random
import sys
import urllib.error
import urllib.request

from tenacity import (retry, retry_if_exception_type, stop_after_attempt, wait_exponential,
                      wait_random_exponential)

base, kind, agent = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
random.seed(7)  # tenacity draws from the random module: the same waits on every run


class Transient(Exception):
    pass


def get(path):
    request = urllib.request.Request(base + path, headers={"User-Agent": agent})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as e:
        if e.code in (429, 500, 502, 503, 504):
            raise Transient(e.code)
        return e.code
    except (ConnectionError, urllib.error.URLError) as e:
        raise Transient(str(e))


wait = (wait_exponential(multiplier=0.1, max=0.4) if kind == "exponential"
        else wait_random_exponential(multiplier=0.1, max=2))
call = retry(wait=wait, stop=stop_after_attempt(8), retry=retry_if_exception_type(Transient),
             reraise=True)(get)
if kind == "exponential":
    print(call("/exam/backoff"), call("/exam/missing"))
else:
    print([call("/exam/reset") for _ in range(8)])
