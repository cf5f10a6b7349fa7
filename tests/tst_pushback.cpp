// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/pushback.h"

#include <QTest>
#include <QTimeZone>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::PushbackSource)

namespace {
const QDateTime kReceived(QDate(2026, 11, 29), QTime(12, 0, 0), QTimeZone::utc());
const qint64 kEpoch = kReceived.toSecsSinceEpoch();
} // namespace

class TestPushback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reads_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<PushbackSource>("source");

        QTest::addRow("Retry-After") << 503 << HeaderList{{"Retry-After", "7"}} << qint64(7000)
                                     << PushbackSource::RetryAfter;
        QTest::addRow("header names are case-insensitive")
            << 503 << HeaderList{{"retry-after", "7"}} << qint64(7000)
            << PushbackSource::RetryAfter;
        QTest::addRow("RateLimit structured field")
            << 429 << HeaderList{{"RateLimit", "\"default\";r=0;t=30"}} << qint64(30'000)
            << PushbackSource::RateLimit;
        QTest::addRow("RateLimit second item exhausted")
            << 429 << HeaderList{{"RateLimit", "\"burst\";r=5;t=1, \"day\";r=0;t=600"}}
            << qint64(600'000) << PushbackSource::RateLimit;
        QTest::addRow("RateLimit dictionary form")
            << 429 << HeaderList{{"RateLimit", "limit=100, remaining=0, reset=12"}}
            << qint64(12'000) << PushbackSource::RateLimit;
        QTest::addRow("RateLimit-Remaining and -Reset")
            << 429 << HeaderList{{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "4"}}
            << qint64(4000) << PushbackSource::RateLimit;
        QTest::addRow("x-amz-retry-after ms") << 503 << HeaderList{{"x-amz-retry-after", "1500"}}
                                              << qint64(1500) << PushbackSource::AmzRetryAfter;
        QTest::addRow("grpc pushback ms") << 503 << HeaderList{{"grpc-retry-pushback-ms", "250"}}
                                          << qint64(250) << PushbackSource::GrpcPushback;
        QTest::addRow("X-RateLimit-Reset delta seconds")
            << 429 << HeaderList{{"X-RateLimit-Reset", "20"}} << qint64(20'000)
            << PushbackSource::XRateLimitReset;
        QTest::addRow("X-RateLimit-Reset epoch seconds (GitHub)")
            << 403
            << HeaderList{{"X-RateLimit-Remaining", "0"},
                          {"X-RateLimit-Reset", QByteArray::number(kEpoch + 90)}}
            << qint64(90'000) << PushbackSource::XRateLimitReset;
        QTest::addRow("X-RateLimit-Reset epoch ms")
            << 429 << HeaderList{{"X-RateLimit-Reset", QByteArray::number(kEpoch * 1000 + 2500)}}
            << qint64(2500) << PushbackSource::XRateLimitReset;
        QTest::addRow("epoch measured against Date")
            << 429
            << HeaderList{{"Date", "Sun, 29 Nov 2026 11:59:00 GMT"},
                          {"X-RateLimit-Reset", QByteArray::number(kEpoch - 30)}}
            << qint64(30'000) << PushbackSource::XRateLimitReset;
        QTest::addRow("Retry-After wins over RateLimit")
            << 429 << HeaderList{{"RateLimit", "\"d\";r=0;t=30"}, {"Retry-After", "3"}}
            << qint64(3000) << PushbackSource::RetryAfter;
        QTest::addRow("invalid Retry-After falls back to RateLimit")
            << 429 << HeaderList{{"Retry-After", "soon"}, {"RateLimit", "\"d\";r=0;t=30"}}
            << qint64(30'000) << PushbackSource::RateLimit;
    }
    void reads()
    {
        QFETCH(int, status);
        QFETCH(HeaderList, headers);
        QFETCH(qint64, ms);
        QFETCH(PushbackSource, source);
        const auto r = readPushback(status, headers, kReceived);
        QVERIFY2(r.wait, qPrintable(r.problems.join(u"; "_s)));
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(r.wait->delay).count(), ms);
        QCOMPARE(r.wait->source, source);
    }

    void noWait_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<HeaderList>("headers");
        QTest::addColumn<int>("problems");
        QTest::addRow("none") << 503 << HeaderList{{"Content-Type", "text/plain"}} << 0;
        QTest::addRow("quota left") << 200 << HeaderList{{"RateLimit", "\"d\";r=10;t=30"}} << 0;
        QTest::addRow("GitHub reset with quota left")
            << 200
            << HeaderList{{"X-RateLimit-Remaining", "4999"},
                          {"X-RateLimit-Reset", QByteArray::number(kEpoch + 3000)}}
            << 0;
        QTest::addRow("invalid Retry-After alone") << 503 << HeaderList{{"Retry-After", "-5"}} << 1;
        QTest::addRow("bad amz") << 503 << HeaderList{{"x-amz-retry-after", "1.5s"}} << 1;
    }
    void noWait()
    {
        QFETCH(int, status);
        QFETCH(HeaderList, headers);
        QFETCH(int, problems);
        const auto r = readPushback(status, headers, kReceived);
        QVERIFY(!r.wait);
        QCOMPARE(r.problems.size(), problems);
    }

    // How a record keeps headers: "Name: value" lines, Latin-1, read back field by field.
    void headerBlocksRoundTrip()
    {
        const HeaderList headers = {{"Retry-After", "5"},
                                    {"X-Note", "caf\xe9 \x01"},
                                    {"Empty", ""},
                                    {"Set-Cookie", "a=1; Path=/"}};
        const QString block = formatHeaderBlock(headers);
        QCOMPARE(block,
                 u"Retry-After: 5\nX-Note: caf\u00e9 \u0001\nEmpty: \nSet-Cookie: a=1; Path=/"_s);
        QCOMPARE(parseHeaderBlock(block), headers);
        QCOMPARE(formatHeaderBlock({}), QString());
    }

    void grpcNegativeMeansDoNotRetry()
    {
        const auto r = readPushback(503, {{"grpc-retry-pushback-ms", "-1"}}, kReceived);
        QVERIFY(r.wait);
        QVERIFY(r.wait->doNotRetry);
    }

    void hugeValuesClamp()
    {
        const auto ra = readPushback(503, {{"Retry-After", "99999999999"}}, kReceived, 60s);
        QVERIFY(ra.wait && ra.wait->clamped);
        QCOMPARE(ra.wait->delay, Duration(60s));
        const auto amz =
            readPushback(503, {{"x-amz-retry-after", "999999999999999"}}, kReceived, 60s);
        QVERIFY(amz.wait && amz.wait->clamped);
        QCOMPARE(amz.wait->delay, Duration(60s));
        const auto rl =
            readPushback(429, {{"RateLimit", "\"d\";r=0;t=9999999999"}}, kReceived, 60s);
        QVERIFY(rl.wait && rl.wait->clamped);
        // Past qint64 once multiplied by 1000 (fuzz_pushback's find): still the longest wait,
        // not a wrapped negative one read as "now".
        const auto huge =
            readPushback(429, {{"RateLimit", "r=0;t=2222211111111111111"}}, kReceived, 60s);
        QVERIFY(huge.wait && huge.wait->clamped);
        QCOMPARE(huge.wait->delay, Duration(60s));
        const auto older = readPushback(
            429, {{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "9223372036854775807"}},
            kReceived, 60s);
        QVERIFY(older.wait && older.wait->clamped);
        QCOMPARE(older.wait->delay, Duration(60s));
    }
};

QTEST_GUILESS_MAIN(TestPushback)
#include "tst_pushback.moc"
