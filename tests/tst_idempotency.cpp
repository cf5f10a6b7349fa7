// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/idempotency.h"

#include <QRegularExpression>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestIdempotency : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void methods_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("idempotent");
        for (const char *m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "get"})
            QTest::addRow("%s", m) << QByteArray(m) << true;
        for (const char *m : {"POST", "PATCH", "CONNECT", "FOO"})
            QTest::addRow("%s", m) << QByteArray(m) << false;
    }
    void methods()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, idempotent);
        QCOMPARE(isIdempotentMethod(method), idempotent);
    }

    void keysAreSeededUuids()
    {
        RandomSource a(9);
        RandomSource b(9);
        const QString k = makeIdempotencyKey(a);
        QCOMPARE(makeIdempotencyKey(b), k);
        static const QRegularExpression uuid4(
            u"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"_s);
        QVERIFY2(uuid4.match(k).hasMatch(), qPrintable(k));
        QVERIFY(makeIdempotencyKey(a) != k);
    }

    void parse_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("quoted");
        QTest::addRow("IETF quoted") << QByteArray("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")
                                     << u"8e03978e-40d5-43e8-bc93-6894a57f9324"_s << true;
        QTest::addRow("Stripe bare")
            << QByteArray("KG5LxwFBepaKHyUD") << u"KG5LxwFBepaKHyUD"_s << false;
        QTest::addRow("escaped quote") << QByteArray(R"("a\"b")") << u"a\"b"_s << true;
        QTest::addRow("surrounding space") << QByteArray("  abc ") << u"abc"_s << false;
    }
    void parse()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, key);
        QFETCH(bool, quoted);
        const auto r = parseIdempotencyKey(value);
        QVERIFY2(r.key, qPrintable(r.error));
        QCOMPARE(*r.key, key);
        QCOMPARE(r.syntax == IdempotencyKeySyntax::Quoted, quoted);
        QCOMPARE(parseIdempotencyKey(formatIdempotencyKey(key, r.syntax)).key, key);
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addRow("empty") << QByteArray("");
        QTest::addRow("empty string") << QByteArray("\"\"");
        QTest::addRow("unterminated") << QByteArray("\"abc");
        QTest::addRow("text after quote") << QByteArray("\"abc\"x");
        QTest::addRow("space inside bare") << QByteArray("a b");
        QTest::addRow("too long") << QByteArray(256, 'k');
        QTest::addRow("bad escape") << QByteArray(R"("a\nb")");
    }
    void rejects()
    {
        QFETCH(QByteArray, value);
        const auto r = parseIdempotencyKey(value);
        QVERIFY(!r.key);
        QVERIFY(!r.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestIdempotency)
#include "tst_idempotency.moc"
