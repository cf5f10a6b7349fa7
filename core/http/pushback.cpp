// SPDX-License-Identifier: GPL-3.0-or-later
#include "pushback.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

std::optional<qint64> parseInteger(QByteArrayView v)
{
    v = v.trimmed();
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    return n;
}

Duration clampTo(qint64 millis, Duration maxDelay, bool *clamped)
{
    const qint64 maxMs = std::chrono::duration_cast<std::chrono::milliseconds>(maxDelay).count();
    if (millis > maxMs) {
        *clamped = true;
        return maxDelay;
    }
    return std::chrono::milliseconds(std::max<qint64>(0, millis));
}

// A wait of `seconds`, clamped as clampTo does, and compared before it is multiplied: a
// reset of 2 × 10^18 s times 1000 would overflow qint64 (fuzz_pushback found it).
Duration clampSecondsTo(qint64 seconds, Duration maxDelay, bool *clamped)
{
    if (seconds > std::chrono::duration_cast<std::chrono::seconds>(maxDelay).count()) {
        *clamped = true;
        return maxDelay;
    }
    return clampTo(std::max<qint64>(0, seconds) * 1000, maxDelay, clamped);
}

// Parameters of a structured-field item: `"default";r=0;t=30` → {r: 0, t: 30}. Also reads
// the older dictionary form `limit=10, remaining=0, reset=30`.
struct RateLimitItem {
    std::optional<qint64> remaining;
    std::optional<qint64> reset;
};

QList<RateLimitItem> parseRateLimit(const QByteArray &value)
{
    QList<RateLimitItem> items;
    RateLimitItem dictionary;
    bool sawDictionary = false;
    for (const QByteArray &rawMember : value.split(',')) {
        RateLimitItem item;
        bool sawParam = false;
        for (const QByteArray &rawPart : rawMember.split(';')) {
            const QByteArray part = rawPart.trimmed();
            const qsizetype eq = part.indexOf('=');
            if (eq <= 0)
                continue;
            const QByteArray key = part.left(eq).trimmed().toLower();
            const auto number = parseInteger(part.mid(eq + 1));
            if (!number)
                continue;
            if (key == "r") {
                item.remaining = number;
                sawParam = true;
            } else if (key == "t") {
                item.reset = number;
                sawParam = true;
            } else if (key == "remaining") {
                dictionary.remaining = number;
                sawDictionary = true;
            } else if (key == "reset") {
                dictionary.reset = number;
                sawDictionary = true;
            }
        }
        if (sawParam)
            items << item;
    }
    if (sawDictionary)
        items << dictionary;
    return items;
}

QDateTime serverNow(const HeaderList &headers, const QDateTime &receivedAt)
{
    const auto dates = headerValues(headers, "date");
    if (dates.size() == 1) {
        if (const auto d = parseHttpDate(dates.front(), receivedAt))
            return d->utc;
    }
    return receivedAt.toUTC();
}

// Retry-After (RFC 9110 §10.2.3); an invalid one is told in `problems`.
void readRetryAfterHeader(const HeaderList &headers, const QDateTime &receivedAt, Duration maxDelay,
                          PushbackReading &out)
{
    const auto retryAfterValues = headerValues(headers, "retry-after");
    if (!retryAfterValues.isEmpty()) {
        const auto dates = headerValues(headers, "date");
        const RetryAfter ra =
            parseRetryAfter(retryAfterValues, receivedAt,
                            dates.size() == 1 ? dates.front() : QByteArray(), maxDelay);
        if (ra.isValid()) {
            out.wait = Pushback{*ra.delay, PushbackSource::RetryAfter, ra.clamped, false, ra};
            return;
        }
        out.problems << u"Retry-After ignored: %1"_s.arg(ra.error);
    }
}

// RateLimit (the IETF draft's structured field, or its older separate fields): a wait only
// when no requests remain.
void readRateLimitHeaders(const HeaderList &headers, Duration maxDelay, PushbackReading &out)
{
    const auto rateLimit = headerValues(headers, "ratelimit");
    for (const QByteArray &value : rateLimit) {
        for (const auto &item : parseRateLimit(value)) {
            if (item.remaining && *item.remaining <= 0 && item.reset) {
                bool clamped = false;
                const Duration d = clampSecondsTo(*item.reset, maxDelay, &clamped);
                out.wait = Pushback{d, PushbackSource::RateLimit, clamped, false, {}};
                return;
            }
        }
    }
    // The older separate fields: RateLimit-Remaining: 0 with RateLimit-Reset: N.
    const auto remaining = headerValues(headers, "ratelimit-remaining");
    const auto reset = headerValues(headers, "ratelimit-reset");
    if (!remaining.isEmpty() && !reset.isEmpty()) {
        const auto r = parseInteger(remaining.front());
        const auto t = parseInteger(reset.front());
        if (r && *r <= 0 && t && *t >= 0) {
            bool clamped = false;
            const Duration d = clampSecondsTo(*t, maxDelay, &clamped);
            out.wait = Pushback{d, PushbackSource::RateLimit, clamped, false, {}};
        }
    }
}

// x-amz-retry-after: milliseconds.
void readAmzRetryAfter(const HeaderList &headers, Duration maxDelay, PushbackReading &out)
{
    const auto amz = headerValues(headers, "x-amz-retry-after");
    if (!amz.isEmpty()) {
        const auto ms = parseInteger(amz.front());
        if (ms && *ms >= 0) {
            bool clamped = false;
            const Duration d = clampTo(*ms, maxDelay, &clamped);
            out.wait = Pushback{d, PushbackSource::AmzRetryAfter, clamped, false, {}};
            return;
        }
        out.problems << u"x-amz-retry-after ignored: '%1' is not a whole number of milliseconds"_s
                            .arg(QString::fromLatin1(amz.front()));
    }
}

// grpc-retry-pushback-ms: milliseconds, or "do not retry".
void readGrpcPushback(const HeaderList &headers, Duration maxDelay, PushbackReading &out)
{
    const auto grpc = headerValues(headers, "grpc-retry-pushback-ms");
    if (!grpc.isEmpty()) {
        const auto ms = parseInteger(grpc.front());
        // gRPC A6: a negative or unparseable value means "do not retry".
        bool clamped = false;
        const bool stop = !ms || *ms < 0;
        const Duration d = stop ? Duration::zero() : clampTo(*ms, maxDelay, &clamped);
        out.wait = Pushback{d, PushbackSource::GrpcPushback, clamped, stop, {}};
    }
}

// X-RateLimit-Reset: a wait when the quota is used up (X-RateLimit-Remaining 0, or a 429).
void readXRateLimitReset(int httpStatus, const HeaderList &headers, const QDateTime &receivedAt,
                         Duration maxDelay, PushbackReading &out)
{
    const auto xReset = headerValues(headers, "x-ratelimit-reset");
    if (!xReset.isEmpty()) {
        const auto xRemaining = headerValues(headers, "x-ratelimit-remaining");
        const auto left =
            xRemaining.isEmpty() ? std::optional<qint64>{} : parseInteger(xRemaining.front());
        const bool exhausted = (left && *left <= 0) || httpStatus == 429;
        const auto value = parseInteger(xReset.front());
        if (!value || *value < 0) {
            out.problems << u"X-RateLimit-Reset ignored: '%1' is not a whole number"_s.arg(
                QString::fromLatin1(xReset.front()));
        } else if (exhausted) {
            // Epoch milliseconds, epoch seconds (GitHub) or delta seconds, told apart by size:
            // a delta of 10^9 s would be over 31 years.
            qint64 millis = 0;
            const QDateTime now = serverNow(headers, receivedAt);
            if (*value >= 1'000'000'000'000LL)
                millis = *value - now.toMSecsSinceEpoch();
            else if (*value >= 1'000'000'000LL)
                millis = *value * 1000 - now.toMSecsSinceEpoch();
            else
                millis = *value * 1000;
            bool clamped = false;
            const Duration d = clampTo(millis, maxDelay, &clamped);
            out.wait = Pushback{d, PushbackSource::XRateLimitReset, clamped, false, {}};
        }
    }
}

} // namespace

QString pushbackSourceId(PushbackSource s)
{
    switch (s) {
    case PushbackSource::RetryAfter:
        return u"retry-after"_s;
    case PushbackSource::RateLimit:
        return u"ratelimit"_s;
    case PushbackSource::AmzRetryAfter:
        return u"x-amz-retry-after"_s;
    case PushbackSource::GrpcPushback:
        return u"grpc-retry-pushback-ms"_s;
    case PushbackSource::XRateLimitReset:
        return u"x-ratelimit-reset"_s;
    }
    return {};
}

QList<QByteArray> headerValues(const HeaderList &headers, QByteArrayView name)
{
    QList<QByteArray> out;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            out << value;
    }
    return out;
}

PushbackReading readPushback(int httpStatus, const HeaderList &headers, const QDateTime &receivedAt,
                             Duration maxDelay)
{
    // In order of precedence: the first header that asks for a wait is the one that counts.
    PushbackReading out;
    readRetryAfterHeader(headers, receivedAt, maxDelay, out);
    if (!out.wait)
        readRateLimitHeaders(headers, maxDelay, out);
    if (!out.wait)
        readAmzRetryAfter(headers, maxDelay, out);
    if (!out.wait)
        readGrpcPushback(headers, maxDelay, out);
    if (!out.wait)
        readXRateLimitReset(httpStatus, headers, receivedAt, maxDelay, out);
    return out;
}

QString formatHeaderBlock(const HeaderList &headers)
{
    // Made for every answer a run records: one allocation, no temporaries.
    qsizetype size = 0;
    for (const auto &[name, value] : headers)
        size += name.size() + value.size() + 3;
    QString block;
    block.reserve(size);
    for (const auto &[name, value] : headers) {
        if (!block.isEmpty())
            block += u'\n';
        block += QLatin1String(name.constData(), name.size());
        block += u": ";
        block += QLatin1String(value.constData(), value.size());
    }
    return block;
}

HeaderList parseHeaderBlock(const QString &block)
{
    HeaderList headers;
    for (const QString &line : block.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            continue;
        headers.append(
            {line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toLatin1()});
    }
    return headers;
}

} // namespace retrylab
