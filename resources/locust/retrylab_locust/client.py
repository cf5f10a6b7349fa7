# SPDX-License-Identifier: GPL-3.0-or-later
"""What a Retry Lab client sends besides the scenario's request: the idempotency keys of
core/http/idempotency.cpp and the headers of core/http/request_headers.cpp."""


def make_idempotency_key(rng):
    """A version-4 UUID drawn from the seeded source, two 64-bit draws like the C++."""
    hi = rng.next()
    lo = rng.next()
    hi = (hi & ~0xF000 & ((1 << 64) - 1)) | 0x4000
    lo = (lo & 0x3FFFFFFFFFFFFFFF) | 0x8000000000000000
    h = "%016x" % hi
    l = "%016x" % lo
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], l[:4], l[4:])


def format_idempotency_key(key):
    """The IETF draft's syntax: a structured-field string."""
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generated_headers(client, operation, attempt, key):
    """X-Client-Id, X-Attempt, X-Operation-Id and, with a key, Idempotency-Key: in this order."""
    h = [("X-Client-Id", str(client)), ("X-Attempt", str(attempt)),
         ("X-Operation-Id", "%d-%d" % (client, operation))]
    if key:
        h.append(("Idempotency-Key", format_idempotency_key(key)))
    return h
