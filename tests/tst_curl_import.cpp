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
        const auto r =
            importCurl(u"curl -s -k --connect-timeout 3 -d @body.json https://h.test/"_s);
        QVERIFY(r.ok);
        QCOMPARE(r.ignored.size(), 4); // -s, -k, --connect-timeout 3, the file
        QVERIFY(r.ignored.join(u'\n').contains(u"--connect-timeout"_s));
        QVERIFY(r.ignored.join(u'\n').contains(u"@body.json"_s));
        QVERIFY(!r.policy); // no retry option: the person's own policy stays
    }

    // curl(1), --retry: "it first waits one second and then for all forthcoming retries it
    // doubles the waiting time until it reaches 10 minutes"; "Transient error means either: a
    // timeout, an FTP 4xx response code or an HTTP 408, 429, 500, 502, 503 or 504 response
    // code"; "curl complies with the Retry-After: response header" (7.66.0); --retry-delay
    // "disables this exponential backoff algorithm"; --retry-max-time caps the time for retries;
    // --max-time is "the longest time a single of these transfers is allowed to spend".
    void retryOptionsBecomeCurlsPolicy()
    {
        const auto r = importCurl(u"curl --retry 3 --retry-max-time 120 -m 2.5 -f "
                                  "-X POST -d x http://h.test/pay"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.ignored.isEmpty());
        QVERIFY(r.policy);
        const RetryPolicy &p = r.policy->retry;
        QCOMPARE(p.maxAttempts, 4);
        QCOMPARE(p.totalBudget, Duration(120'000'000));
        QCOMPARE(p.attemptTimeout, Duration(2'500'000));
        QCOMPARE(p.retryAfterMode, RetryAfterMode::Honour);
        QVERIFY(!r.policy->breaker.enabled);
        QVERIFY(p.isRetryable({OutcomeClass::ServerError, 503, std::nullopt, std::nullopt}, false));
        QVERIFY(p.isRetryable({OutcomeClass::ClientError, 429, std::nullopt, std::nullopt}, false));
        QVERIFY(
            !p.isRetryable({OutcomeClass::ServerError, 501, std::nullopt, std::nullopt}, false));
        QVERIFY(
            !p.isRetryable({OutcomeClass::ClientError, 404, std::nullopt, std::nullopt}, false));
        QVERIFY(p.isRetryable({OutcomeClass::Timeout, 0, std::nullopt, std::nullopt}, false));
        QVERIFY(!p.isRetryable({OutcomeClass::ConnectionRefused, 0, std::nullopt, std::nullopt},
                               false));
        QVERIFY(r.policyNote.contains(u"3 retries"_s));

        // The waits a rehearsal of 503s plans: 1 s, 2 s, 4 s, then the stop.
        RetryPolicy unlimited = p;
        unlimited.totalBudget = Duration::zero();
        const auto plan = rehearse(unlimited, 1);
        QCOMPARE(plan.size(), 4);
        QCOMPARE(plan[0].delay, Duration(1'000'000));
        QCOMPARE(plan[1].delay, Duration(2'000'000));
        QCOMPARE(plan[2].delay, Duration(4'000'000));
        QVERIFY(!plan[3].retry);
    }

    void retryDelayAndAllErrors()
    {
        auto r = importCurl(u"curl --retry 2 --retry-delay 3 --retry-connrefused http://h.test/"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.policy->retry.backoff.kind, BackoffKind::Fixed);
        QCOMPARE(r.policy->retry.backoff.base, Duration(3'000'000));
        QVERIFY(r.policy->retry.isRetryable(
            {OutcomeClass::ConnectionRefused, 0, std::nullopt, std::nullopt}, false));
        QVERIFY(!r.policy->retry.isRetryable(
            {OutcomeClass::ConnectionReset, 0, std::nullopt, std::nullopt}, false));

        // --retry-all-errors: every transfer error; a 404 only when --fail makes it one.
        r = importCurl(u"curl --retry 2 --retry-all-errors http://h.test/"_s);
        const AttemptResult notFound{OutcomeClass::ClientError, 404, std::nullopt, std::nullopt};
        QVERIFY(r.policy->retry.isRetryable(
            {OutcomeClass::ConnectionReset, 0, std::nullopt, std::nullopt}, false));
        QVERIFY(!r.policy->retry.isRetryable(notFound, false));
        r = importCurl(u"curl --retry 2 --retry-all-errors --fail http://h.test/"_s);
        QVERIFY(r.policy->retry.isRetryable(notFound, false));
    }

    void userBecomesBasicAuthorization()
    {
        const auto r = importCurl(u"curl -u alice:s3cret http://h.test/"_s);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.headers.size(), 1);
        QCOMPARE(r.headers[0].first, QByteArray("Authorization"));
        QCOMPARE(r.headers[0].second, QByteArray("Basic YWxpY2U6czNjcmV0"));
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
        QTest::addRow("retry word") << u"curl --retry many http://h.test/"_s
                                    << u"--retry needs a whole number, got 'many'"_s;
        QTest::addRow("negative time")
            << u"curl -m -1 http://h.test/"_s << u"-m needs a number of seconds"_s;
        QTest::addRow("user without password")
            << u"curl -u alice http://h.test/"_s << u"would ask for the password"_s;
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
