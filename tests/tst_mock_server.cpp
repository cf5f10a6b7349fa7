// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in flaky server over real sockets on 127.0.0.1, on ports the OS picks.
#include "http/outcome.h"
#include "mock/mock_server_host.h"
#include "mock_server_sockets.h"

#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::OutcomeClass)

class TestMockServer : public QObject, public MockServerSockets
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_server.reset(); }

    void plainRoute()
    {
        start(*FaultProfile::ready(u"healthy"_s));
        const auto r = call("GET", u"/anything"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(!r.header("Date").isEmpty());
        QCOMPARE(object(r.body).value(u"path"_s).toString(), u"/anything"_s);
        QCOMPARE(call("HEAD", u"/x"_s).status, 200);
        QCOMPARE(m_server->stats().requests, 2);
    }

    // Each connection fault, seen by a real client. The note lists the QNetworkReply error.
    void connectionFaults_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QNetworkReply::NetworkError>("error");
        QTest::addColumn<OutcomeClass>("outcome");
        QTest::addRow("reset") << u"reset"_s << QNetworkReply::RemoteHostClosedError
                               << OutcomeClass::ConnectionReset;
        QTest::addRow("close") << u"close"_s << QNetworkReply::RemoteHostClosedError
                               << OutcomeClass::ConnectionReset;
        QTest::addRow("hang") << u"hang"_s << QNetworkReply::OperationCanceledError
                              << OutcomeClass::Timeout;
        QTest::addRow("truncate") << u"truncate"_s << QNetworkReply::RemoteHostClosedError
                                  << OutcomeClass::ConnectionReset;
        // Qt 6.4 reports bytes that are not HTTP as the host closing the connection.
        QTest::addRow("garbage") << u"garbage"_s << QNetworkReply::RemoteHostClosedError
                                 << OutcomeClass::ConnectionReset;
        QTest::addRow("commit then lose")
            << u"commitThenLose"_s << QNetworkReply::RemoteHostClosedError
            << OutcomeClass::ConnectionReset;
    }
    void connectionFaults()
    {
        QFETCH(QString, fault);
        QFETCH(QNetworkReply::NetworkError, error);
        QFETCH(OutcomeClass, outcome);
        FaultProfile p;
        auto &f = p.routes.front().faults;
        if (fault == u"reset"_s)
            f.reset = 1;
        if (fault == u"close"_s)
            f.close = 1;
        if (fault == u"hang"_s)
            f.hang = 1;
        if (fault == u"truncate"_s)
            f.truncate = 1;
        if (fault == u"garbage"_s)
            f.garbage = 1;
        if (fault == u"commitThenLose"_s)
            f.commitThenLose = 1;
        start(p);
        const auto r = call("GET", u"/x"_s, {}, {}, 700);
        QCOMPARE(r.error, error);
        // The per-attempt timeout aborts the reply; the engine reports that as a timeout.
        const bool ourTimeout = r.error == QNetworkReply::OperationCanceledError;
        QCOMPARE(outcome::fromNetworkError(r.error, ourTimeout), outcome);
        if (fault == u"hang"_s)
            QVERIFY(r.elapsedMs >= 600);
        const auto journal = m_server->journal().since(0);
        QCOMPARE(journal.front().decision,
                 fault == u"commitThenLose"_s ? u"commit-then-lose"_s : fault);
        // The server is still fine for the next client.
        m_server->setProfile(FaultProfile{});
        QCOMPARE(call("GET", u"/x"_s).status, 200);
    }

    void slowBodyArrivesWhole()
    {
        FaultProfile p;
        p.routes.front().faults.slowBody = 1;
        p.routes.front().faults.slowBodyChunks = 4;
        p.routes.front().faults.slowBodyMs = 400;
        start(p);
        const auto r = call("GET", u"/slow"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(object(r.body).value(u"path"_s).toString(), u"/slow"_s);
        QVERIFY2(r.elapsedMs >= 380, qPrintable(QString::number(r.elapsedMs)));
    }

    void latencyIsApplied()
    {
        FaultProfile p;
        p.routes.front().latency.ms = 150;
        start(p);
        const auto r = call("GET", u"/x"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.elapsedMs >= 150);
    }

    void statusMixOverSockets()
    {
        start(*FaultProfile::ready(u"flaky-503"_s), 7);
        QHash<int, int> seen;
        for (int i = 0; i < 100; ++i)
            ++seen[call("GET", u"/x"_s, {{"X-Client-Id", "c" + QByteArray::number(i)}}).status];
        const auto byStatus = m_server->stats().byStatus;
        for (const int s : {200, 503, 429})
            QCOMPARE(byStatus.value(s), seen.value(s));
        QVERIFY(seen.value(200) > 50 && seen.value(503) > 5);
        // A 503 carries Retry-After in [1, 3] and a Date.
        FaultProfile only503 = *FaultProfile::ready(u"flaky-503"_s);
        only503.routes.front().statuses = {{503, 1}};
        only503.routes.front().faults = {};
        m_server->setProfile(only503);
        const auto r = call("GET", u"/x"_s);
        QCOMPARE(r.status, 503);
        const int ra = r.header("Retry-After").toInt();
        QVERIFY(ra >= 1 && ra <= 3);
    }
    void malformedRequestsGetProperAnswers_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addRow("garbage") << QByteArray("\x01\x02 nonsense\r\n\r\n")
                                 << QByteArray("HTTP/1.1 400");
        QTest::addRow("bad version")
            << QByteArray("GET / HTTP/9\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::addRow("header without colon")
            << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::addRow("bare LF") << QByteArray("GET / HTTP/1.1\r\nHost: x\nA: b\r\n\r\n")
                                 << QByteArray("HTTP/1.1 400");
        QTest::addRow("unknown method")
            << QByteArray("BREW / HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("HTTP/1.1 501");
        QTest::addRow("huge header")
            << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX: " + QByteArray(20000, 'a') + "\r\n\r\n")
            << QByteArray("HTTP/1.1 431");
        QTest::addRow("endless header")
            << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(40000, 'a'))
            << QByteArray("HTTP/1.1 431");
        QTest::addRow("body too large")
            << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
            << QByteArray("HTTP/1.1 413");
        QTest::addRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n")
                                    << QByteArray("HTTP/1.1 400");
        // Chunked bodies are read; a coding the server cannot decode is not implemented.
        QTest::addRow("gzip coding")
            << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
            << QByteArray("HTTP/1.1 501");
        QTest::addRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n")
                                << QByteArray("HTTP/1.1 505");
    }
    void malformedRequestsGetProperAnswers()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, statusLine);
        start(FaultProfile{});
        const QByteArray answer = raw(request);
        QVERIFY2(answer.startsWith(statusLine), answer.left(200).constData());
        QVERIFY(answer.contains("Connection: close"));
        // And the server goes on serving others.
        QCOMPARE(call("GET", u"/x"_s).status, 200);
        QCOMPARE(m_server->stats().refused, 1);
    }

    void pipelinedAndSplitRequests()
    {
        start(FaultProfile{});
        // One request delivered a byte at a time, then two in one packet.
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_server->url().port());
        QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
        const QByteArray one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        for (const char c : one) {
            s.write(&c, 1);
            s.flush();
            QTest::qWait(1);
        }
        QByteArray got;
        QTRY_VERIFY_WITH_TIMEOUT((got += s.readAll()).contains("\"/a\""), 3000);
        QVERIFY(got.startsWith("HTTP/1.1 200"));
    }

    void idleConnectionsAreClosed()
    {
        FaultProfile p;
        p.limits.idleTimeout = 300ms;
        start(p);
        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, m_server->url().port());
        QTRY_COMPARE(slow.state(), QAbstractSocket::ConnectedState);
        slow.write("GET / HTTP/1.1\r\nHost: x\r\n"); // and never finishes
        QElapsedTimer t;
        t.start();
        QCOMPARE(call("GET", u"/x"_s).status, 200); // others are served meanwhile
        QTRY_COMPARE_WITH_TIMEOUT(slow.state(), QAbstractSocket::UnconnectedState, 3000);
        QVERIFY(t.elapsed() >= 250);
    }

    void abruptDisconnectsDoNotHurt()
    {
        FaultProfile p;
        p.routes.front().latency.ms = 200;
        start(p);
        for (int i = 0; i < 20; ++i) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_server->url().port());
            QTRY_COMPARE(s.state(), QAbstractSocket::ConnectedState);
            s.write(i % 2 ? "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                          : "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab");
            s.flush();
            s.abort();
        }
        QTest::qWait(300); // the delayed answers find their sockets gone
        QCOMPARE(call("GET", u"/x"_s).status, 200);
        QCOMPARE(m_server->stats().inFlight, 0);
    }

    // Many clients at once, in the server's own thread, while the profile changes under them.
    void concurrentClientsWhileProfileChanges()
    {
        MockServerHost host;
        QString error;
        QVERIFY2(
            host.start(*FaultProfile::ready(u"healthy"_s), 3, QHostAddress::LocalHost, 0, &error),
            qPrintable(error));
        FaultProfile flaky = *FaultProfile::ready(u"flaky-503"_s);
        flaky.routes.front().faults = {}; // statuses only: every request gets an answer
        std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
        for (int i = 0; i < 8; ++i)
            nams.push_back(std::make_unique<QNetworkAccessManager>());
        const int total = 400;
        int finished = 0;
        int failures = 0;
        QHash<int, int> statuses;
        for (int i = 0; i < total; ++i) {
            QNetworkRequest req(host.url().resolved(QUrl(u"/load"_s)));
            req.setRawHeader("X-Client-Id", QByteArray::number(i));
            QNetworkReply *reply = nams[static_cast<std::size_t>(i % 8)]->get(req);
            connect(reply, &QNetworkReply::finished, this, [&, reply] {
                ++finished;
                if (reply->error() != QNetworkReply::NoError &&
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 0)
                    ++failures;
                ++statuses[reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()];
                reply->deleteLater();
            });
            if (i == total / 4)
                host.setProfile(flaky);
            if (i == total / 2)
                host.setProfile(*FaultProfile::ready(u"healthy"_s));
            if (i == 3 * total / 4)
                host.setProfile(flaky);
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, total, 30000);
        QCOMPARE(failures, 0);
        QVERIFY(statuses.value(503) + statuses.value(429) > 0); // the flaky phases showed
        const ServerStats stats = host.stats();
        QCOMPARE(stats.requests, total);
        QCOMPARE(stats.inFlight, 0);
        QCOMPARE(host.profile().name, u"flaky-503"_s);
        host.stop();
        QVERIFY(!host.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestMockServer)
#include "tst_mock_server.moc"
