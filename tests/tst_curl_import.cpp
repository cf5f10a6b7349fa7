// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/curl_import.h"

#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestCurlImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void imports()
    {
        const auto r = importCurl(u"curl -X POST https://api.example.test/v1/payments -H "
                                  u"'Content-Type: application/json' "
                                  "-H \"Idempotency-Key: abc\" -d '{\"amount\": 100}'"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.url.host(), u"api.example.test"_s);
        QCOMPARE(r.url.path(), u"/v1/payments"_s);
        QCOMPARE(r.headers.size(), 2);
        QCOMPARE(r.headers[1].second, QByteArray("abc"));
        QCOMPARE(r.body, QByteArray(R"({"amount": 100})"));
        QVERIFY(r.ignored.isEmpty());
    }

    void dataImpliesPostAndJsonSetsHeaders()
    {
        auto r = importCurl(u"curl --json '{\"a\":1}' http://h.test/x"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(headerValues(r.headers, "content-type").value(0), QByteArray("application/json"));
        r = importCurl(u"curl -XPUT --data=x --url http://h.test/y"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.method, QByteArray("PUT"));
        QCOMPARE(r.body, QByteArray("x"));
        QCOMPARE(r.url.path(), u"/y"_s);
    }

    void continuationsAndQuotes()
    {
        const auto r = importCurl(u"curl \\\n  -H 'A: it'\\''s' \\\n  \"http://h.test/a b\""_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.headers.front().second, QByteArray("it's"));
    }

    void saysWhatItIgnored()
    {
        const auto r = importCurl(u"curl -s -k --retry 5 -d @body.json https://h.test/"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.ignored.size(), 4); // -s, -k, --retry 5, the file
        QVERIFY(r.ignored.join(u'\n').contains(u"--retry"_s));
        QVERIFY(r.ignored.join(u'\n').contains(u"@body.json"_s));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("says");
        QTest::addRow("not curl") << u"wget http://x"_s << u"does not start with curl"_s;
        QTest::addRow("no URL") << u"curl -X GET"_s << u"no URL"_s;
        QTest::addRow("open quote") << u"curl 'http://x"_s << u"not closed"_s;
        QTest::addRow("bad header") << u"curl -H nonsense http://h.test/"_s << u"Name: value"_s;
        QTest::addRow("ftp") << u"curl ftp://h.test/f"_s << u"not an http"_s;
        QTest::addRow("-G") << u"curl -G -d a=1 http://h.test/"_s << u"-G"_s;
        // Found by tests/fuzz/fuzz_curl: a line break inside quotes went into the header as it
        // was, and on the wire it would have split into a second header line.
        QTest::addRow("line break in a quoted header")
            << u"curl -H \"X-A: 1\nX-Injected: 2\" http://h.test/"_s << u"control character"_s;
        QTest::addRow("CR in a header name")
            << u"curl -H 'X\rY: 1' http://h.test/"_s << u"not a valid header name"_s;
        QTest::addRow("method with a space")
            << u"curl -X 'GET /admin HTTP/1.1' http://h.test/"_s << u"needs a method, got"_s;
        QTest::addRow("empty method") << u"curl -X '' http://h.test/"_s << u"needs a method"_s;
    }
    void errors()
    {
        QFETCH(QString, command);
        QFETCH(QString, says);
        const auto r = importCurl(command);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(says), qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestCurlImport)
#include "tst_curl_import.moc"
