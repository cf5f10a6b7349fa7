// SPDX-License-Identifier: GPL-3.0-or-later
// What a person probing an endpoint reads about one exchange, as curl -v would show it: the
// request exactly as our own stack wrote it (secrets redacted), the HTTP version of the answer
// (an HTTP/1.0 server is not labelled HTTP/1.1), and the first bytes of the body, kept in the
// attempt log and carried into JSON Lines and HAR.
#include "log/attempt_fields.h"
#include "log/curl_timings.h"
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

Q_DECLARE_METATYPE(retrylab::PhaseTimings)

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

        // The phases of the exchange, as curl -w would print them.
        QVERIFY(r.phases.known());
        const QList<CurlTimingRow> rows = curlTimingRows(r.phases);
        QVERIFY(!rows.isEmpty());
        QCOMPARE(rows.constLast().curlName, u"time_total"_s);
        QCOMPARE(rows.constFirst().phase, u"DNS"_s);
    }

    // The phases as curl -w prints them: each phase's length, and at its end the time since
    // the lookup under curl's name; a wait for a free connection stands outside curl's clock.
    void curlTimings_data()
    {
        QTest::addColumn<PhaseTimings>("phases");
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QStringList>("values");
        QTest::addColumn<QString>("dns");
        PhaseTimings fresh;
        fresh.dnsUs = 100;
        fresh.connectUs = 300;
        fresh.sendUs = 20;
        fresh.waitUs = 2000;
        fresh.receiveUs = 80;
        const QStringList all{u"time_namelookup"_s,  u"time_connect"_s,       u"time_appconnect"_s,
                              u"time_pretransfer"_s, u"time_starttransfer"_s, u"time_total"_s};
        QTest::addRow("plain http, new connection")
            << fresh << all << QStringList{u"0.000100"_s, u"0.000400"_s, u"0.000000"_s,
                                           u"0.000420"_s, u"0.002420"_s, u"0.002500"_s}
            << u"100 us"_s;
        PhaseTimings tls = fresh;
        tls.tlsUs = 5000;
        tls.blockedUs = 7000; // before curl's clock: no effect on its times
        QTest::addRow("https, after waiting for a connection")
            << tls << all << QStringList{u"0.000100"_s, u"0.000400"_s, u"0.005400"_s,
                                         u"0.005420"_s, u"0.007420"_s, u"0.007500"_s}
            << u"100 us"_s;
        PhaseTimings reused;
        reused.reused = true;
        reused.sendUs = 10;
        reused.waitUs = 1'500'000;
        reused.receiveUs = 5;
        QTest::addRow("reused connection")
            << reused << all << QStringList{u"0.000000"_s, u"0.000000"_s, u"0.000000"_s,
                                            u"0.000010"_s, u"1.500010"_s, u"1.500015"_s}
            << u"– (reused connection)"_s;
        PhaseTimings refused;
        refused.dnsUs = 50;
        refused.connectUs = 7000;
        QTest::addRow("connect failed")
            << refused << QStringList{u"time_namelookup"_s, u"time_connect"_s}
            << QStringList{u"0.000050"_s, u"0.007050"_s} << u"50 us"_s;
        QTest::addRow("never sent")
            << PhaseTimings() << QStringList() << QStringList() << QString();
    }
    void curlTimings()
    {
        QFETCH(PhaseTimings, phases);
        QFETCH(QStringList, names);
        QFETCH(QStringList, values);
        QFETCH(QString, dns);
        QStringList gotNames;
        QStringList gotValues;
        QString gotDns;
        for (const CurlTimingRow &row : curlTimingRows(phases)) {
            if (!row.curlName.isEmpty()) {
                gotNames << row.curlName;
                gotValues << row.curlValue;
            }
            if (row.phase == u"DNS"_s)
                gotDns = row.took;
        }
        QCOMPARE(gotNames, names);
        QCOMPARE(gotValues, values);
        QCOMPARE(gotDns, dns);
        // The text lines: one per row, each curl name once.
        const QStringList lines = curlTimingLines(phases);
        QCOMPARE(lines.size(), curlTimingRows(phases).size());
        for (const QString &name : names)
            QCOMPARE(lines.filter(name).size(), 1);
    }
};

QTEST_MAIN(TestProbeExchange)
#include "tst_probe_exchange.moc"
