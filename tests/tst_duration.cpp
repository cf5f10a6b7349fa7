// SPDX-License-Identifier: GPL-3.0-or-later
#include "base/duration.h"

#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestDuration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        QTest::addRow("bare number is ms") << u"250"_s << qint64(250'000);
        QTest::addRow("ms") << u"250ms"_s << qint64(250'000);
        QTest::addRow("ms with space") << u"250 ms"_s << qint64(250'000);
        QTest::addRow("fraction of s") << u"1.5 s"_s << qint64(1'500'000);
        QTest::addRow("minutes") << u"2 min"_s << qint64(120'000'000);
        QTest::addRow("m") << u"2m"_s << qint64(120'000'000);
        QTest::addRow("hours") << u"1h"_s << qint64(3'600'000'000);
        QTest::addRow("micro") << u"100us"_s << qint64(100);
        QTest::addRow("zero") << u"0"_s << qint64(0);
        QTest::addRow("whitespace") << u"  3 s  "_s << qint64(3'000'000);
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        const auto r = parseDuration(text);
        QVERIFY2(r.value.has_value(), qPrintable(r.error));
        QCOMPARE(r.value->count(), micros);
        // What formatDuration writes parses back to the same value.
        QCOMPARE(parseDuration(formatDuration(*r.value)).value->count(), micros);
    }
    void rejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << QString();
        QTest::addRow("negative") << u"-5 ms"_s;
        QTest::addRow("unit only") << u"ms"_s;
        QTest::addRow("unknown unit") << u"5 days"_s;
        QTest::addRow("two numbers") << u"5 5"_s;
        QTest::addRow("longer than a year") << u"9000 h"_s;
    }
    void rejects()
    {
        QFETCH(QString, text);
        const auto r = parseDuration(text);
        QVERIFY(!r.value);
        QVERIFY(!r.error.isEmpty());
    }
    void negativeSaysSo()
    {
        const auto r = parseDuration(u" -5 ms"_s);
        QVERIFY(!r.value);
        QVERIFY2(r.error.contains(u"must not be negative"_s), qPrintable(r.error));
        QVERIFY2(!r.error.contains(u"not a duration"_s), qPrintable(r.error));
    }
    void readable_data()
    {
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << qint64(0) << u"0 ms"_s;
        QTest::addRow("micro") << qint64(250) << u"250 us"_s;
        QTest::addRow("rounds to ms") << qint64(999'700) << u"1 s"_s;
        QTest::addRow("three digits") << qint64(237'974) << u"238 ms"_s;
        QTest::addRow("one decimal") << qint64(12'345) << u"12.3 ms"_s;
        QTest::addRow("two decimals") << qint64(1'236) << u"1.24 ms"_s;
        QTest::addRow("trailing zeros") << qint64(2'500'000) << u"2.5 s"_s;
        QTest::addRow("whole seconds") << qint64(3'000'000) << u"3 s"_s;
        QTest::addRow("minutes") << qint64(150'000'000) << u"2.5 min"_s;
        QTest::addRow("hours") << qint64(3 * 3'600'000'000LL) << u"3 h"_s;
    }
    void readable()
    {
        QFETCH(qint64, micros);
        QFETCH(QString, text);
        QCOMPARE(formatDurationReadable(Duration(micros)), text);
    }
    void clamps()
    {
        QCOMPARE(clampMicros(-1.0), Duration::zero());
        QCOMPARE(clampMicros(std::nan("")), Duration::zero());
        QCOMPARE(clampMicros(1e300), kMaxDuration);
        QCOMPARE(clampMicros(std::numeric_limits<double>::infinity()), kMaxDuration);
    }
};

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
