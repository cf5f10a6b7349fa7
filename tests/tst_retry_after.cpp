// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/retry_after.h"

#include <QTest>
#include <QTimeZone>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::RetryAfterForm)

namespace {
// The moment the response arrived, on the client's clock.
const QDateTime kReceived(QDate(1994, 11, 6), QTime(8, 49, 0), QTimeZone::utc());
} // namespace

class TestRetryAfter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // core/http/README.md, "Retry-After": the valid forms.
    void valid_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QByteArray>("date");
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<RetryAfterForm>("form");
        QTest::addColumn<bool>("past");

        const auto F = RetryAfterForm::DelaySeconds;
        QTest::addRow("seconds") << QByteArray("120") << QByteArray() << qint64(120'000) << F
                                 << false;
        QTest::addRow("zero") << QByteArray("0") << QByteArray() << qint64(0) << F << false;
        QTest::addRow("leading zeros")
            << QByteArray("007") << QByteArray() << qint64(7'000) << F << false;
        QTest::addRow("whitespace around")
            << QByteArray(" \t5 ") << QByteArray() << qint64(5'000) << F << false;
        // 37 s after kReceived, in all three HTTP-date forms.
        QTest::addRow("IMF-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << QByteArray()
                                     << qint64(37'000) << RetryAfterForm::ImfFixdate << false;
        QTest::addRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << QByteArray()
                                 << qint64(37'000) << RetryAfterForm::Rfc850 << false;
        QTest::addRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << QByteArray()
                                 << qint64(37'000) << RetryAfterForm::Asctime << false;
        QTest::addRow("asctime two-digit day")
            << QByteArray("Sun Nov 06 08:49:37 1994") << QByteArray() << qint64(37'000)
            << RetryAfterForm::Asctime << false;
        QTest::addRow("date with whitespace")
            << QByteArray("  Sun, 06 Nov 1994 08:49:37 GMT\t") << QByteArray() << qint64(37'000)
            << RetryAfterForm::ImfFixdate << false;
        QTest::addRow("past date waits 0")
            << QByteArray("Sun, 06 Nov 1994 08:00:00 GMT") << QByteArray() << qint64(0)
            << RetryAfterForm::ImfFixdate << true;
        // Measured against the server's Date, not the client's clock: the server's clock is
        // 10 min behind the client's, and the wait is still 30 s.
        QTest::addRow("relative to Date header")
            << QByteArray("Sun, 06 Nov 1994 08:39:30 GMT")
            << QByteArray("Sun, 06 Nov 1994 08:39:00 GMT") << qint64(30'000)
            << RetryAfterForm::ImfFixdate << false;
        QTest::addRow("Date header in RFC 850 form")
            << QByteArray("Sun, 06 Nov 1994 08:39:30 GMT")
            << QByteArray("Sunday, 06-Nov-94 08:39:00 GMT") << qint64(30'000)
            << RetryAfterForm::ImfFixdate << false;
        QTest::addRow("leap second reads as :59")
            << QByteArray("Sun, 06 Nov 1994 08:49:60 GMT") << QByteArray() << qint64(59'000)
            << RetryAfterForm::ImfFixdate << false;
    }
    void valid()
    {
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, date);
        QFETCH(qint64, ms);
        QFETCH(RetryAfterForm, form);
        QFETCH(bool, past);
        const RetryAfter r = parseRetryAfter({value}, kReceived, date);
        QVERIFY2(r.isValid(), qPrintable(r.error));
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(*r.delay).count(), ms);
        QCOMPARE(r.form, form);
        QCOMPARE(r.pastDate, past);
        QVERIFY(!r.clamped);
        QCOMPARE(r.measuredFromDate, !date.isEmpty());
    }

    // core/http/README.md: every invalid form is rejected (the policy falls back to its backoff).
    void invalid_data()
    {
        QTest::addColumn<QList<QByteArray>>("values");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("negative") << QList<QByteArray>{"-5"} << u"-5"_s;
        QTest::addRow("fraction") << QList<QByteArray>{"1.5"} << u"1.5"_s;
        QTest::addRow("unit") << QList<QByteArray>{"120s"} << u"120s"_s;
        QTest::addRow("garbage") << QList<QByteArray>{"abc"} << u"abc"_s;
        QTest::addRow("empty") << QList<QByteArray>{""} << u"empty"_s;
        QTest::addRow("only spaces") << QList<QByteArray>{"   "} << u"empty"_s;
        QTest::addRow("two fields") << QList<QByteArray>{"5", "10"} << u"2 Retry-After"_s;
        QTest::addRow("two values in one field") << QList<QByteArray>{"5, 10"} << u"5, 10"_s;
        QTest::addRow("numeric zone")
            << QList<QByteArray>{"Sun, 06 Nov 1994 08:49:37 +0000"} << u"GMT"_s;
        QTest::addRow("UTC zone") << QList<QByteArray>{"Sun, 06 Nov 1994 08:49:37 UTC"} << u"GMT"_s;
        QTest::addRow("ISO 8601") << QList<QByteArray>{"1994-11-06T08:49:37Z"}
                                  << u"delay-seconds"_s;
        QTest::addRow("no such day")
            << QList<QByteArray>{"Sun, 31 Nov 1994 08:49:37 GMT"} << u"HTTP-date"_s;
        QTest::addRow("hour 24") << QList<QByteArray>{"Sun, 06 Nov 1994 24:00:00 GMT"}
                                 << u"HTTP-date"_s;
        QTest::addRow("lower-case month")
            << QList<QByteArray>{"Sun, 06 nov 1994 08:49:37 GMT"} << u"HTTP-date"_s;
        QTest::addRow("trailing text")
            << QList<QByteArray>{"Sun, 06 Nov 1994 08:49:37 GMT x"} << u"HTTP-date"_s;
        QTest::addRow("plus sign") << QList<QByteArray>{"+5"} << u"+5"_s;
        QTest::addRow("no fields") << QList<QByteArray>{} << u"no Retry-After"_s;
    }
    void invalid()
    {
        QFETCH(QList<QByteArray>, values);
        QFETCH(QString, mentions);
        const RetryAfter r = parseRetryAfter(values, kReceived);
        QVERIFY(!r.isValid());
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
    }

    // Huge values never overflow: clamped to the maximum and flagged.
    void huge_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addRow("11 digits") << QByteArray("99999999999");
        QTest::addRow("past int64") << QByteArray("99999999999999999999999999999999999999");
        QTest::addRow("just above max") << QByteArray("3601");
        QTest::addRow("far date") << QByteArray("Fri, 31 Dec 9999 23:59:59 GMT");
    }
    void huge()
    {
        QFETCH(QByteArray, value);
        const RetryAfter r = parseRetryAfter({value}, kReceived, {}, 1h);
        QVERIFY2(r.isValid(), qPrintable(r.error));
        QVERIFY(r.clamped);
        QCOMPARE(*r.delay, Duration(1h));
        const RetryAfter exact = parseRetryAfter({"3600"}, kReceived, {}, 1h);
        QVERIFY(!exact.clamped);
        QCOMPARE(*exact.delay, Duration(1h));
    }

    // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
    void rfc850Years_data()
    {
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("year");
        const QDateTime now2026(QDate(2026, 11, 29), QTime(0, 0), QTimeZone::utc());
        QTest::addRow("94 in 2026 is 1994")
            << now2026 << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << 1994;
        QTest::addRow("27 in 2026 is 2027")
            << now2026 << QByteArray("Saturday, 06-Nov-27 08:49:37 GMT") << 2027;
        QTest::addRow("76 in 2026 is 2076")
            << now2026 << QByteArray("Friday, 06-Nov-76 08:49:37 GMT") << 2076;
        QTest::addRow("77 in 2026 is 1977")
            << now2026 << QByteArray("Sunday, 06-Nov-77 08:49:37 GMT") << 1977;
    }
    void rfc850Years()
    {
        QFETCH(QDateTime, now);
        QFETCH(QByteArray, value);
        QFETCH(int, year);
        const auto d = parseHttpDate(value, now);
        QVERIFY(d);
        QCOMPARE(d->utc.date().year(), year);
        QCOMPARE(d->form, HttpDateForm::Rfc850);
    }

    void formatRoundTrip()
    {
        const QDateTime t(QDate(1994, 11, 6), QTime(8, 49, 37), QTimeZone::utc());
        QCOMPARE(formatHttpDate(t), QByteArray("Sun, 06 Nov 1994 08:49:37 GMT"));
        QCOMPARE(parseHttpDate(formatHttpDate(t), t)->utc, t);
        const QDateTime early(QDate(2001, 2, 3), QTime(4, 5, 6), QTimeZone::utc());
        QCOMPARE(formatHttpDate(early), QByteArray("Sat, 03 Feb 2001 04:05:06 GMT"));
    }
};

QTEST_GUILESS_MAIN(TestRetryAfter)
#include "tst_retry_after.moc"
