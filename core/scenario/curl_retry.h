// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/client_policy.h"

namespace retrylab {

// curl's own retry options, as a pasted command gives them (curl(1): --retry, --retry-delay,
// --retry-max-time, --retry-all-errors, --retry-connrefused, -m/--max-time, -f/--fail).
struct CurlRetryOptions {
    int retries = 0;                // --retry N: N retries after the first try
    double delaySeconds = 0;        // --retry-delay: 0 keeps curl's doubling backoff
    double maxTimeSeconds = 0;      // --retry-max-time: no retry starts after this; 0 = no limit
    double transferSeconds = 0;     // -m/--max-time: each transfer's limit; 0 = none
    bool allErrors = false;         // --retry-all-errors
    bool connectionRefused = false; // --retry-connrefused
    bool failOnHttpError = false;   // -f/--fail: a status of 400 or more is an error

    // True when the command says anything about retries or time limits.
    bool given() const { return retries > 0 || transferSeconds > 0 || maxTimeSeconds > 0; }
};

// The policy that behaves as curl does with these options, from curl's documentation
// (core/policy/README.md, "curl's own retries"): waits of 1 s doubling up to 10 minutes, or the
// fixed --retry-delay; a timeout and HTTP 408, 429, 500, 502, 503, 504 are transient;
// Retry-After is obeyed (curl 7.66 and later); any method is retried; no breaker, no budget.
ClientPolicy curlRetryPolicy(const CurlRetryOptions &options);

// One line that says what the policy does, for the import's notes.
QString describeCurlRetry(const CurlRetryOptions &options);

} // namespace retrylab
