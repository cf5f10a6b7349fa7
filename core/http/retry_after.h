// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace retrylab {

enum class HttpDateForm { ImfFixdate, Rfc850, Asctime };

struct HttpDate {
    QDateTime utc;
    HttpDateForm form = HttpDateForm::ImfFixdate;
};

// Parses an HTTP-date in any of the three forms of RFC 9110 §5.6.7. `now` resolves the
// two-digit years of rfc850-date (a year more than 50 years ahead is taken from the past
// century). Only "GMT" is accepted as the zone. On failure returns nullopt and says why.
std::optional<HttpDate> parseHttpDate(QByteArrayView text, const QDateTime &now,
                                      QString *error = nullptr);

// IMF-fixdate, the form a server sends: "Sun, 06 Nov 1994 08:49:37 GMT".
QByteArray formatHttpDate(const QDateTime &time);

// The share of judged retries that waited at least the Retry-After they were given, in percent
// (100 when none was judged). The one definition the client's summary, the charts and the
// built-in server's statistics all use.
inline double compliancePercent(qint64 judged, qint64 violations)
{
    return judged > 0 ? 100.0 * double(judged - violations) / double(judged) : 100.0;
}

enum class RetryAfterForm { DelaySeconds, ImfFixdate, Rfc850, Asctime };

// The result of reading a Retry-After field (RFC 9110 §10.2.3).
struct RetryAfter {
    std::optional<Duration> delay; // empty when the value was invalid
    RetryAfterForm form = RetryAfterForm::DelaySeconds;
    bool clamped = false;          // the value was above maxDelay and was cut to it
    bool pastDate = false;         // a date at or before the reference time: wait 0
    bool measuredFromDate = false; // a date measured against the response's Date header
    QString error;                 // why the value was rejected
    bool isValid() const { return delay.has_value(); }
};

// Reads every Retry-After line of one response (`values`, one element per field line).
// A date is measured against the response's `Date` header when that parses (so clock skew
// between client and server does not change the wait), otherwise against `receivedAt`.
// Values above `maxDelay` are clamped and flagged; nothing overflows.
RetryAfter parseRetryAfter(const QList<QByteArray> &values, const QDateTime &receivedAt,
                           const QByteArray &dateHeader = {},
                           Duration maxDelay = std::chrono::hours(24));

QString retryAfterFormId(RetryAfterForm form);

} // namespace retrylab
