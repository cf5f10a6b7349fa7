// SPDX-License-Identifier: GPL-3.0-or-later
#include "curl_retry.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace retrylab {

namespace {

Duration seconds(double s)
{
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

QString secondsText(double s)
{
    return formatDurationReadable(seconds(s));
}

} // namespace

ClientPolicy curlRetryPolicy(const CurlRetryOptions &o)
{
    ClientPolicy p;
    RetryPolicy &r = p.retry;
    r.maxAttempts = 1 + o.retries;
    if (o.delaySeconds > 0)
        r.backoff = {BackoffKind::Fixed, seconds(o.delaySeconds), seconds(o.delaySeconds), 1.0, 0};
    else // "first waits one second and then ... doubles the waiting time until it reaches 10
         // minutes"
        r.backoff = {BackoffKind::Exponential, 1s, 600s, 2.0, 0};
    r.totalBudget = seconds(o.maxTimeSeconds);
    r.attemptTimeout = seconds(o.transferSeconds);
    r.retryableStatuses = {408, 429, 500, 502, 503, 504};
    r.retryableFailures = {OutcomeClass::Timeout};
    if (o.connectionRefused)
        r.retryableFailures << OutcomeClass::ConnectionRefused;
    if (o.allErrors) {
        r.retryableFailures = {OutcomeClass::Timeout,
                               OutcomeClass::ConnectionReset,
                               OutcomeClass::ConnectionRefused,
                               OutcomeClass::Dns,
                               OutcomeClass::Tls,
                               OutcomeClass::NetworkOther};
        // Without --fail an HTTP answer is not an error to curl, whatever its status.
        if (o.failOnHttpError)
            for (int status = 400; status <= 599; ++status)
                if (!r.retryableStatuses.contains(status))
                    r.retryableStatuses << status;
    }
    r.retryAfterMode = RetryAfterMode::Honour;
    r.retryAfterCap = 600s;
    // curl retries whatever it was asked to send, POST included; it knows no 409 convention.
    r.retryNonIdempotentWithoutKey = true;
    r.retryNonIdempotentWithKey = true;
    r.retryInFlightConflict = false;
    p.breaker.enabled = false;
    p.budget.kind = BudgetKind::None;
    return p;
}

QString describeCurlRetry(const CurlRetryOptions &o)
{
    QStringList parts;
    parts << (o.retries == 1 ? u"1 retry"_s : u"%1 retries"_s.arg(o.retries));
    parts << (o.delaySeconds > 0 ? u"%1 apart"_s.arg(secondsText(o.delaySeconds))
                                 : u"waits of 1 s doubling up to 10 min"_s);
    if (o.maxTimeSeconds > 0)
        parts << u"none after %1"_s.arg(secondsText(o.maxTimeSeconds));
    if (o.transferSeconds > 0)
        parts << u"each try at most %1"_s.arg(secondsText(o.transferSeconds));
    parts << (o.allErrors ? (o.failOnHttpError ? u"every error and status ≥ 400 retried"_s
                                               : u"every transfer error retried"_s)
                          : u"timeouts and 408, 429, 500, 502, 503, 504 retried"_s);
    if (o.connectionRefused && !o.allErrors)
        parts << u"refused connections too"_s;
    parts << u"Retry-After obeyed"_s;
    return u"the policy is curl's: "_s + parts.join(u", "_s);
}

} // namespace retrylab
