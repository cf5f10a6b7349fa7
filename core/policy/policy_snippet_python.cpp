// SPDX-License-Identifier: GPL-3.0-or-later
// Python: tenacity (a decorator around the call) and urllib3's Retry (inside requests).
#include "policy_snippet_parts.h"

using namespace Qt::StringLiterals;

namespace retrylab::snippet {

namespace {
QString tenacityWait(const BackoffParams &b, QStringList &notes)
{
    const QString base = seconds(b.base), cap = seconds(b.cap), m = QString::number(b.multiplier);
    switch (b.kind) {
    case BackoffKind::Fixed:
        return u"wait_fixed(%1)"_s.arg(base);
    case BackoffKind::None:
        return u"wait_none()"_s;
    case BackoffKind::Exponential:
        return u"wait_exponential(multiplier=%1, exp_base=%2, max=%3)"_s.arg(base, m, cap);
    case BackoffKind::FullJitter:
        // tenacity 8+: U(min, min(max, multiplier × exp_base^(attempt_number − 1))).
        return u"wait_random_exponential(multiplier=%1, max=%2, exp_base=%3)"_s.arg(base, cap, m);
    case BackoffKind::EqualJitter:
        notes << u"Equal jitter (half fixed, half random) has no tenacity wait; it is "
                 "approximated by half the exponential plus a random wait of up to the other "
                 "half at the cap."_s;
        return u"wait_exponential(multiplier=%1, exp_base=%2, max=%3) + wait_random(0, %3)"_s.arg(
            seconds(b.base / 2), m, seconds(b.cap / 2));
    case BackoffKind::DecorrelatedJitter:
    case BackoffKind::PollyDecorrelatedV2:
        notes << u"tenacity has no decorrelated jitter; it is approximated by full jitter "
                 "(wait_random_exponential)."_s;
        return u"wait_random_exponential(multiplier=%1, max=%2, exp_base=%3)"_s.arg(base, cap, m);
    case BackoffKind::EnvoyJittered:
        notes << u"Envoy's random % interval is full jitter over whole milliseconds; "
                 "wait_random_exponential draws continuously."_s;
        return u"wait_random_exponential(multiplier=%1, max=%2, exp_base=2)"_s.arg(base, cap);
    case BackoffKind::ProportionalJitter:
    case BackoffKind::RandomizedExponential:
    case BackoffKind::RandomizedExponentialPlusOne:
    case BackoffKind::EnvoyLegacy:
        notes << u"%1 has no tenacity wait; it is approximated by exponential backoff plus "
                 "wait_exponential_jitter's additive jitter."_s.arg(Backoff::title(b.kind));
        return u"wait_exponential_jitter(initial=%1, max=%2, exp_base=%3, jitter=%1)"_s.arg(base,
                                                                                            cap, m);
    }
    return {};
}
} // namespace

QString tenacity(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    QStringList notes = commonLimits(p, u"tenacity"_s, false, false);
    const QString wait = tenacityWait(r.backoff, notes);
    QString out;
    out += u"# Retry Lab policy \"%1\" with tenacity (8.x and later) and requests.\n"_s.arg(name);
    out +=
        u"import requests\nfrom tenacity import (retry, retry_if_exception_type, retry_if_result,\n"
        "                      stop_after_attempt, stop_after_delay, wait_exponential,\n"
        "                      wait_exponential_jitter, wait_fixed, wait_random,\n"
        "                      wait_random_exponential)\n\n"_s;
    out += u"RETRYABLE_STATUSES = {%1}\n\n"_s.arg(statusList(r.retryableStatuses));
    if (const QString note = libraryHeaderNote(r, u"tenacity"_s); !note.isEmpty())
        notes << note;
    if (readsRetryAfter(r)) {
        out += u"\ndef retry_after_or(backoff):\n"
               "    \"\"\"The server's Retry-After (delay-seconds) when it sent one, else the "
               "backoff.\"\"\"\n"
               "    def wait(retry_state):\n"
               "        outcome = retry_state.outcome\n"
               "        response = None if outcome.failed else outcome.result()\n"
               "        value = response.headers.get(\"Retry-After\", \"\") if response is not "
               "None else \"\"\n"
               "        computed = backoff(retry_state)\n"
               "        if not value.isdigit():\n            return computed\n"_s;
        if (r.retryAfterMode == RetryAfterMode::HonourCapped)
            out += u"        return min(float(value), %1)\n"_s.arg(seconds(r.retryAfterCap));
        else if (r.retryAfterMode == RetryAfterMode::LargerOfBoth)
            out += u"        return max(float(value), computed)\n"_s;
        else
            out += u"        return float(value)\n"_s;
        out += u"    return wait\n\n"_s;
        notes << u"The Retry-After reader handles delay-seconds; HTTP-dates fall back to the "
                 "backoff."_s;
    }
    QString stop = u"stop_after_attempt(%1)"_s.arg(r.maxAttempts);
    if (r.totalBudget > Duration::zero())
        stop += u" | stop_after_delay(%1)"_s.arg(seconds(r.totalBudget));
    QStringList exceptions;
    if (retriesNetworkFailures(r))
        exceptions << u"requests.ConnectionError"_s;
    if (retriesTimeouts(r))
        exceptions << u"requests.Timeout"_s;
    QString retryOn =
        u"retry_if_result(lambda response: response.status_code in RETRYABLE_STATUSES)"_s;
    if (!exceptions.isEmpty())
        retryOn = u"retry_if_exception_type((%1,))\n           | "_s.arg(exceptions.join(u", "_s)) +
                  retryOn;
    out += u"@retry(\n    stop=%1,\n"_s.arg(stop);
    out += readsRetryAfter(r) ? u"    wait=retry_after_or(%1),\n"_s.arg(wait)
                              : u"    wait=%1,\n"_s.arg(wait);
    out += u"    retry=(%1),\n    reraise=True,\n)\n"_s.arg(retryOn);
    out += u"def call(session: requests.Session, url: str) -> requests.Response:\n"_s;
    out += r.attemptTimeout > Duration::zero()
               ? u"    return session.get(url, timeout=%1)  # each attempt\n"_s.arg(
                     seconds(r.attemptTimeout))
               : u"    return session.get(url)\n"_s;
    if (r.totalBudget > Duration::zero() && r.overrun == OverrunMode::Shorten)
        notes << u"stop_after_delay ends the retries once the budget is spent; it does not "
                 "shorten the last wait to fit."_s;
    if (!notes.isEmpty())
        out += u"\n# Not expressed exactly in tenacity:\n"_s + commentBlock(notes, u"# - "_s);
    return out;
}

QString urllib3(const ClientPolicy &p, const QString &name)
{
    const RetryPolicy &r = p.retry;
    const BackoffParams &b = r.backoff;
    QStringList notes = commonLimits(p, u"urllib3"_s, false, false);
    QString out;
    out +=
        u"# Retry Lab policy \"%1\" as urllib3 Retry (also for requests via HTTPAdapter).\n"
        "# For urllib3 2.x (backoff_max and backoff_jitter are 2.0 arguments; with 1.26 drop\n"
        "# them: 1.26 caps at Retry.DEFAULT_BACKOFF_MAX = 120 s and has no jitter).\n"_s.arg(name);
    out +=
        u"import requests\nfrom requests.adapters import HTTPAdapter\nfrom urllib3.util import Retry, Timeout\n\n"_s;
    QString jitter = u"0"_s;
    switch (b.kind) {
    case BackoffKind::Exponential:
    case BackoffKind::Fixed:
    case BackoffKind::None:
        break;
    default:
        jitter = seconds(b.base);
        notes << u"urllib3 adds a random 0..backoff_jitter to an exponential wait; %1 is "
                 "approximated that way."_s.arg(Backoff::title(b.kind));
    }
    if (b.kind == BackoffKind::Fixed)
        notes << u"urllib3 has no fixed wait; a fixed %1 ms is not expressed (backoff_max "
                 "caps the exponential at it)."_s.arg(ms(b.base));
    // urllib3 (1.26 and 2.x) Retry.get_backoff_time: 0 for the first retry, then
    // backoff_factor × 2^(k − 1) for retry k >= 2, which is base × 2^n with n = k − 1.
    notes << u"urllib3 retries the first time without waiting; retry k ≥ 2 waits "
             "backoff_factor × 2^(k−1), which is base × 2^n from the second retry on, so "
             "backoff_factor is the base delay."_s;
    if (b.multiplier != 2.0)
        notes << u"urllib3 always doubles; the multiplier %1 is not expressed."_s.arg(b.multiplier);
    const QString backoffFactor = b.kind == BackoffKind::None ? u"0"_s : seconds(b.base);
    out += u"retry = Retry(\n"_s;
    out += u"    total=%1,  # retries, not attempts\n"_s.arg(r.maxAttempts - 1);
    out += u"    connect=%1,\n    read=%1,\n"_s.arg(retriesNetworkFailures(r) || retriesTimeouts(r)
                                                        ? QString::number(r.maxAttempts - 1)
                                                        : u"0"_s);
    out += u"    status_forcelist=[%1],\n"_s.arg(statusList(r.retryableStatuses));
    out += u"    backoff_factor=%1,\n    backoff_max=%2,\n    backoff_jitter=%3,\n"_s.arg(
        backoffFactor, seconds(b.kind == BackoffKind::Fixed ? b.base : b.cap), jitter);
    out +=
        u"    respect_retry_after_header=%1,\n"_s.arg(readsRetryAfter(r) ? u"True"_s : u"False"_s);
    if (const QString note = libraryHeaderNote(r, u"urllib3"_s); !note.isEmpty())
        notes << note;
    if (r.retryNonIdempotentWithoutKey)
        out += u"    allowed_methods=None,  # every method, POST included\n"_s;
    else
        out += u"    allowed_methods=Retry.DEFAULT_ALLOWED_METHODS,  # idempotent methods only\n"_s;
    out += u"    raise_on_status=False,\n)\n"_s;
    if (r.retryAfterMode == RetryAfterMode::HonourCapped)
        notes << u"urllib3 honours Retry-After without a cap (%1 ms is not expressed)."_s.arg(
            ms(r.retryAfterCap));
    if (r.retryAfterMode == RetryAfterMode::LargerOfBoth)
        notes << u"urllib3 waits the Retry-After instead of the backoff, not the larger of both."_s;
    out += u"session = requests.Session()\nsession.mount(\"http://\", "
           u"HTTPAdapter(max_retries=retry))\n"
           "session.mount(\"https://\", HTTPAdapter(max_retries=retry))\n"_s;
    if (r.attemptTimeout > Duration::zero())
        out +=
            u"# Each attempt: pass timeout=%1 to every call (or Timeout(total=%1) to urllib3).\n"_s
                .arg(seconds(r.attemptTimeout));
    if (r.totalBudget > Duration::zero())
        notes << u"urllib3 has no budget for the whole operation (%1 ms)."_s.arg(ms(r.totalBudget));
    out += u"\n# Not expressed exactly in urllib3:\n"_s + commentBlock(notes, u"# - "_s);
    return out;
}

} // namespace retrylab::snippet
