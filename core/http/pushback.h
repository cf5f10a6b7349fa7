// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "retry_after.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QStringList>

namespace retrylab {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Which header a server used to ask the client to wait.
enum class PushbackSource {
    RetryAfter,      // RFC 9110 §10.2.3
    RateLimit,       // draft-ietf-httpapi-ratelimit-headers: RateLimit r=0;t=N
    AmzRetryAfter,   // x-amz-retry-after, milliseconds
    GrpcPushback,    // grpc-retry-pushback-ms, milliseconds (negative: do not retry)
    XRateLimitReset, // X-RateLimit-Reset: delta seconds, epoch seconds or epoch ms
};

QString pushbackSourceId(PushbackSource s);

// "The server asked to wait this long", whatever header said it.
struct Pushback {
    Duration delay{0};
    PushbackSource source = PushbackSource::RetryAfter;
    bool clamped = false;    // cut to the configured maximum
    bool doNotRetry = false; // grpc-retry-pushback-ms < 0: the server asked for no retry
    RetryAfter retryAfter;   // details when source is RetryAfter
};

struct PushbackReading {
    std::optional<Pushback> wait;
    QStringList problems; // headers that were present but unusable, with the reason
};

// Reads every pushback header of a response. Retry-After wins when it is valid; an invalid
// one is reported in `problems` and the other headers are consulted. X-RateLimit-Reset and
// the RateLimit fields only count as a request to wait when they say no quota is left (or the
// status is 429). Dates and epoch times are measured against the response's Date header
// when it is present.
PushbackReading readPushback(int httpStatus, const HeaderList &headers, const QDateTime &receivedAt,
                             Duration maxDelay = std::chrono::hours(24));

// Every value of a header, by case-insensitive name, in order.
QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name);

// Headers as "Name: value" lines (for the log and exports), and back.
QString formatHeaderBlock(const HeaderList &headers);
HeaderList parseHeaderBlock(const QString &block);

} // namespace retrylab
