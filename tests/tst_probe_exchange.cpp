// SPDX-License-Identifier: GPL-3.0-or-later
// What a person probing an endpoint reads about one exchange, as curl -v would show it: the
// request exactly as our own stack wrote it (secrets redacted), the HTTP version of the answer
// (an HTTP/1.0 server is not labelled HTTP/1.1), and the first bytes of the body, kept in the
// attempt log and carried into JSON Lines and HAR.
#include "log/attempt_fields.h"
#include "log/har_export.h"
#include "log/jsonl_log.h"
#include "log/redactor.h"
#include "run/run_controller.h"
#include "scripted_http_server.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;
using Then = ScriptedAnswer::Then;

class TestProbeExchange : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneExchangeIsKeptAsItHappened()
    {
        ScriptedHttpServer server([](const ScriptedRequest &) {
            return ScriptedAnswer{"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello, "
                                  "probe",
                                  Then::Close};
        });
        Scenario s;
        s.builtinServer = false;
        s.url = QUrl(u"http://127.0.0.1:%1/"_s.arg(server.port()));
        s.path = u"/status?verbose=1"_s;
        s.headers = {{"Authorization", "Bearer s3cret"}, {"Accept", "text/plain"}};
        s.clients = 1;
        s.operationsPerClient = 1;
        s.policy.retry.maxAttempts = 1;
        RunController run;
        QSignalSpy finished(&run, &RunController::runFinished);
        run.start(s);
        QVERIFY(finished.wait(20000));
        const auto log = run.log();
        QCOMPARE(log->size(), std::size_t(1));
        const AttemptRecord r = log->at(0);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.httpVersion, 10);
        QCOMPARE(log->string(r.responseBody), u"hello, probe"_s);

        // The request as written: the request line, Host and the fields Retry Lab adds.
        const QString sent = requestSentOf(r, *log, Redactor());
        QVERIFY2(sent.startsWith(u"GET /status?verbose=1 HTTP/1.1\nHost: 127.0.0.1:"_s),
                 qPrintable(sent));
        QVERIFY(sent.contains(u"X-Attempt: 1"_s));
        QVERIFY(sent.contains(u"Authorization: [redacted]"_s));
        QVERIFY(!sent.contains(u"s3cret"_s));
        QVERIFY(requestSentOf(r, *log, Redactor::none()).contains(u"Bearer s3cret"_s));

        const QJsonObject line = attemptToJson(r, *log, 1, Redactor());
        QCOMPARE(line[u"httpVersion"_s].toString(), u"HTTP/1.0"_s);
        QCOMPARE(line[u"responseBody"_s].toString(), u"hello, probe"_s);
        QVERIFY(!line[u"requestSent"_s].toString().contains(u"s3cret"_s));
        AttemptLog back;
        QString error;
        const auto read = attemptFromJson(line, back, &error);
        QVERIFY2(read, qPrintable(error));
        QCOMPARE(read->httpVersion, 10);
        QCOMPARE(back.string(read->responseBody), u"hello, probe"_s);

        const QJsonObject entry =
            toHar(*log, Redactor())[u"log"_s][u"entries"_s].toArray().at(0).toObject();
        QCOMPARE(entry[u"response"_s][u"httpVersion"_s].toString(), u"HTTP/1.0"_s);
        QCOMPARE(entry[u"response"_s][u"content"_s][u"text"_s].toString(), u"hello, probe"_s);
        QStringList names;
        for (const QJsonValue &h : entry[u"request"_s][u"headers"_s].toArray())
            names << h[u"name"_s].toString();
        QVERIFY2(names.contains(u"Host"_s), qPrintable(names.join(u", "_s)));
        QVERIFY(names.contains(u"X-Attempt"_s));
    }
};

QTEST_MAIN(TestProbeExchange)
#include "tst_probe_exchange.moc"
