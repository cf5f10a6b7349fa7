// SPDX-License-Identifier: GPL-3.0-or-later
// Retry Lab's own HTTP/1.1 client against a loopback server that misbehaves on purpose: every
// way a response can end is a classified outcome with a reason, nothing hangs, nothing is sent
// twice, and connections are reused as the scenario says (the phases: tst_wire_phases).
#include "scripted_http_server.h"
#include "transport/wire_transport.h"
#include "wire_calls.h"

#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;
using Then = ScriptedAnswer::Then;

class TestWireClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Headers promise 1000 bytes, 10 arrive, the server closes: a failure, never a success.
    void truncatedBodyIsAFailure_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
        QTest::addRow("chunked, no last chunk")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
        QTest::addRow("head only") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n");
    }
    void truncatedBodyIsAFailure()
    {
        QFETCH(QByteArray, answer);
        for (const Then then : {Then::Close, Then::Reset}) {
            ScriptedHttpServer server([&](const ScriptedRequest &) {
                return ScriptedAnswer{answer, then};
            });
            WireTransport t(urlOf(server), {});
            const auto r = sendInTurn(t, {get(1)}).front();
            QCOMPARE(r.outcome, OutcomeClass::ConnectionReset);
            QCOMPARE(r.status, 0);
            QVERIFY2(r.error.contains(u"cut short"_s) || r.error.contains(u"before the answer"_s),
                     qPrintable(r.error));
            QCOMPARE(server.requests().size(), 1);
        }
    }

    // Status lines that are not HTTP/1.1 are classified failures with the reason, each one
    // attempt on the wire (Qt turned one into four arrivals).
    void nonsenseStatusLinesAreFailures_data()
    {
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addRow("negative") << QByteArray("HTTP/1.1 -1 Neg");
        QTest::addRow("zero") << QByteArray("HTTP/1.1 000 Zero");
        QTest::addRow("overflow") << QByteArray("HTTP/1.1 99999");
        QTest::addRow("letters") << QByteArray("HTTP/1.1 abc");
        QTest::addRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2");
        QTest::addRow("600") << QByteArray("HTTP/1.1 600 Beyond");
    }
    void nonsenseStatusLinesAreFailures()
    {
        QFETCH(QByteArray, statusLine);
        ScriptedHttpServer server([&](const ScriptedRequest &) {
            return ScriptedAnswer{statusLine + "\r\nContent-Length: 0\r\n\r\n", Then::Close};
        });
        WireTransport t(urlOf(server), {});
        const auto r = sendInTurn(t, {get(1)}).front();
        QCOMPARE(r.outcome, OutcomeClass::NetworkOther);
        QCOMPARE(r.status, 0);
        QVERIFY2(r.error.startsWith(u"malformed response: "_s), qPrintable(r.error));
        QTest::qWait(50); // time for a re-sent request to arrive, if one were sent
        QCOMPARE(server.requests().size(), 1);
    }

    // The server answers the first request and drops the connection on the second: the second
    // attempt fails as a reset on a reused connection and is not sent again.
    void resetOnReusedConnectionIsNotResent_data()
    {
        QTest::addColumn<int>("then");
        QTest::addRow("close") << int(Then::Close);
        QTest::addRow("reset") << int(Then::Reset);
    }
    void resetOnReusedConnectionIsNotResent()
    {
        QFETCH(int, then);
        ScriptedHttpServer server([&](const ScriptedRequest &r) {
            if (r.onConnection == 0)
                return ScriptedAnswer{ScriptedHttpServer::ok(), Then::Keep};
            return ScriptedAnswer{{}, Then(then)};
        });
        WireTransport t(urlOf(server), {});
        const auto r = sendInTurn(t, {get(1), get(2)});
        QCOMPARE(r[0].outcome, OutcomeClass::Success);
        QCOMPARE(r[1].outcome, OutcomeClass::ConnectionReset);
        QVERIFY2(r[1].error.endsWith(u"on a reused connection"_s), qPrintable(r[1].error));
        QVERIFY(r[1].phases.reused);
        QTest::qWait(50);
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.connections(), 1);
        // The next attempt opens a new connection.
        const auto third = sendInTurn(t, {get(3)}).front();
        QCOMPARE(third.outcome, OutcomeClass::Success);
        QVERIFY(!third.phases.reused);
        QCOMPARE(server.connections(), 2);
    }

    // Bodies by every framing: chunked, 1xx skipped, none for HEAD/204/304 (and the connection
    // still reusable after them), close-delimited.
    void framings_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("reusable");
        QTest::addRow("chunked") << QByteArray("GET")
                                 << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                                               "\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                                 << 200 << QByteArray("hello world") << true;
        QTest::addRow("100 then 201")
            << QByteArray("POST")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>"
                          "\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
            << 201 << QByteArray("ok") << true;
        QTest::addRow("HEAD") << QByteArray("HEAD")
                              << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n") << 200
                              << QByteArray() << true;
        QTest::addRow("204") << QByteArray("GET") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n")
                             << 204 << QByteArray() << true;
        QTest::addRow("304") << QByteArray("GET")
                             << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n")
                             << 304 << QByteArray() << true;
        QTest::addRow("close-delimited")
            << QByteArray("GET") << QByteArray("HTTP/1.1 200 OK\r\n\r\nuntil the close") << 200
            << QByteArray("until the close") << false;
        QTest::addRow("503") << QByteArray("GET")
                             << QByteArray("HTTP/1.1 503 Busy\r\nRetry-After: 2\r\n"
                                           "Content-Length: 0\r\n\r\n")
                             << 503 << QByteArray() << true;
    }
    void framings()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, answer);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, reusable);
        ScriptedHttpServer server([&](const ScriptedRequest &r) {
            if (r.onConnection > 0)
                return ScriptedAnswer{ScriptedHttpServer::ok(), Then::Keep};
            return ScriptedAnswer{answer, reusable ? Then::Keep : Then::Close};
        });
        WireTransport t(urlOf(server), {});
        const auto r = sendInTurn(t, {get(1, 0, method), get(2)});
        QCOMPARE(r[0].status, status);
        QCOMPARE(r[0].outcome, outcome::fromStatus(status));
        QCOMPARE(r[0].body, body);
        QCOMPARE(r[0].bodyBytes, body.size());
        QCOMPARE(r[1].outcome, OutcomeClass::Success);
        QCOMPARE(r[1].phases.reused, reusable);
        QCOMPARE(server.connections(), reusable ? 1 : 2);
        QCOMPARE(server.requests().front().head.left(method.size() + 1), method + ' ');
    }

    // A large body passes through: the first keepBodyBytes are kept, every byte counted.
    void largeBodiesAreCountedNotKept()
    {
        const QByteArray big(3 * 1024 * 1024, 'x');
        ScriptedHttpServer server([&](const ScriptedRequest &r) {
            if (r.onConnection == 0)
                return ScriptedAnswer{ScriptedHttpServer::ok(big), Then::Keep};
            return ScriptedAnswer{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                      QByteArray::number(big.size(), 16) + "\r\n" + big +
                                      "\r\n0\r\n\r\n",
                                  Then::Keep};
        });
        ClientOptions options;
        options.keepBodyBytes = 1000;
        WireTransport t(urlOf(server), options);
        for (const auto &r : sendInTurn(t, {get(1), get(2)})) {
            QCOMPARE(r.outcome, OutcomeClass::Success);
            QCOMPARE(r.body.size(), 1000);
            QCOMPARE(r.bodyBytes, big.size());
        }
    }

    void requestOnTheWire()
    {
        ScriptedHttpServer server(
            [](const ScriptedRequest &) { return ScriptedAnswer{ScriptedHttpServer::ok()}; });
        WireTransport t(urlOf(server), {});
        AttemptRequest post = get(1, 0, "POST");
        post.body = R"({"amount": 1})";
        sendInTurn(t, {post});
        const ScriptedRequest &r = server.requests().front();
        QVERIFY2(r.head.startsWith("POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:"), r.head.constData());
        QCOMPARE(r.header("X-Attempt"), QByteArray("1"));
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(r.body, post.body);
    }

    // keep-alive: one connection for a client's attempts; per-attempt: one each, with
    // Connection: close; new-after-failure: a fresh one after each failed attempt.
    void connectionModes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("connections");
        QTest::addRow("keep-alive") << int(ClientOptions::Connections::KeepAlive) << 1;
        QTest::addRow("per-attempt") << int(ClientOptions::Connections::PerAttempt) << 6;
        QTest::addRow("new-after-failure") << int(ClientOptions::Connections::NewAfterFailure) << 3;
    }
    void connectionModes()
    {
        QFETCH(int, mode);
        QFETCH(int, connections);
        // Attempts 2 and 4 get a 503.
        ScriptedHttpServer server([](const ScriptedRequest &r) {
            const bool fail = r.header("X-Attempt") == "2" || r.header("X-Attempt") == "4";
            return ScriptedAnswer{fail
                                      ? QByteArray("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")
                                      : ScriptedHttpServer::ok()};
        });
        ClientOptions options;
        options.connections = ClientOptions::Connections(mode);
        WireTransport t(urlOf(server), options);
        sendInTurn(t, {get(1), get(2), get(3), get(4), get(5), get(6)});
        QCOMPARE(server.connections(), connections);
        QCOMPARE(server.requests().size(), 6);
        const bool closes = options.connections == ClientOptions::Connections::PerAttempt;
        QCOMPARE(server.requests().front().header("Connection") == "close", closes);
    }

    // maxConnectionsPerHost 2 with 6 clients: never more than 2 connections, the others wait
    // (blocked) and are served in turn; 0 gives each client its own, no cap of 6.
    void connectionCap_data()
    {
        QTest::addColumn<int>("cap");
        QTest::addColumn<int>("clients");
        QTest::addRow("2 shared") << 2 << 6;
        QTest::addRow("one per client") << 0 << 20;
    }
    void connectionCap()
    {
        QFETCH(int, cap);
        QFETCH(int, clients);
        ScriptedHttpServer server(
            [](const ScriptedRequest &) { return ScriptedAnswer{ScriptedHttpServer::ok()}; });
        ClientOptions options;
        options.maxConnectionsPerHost = cap;
        WireTransport t(urlOf(server), options);
        QList<Call> calls(clients);
        for (int i = 0; i < clients; ++i)
            t.send(get(std::uint64_t(i + 1), std::uint32_t(i)),
                   [&calls, i](const AttemptResponse &r) {
                       calls[i].done = true;
                       calls[i].response = r;
                   });
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(calls.begin(), calls.end(), [](const Call &c) { return c.done; }), 10000);
        int blocked = 0;
        for (const Call &c : calls) {
            QCOMPARE(c.response.outcome, OutcomeClass::Success);
            blocked += c.response.phases.blockedUs >= 0;
        }
        QCOMPARE(server.requests().size(), clients);
        if (cap > 0) {
            QVERIFY(server.peakOpen() <= cap);
            QCOMPARE(server.connections(), cap);
            QCOMPARE(blocked, clients - cap);
        } else {
            QCOMPARE(server.connections(), clients);
            QCOMPARE(blocked, 0);
        }
    }

    void refusedAndUnknownHost()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        WireTransport refused(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)), {});
        const auto r = sendInTurn(refused, {get(1)}).front();
        QCOMPARE(r.outcome, OutcomeClass::ConnectionRefused);
        QVERIFY2(r.error.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(r.error));
        WireTransport unknown(QUrl(u"http://no-such-host.invalid/"_s), {});
        const auto d = sendInTurn(unknown, {get(1)}).front();
        QCOMPARE(d.outcome, OutcomeClass::Dns);
        QVERIFY2(d.error.startsWith(u"DNS: "_s), qPrintable(d.error));
    }

    // The engine's timeout cancels an attempt: its callback never comes, the connection is
    // closed rather than reused, and nothing is sent again.
    void cancelClosesTheConnection()
    {
        ScriptedHttpServer server([](const ScriptedRequest &r) {
            if (r.header("X-Attempt") == "1")
                return ScriptedAnswer{{}, Then::Hang};
            return ScriptedAnswer{ScriptedHttpServer::ok()};
        });
        WireTransport t(urlOf(server), {});
        bool called = false;
        t.send(get(1), [&](const AttemptResponse &) { called = true; });
        QTRY_COMPARE(server.requests().size(), 1);
        QTest::qWait(50);
        // A timed-out attempt keeps how far it got: connected, sent, waiting 50 ms so far.
        const PhaseTimings soFar = t.phasesSoFar(1);
        QVERIFY(soFar.connectUs >= 0 && soFar.sendUs >= 0);
        QVERIFY2(soFar.waitUs >= 40'000, qPrintable(QString::number(soFar.waitUs)));
        QCOMPARE(soFar.receiveUs, -1);
        t.cancel(1);
        QCOMPARE(t.phasesSoFar(1), PhaseTimings());
        QCOMPARE(t.connectionsOpen(), 0);
        const auto r = sendInTurn(t, {get(2)}).front();
        QCOMPARE(r.outcome, OutcomeClass::Success);
        QVERIFY(!r.phases.reused);
        QVERIFY(!called);
        QCOMPARE(server.requests().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestWireClient)
#include "tst_wire_client.moc"
