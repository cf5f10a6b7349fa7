// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: a response's status and header block into the pushback readers (Retry-After in
// its three date forms and delay-seconds, RateLimit, x-amz-retry-after, grpc-retry-pushback-ms,
// X-RateLimit-Reset). Whatever the bytes, a reading never crashes, never overflows (UBSan) and
// never asks for a negative wait or one past its maximum.
#include "http/pushback.h"

#include <QTimeZone>

#include <cstdint>
#include <cstdlib>

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    // The first two bytes pick the status (100..611), the rest is the header block.
    const int status = 100 + (data[0] << 8 | data[1]) % 512;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const HeaderList headers = parseHeaderBlock(QString::fromLatin1(bytes));
    static const QDateTime now = QDateTime::fromSecsSinceEpoch(1'700'000'000, QTimeZone::utc());
    const Duration max = std::chrono::hours(24);
    const PushbackReading reading = readPushback(status, headers, now, max);
    if (reading.wait && (reading.wait->delay < Duration::zero() || reading.wait->delay > max))
        std::abort();
    // Retry-After alone, with each line as a value and the raw bytes as a Date header.
    const RetryAfter ra = parseRetryAfter(bytes.split('\n'), now, bytes.left(64), max);
    if (ra.delay && (*ra.delay < Duration::zero() || *ra.delay > max))
        std::abort();
    QString error;
    if (const auto date = parseHttpDate(bytes, now, &error); date && !date->utc.isValid())
        std::abort();
    return 0;
}
