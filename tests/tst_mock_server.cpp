// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in flaky server over real sockets on 127.0.0.1, on ports the OS picks.
#include "http/outcome.h"
#include "http_test_client.h"
#include "mock/mock_server.h"
#include "mock/mock_server_host.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::OutcomeClass)

namespace {

FaultProfile statusOnly(int status)
{
    FaultProfile p;
    p.routes.front().statuses = {{status, 1.0}};
    return p;
}

QJsonObject object(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

const QByteArray kPayment = R"({"amount": 1000, "currency": "USD"})";

} // namespace

class TestMockServer : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MockServer> m_server;
    QNetworkAccessManager m_nam;

    QUrl start(const FaultProfile &profile, std::uint64_t seed = 1)
    {
        m_server = std::make_unique<MockServer>(profile, seed);
        QString error;
        if (!m_server->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("listen: %s", qPrintable(error));
        m_nam.clearConnectionCache();
        return m_server->url();
    }
    QUrl at(const QString &path) const { return m_server->url().resolved(QUrl(path)); }
    HttpResult call(const QByteArray &method, const QString &path,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {},
                    const QByteArray &body = {}, int timeoutMs = 10000)
    {
        return httpCall(m_nam, method, at(path), headers, body, timeoutMs);
    }
    // A raw exchange, for what QNetworkAccessManager would not send (or would resend: Qt
    // silently re-sends a request once when the connection dies before any answer). The
    // server runs on this thread, so the wait spins the event loop instead of blocking.
    QByteArray raw(const QByteArray &bytes, int waitMs = 3000)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_server->url().port());
        s.write(bytes);
        QByteArray out;
        QElapsedTimer t;
        t.start();
        do {
            QTest::qWait(10);
            out += s.readAll();
        } while (s.state() != QAbstractSocket::UnconnectedState && t.elapsed() < waitMs);
        return out + s.readAll();
    }

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

    // core/http/README.md's idempotency key answers, over HTTP.
    void idempotencyOverHttp()
    {
        FaultProfile p;
        p.routes.front().latency.ms = 300; // long enough to see "in flight"
        start(p);
        const QList<QPair<QByteArray, QByteArray>> key{{"Idempotency-Key", "\"k-1\""}};
        // Two at once with the same key: one is processed, the other is told 409.
        QNetworkRequest req(at(u"/payments"_s));
        req.setRawHeader("Idempotency-Key", "\"k-1\"");
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkAccessManager other;
        QNetworkReply *a = m_nam.post(req, kPayment);
        QTest::qWait(50);
        QNetworkReply *b = other.post(req, kPayment);
        QTRY_VERIFY_WITH_TIMEOUT(a->isFinished() && b->isFinished(), 5000);
        QCOMPARE(a->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        QCOMPARE(b->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 409);
        const QByteArray created = a->readAll();
        a->deleteLater();
        b->deleteLater();
        // Same key and payload after it finished: the stored answer, marked as a replay.
        auto r = call("POST", u"/payments"_s, key, kPayment);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(r.body, created);
        // Same key, other payload: 422.
        r = call("POST", u"/payments"_s, key, R"({"amount": 5, "currency": "USD"})");
        QCOMPARE(r.status, 422);
        // The bare (Stripe) syntax names the same key as the quoted one...
        r = call("POST", u"/payments"_s, {{"Idempotency-Key", "k-1"}}, kPayment);
        QCOMPARE(r.header("Idempotent-Replayed"), QByteArray("true"));
        // ...and a new bare key is a new payment.
        r = call("POST", u"/payments"_s, {{"Idempotency-Key", "k-2"}}, kPayment);
        QCOMPARE(r.status, 201);
        QVERIFY(r.header("Idempotent-Replayed").isEmpty());
        QCOMPARE(m_server->ledger().payments(), 2);
        QCOMPARE(m_server->ledger().duplicates(), 0);
        // A malformed key is refused.
        r = call("POST", u"/payments"_s, {{"Idempotency-Key", "\"open"}}, kPayment);
        QCOMPARE(r.status, 400);
        // Stripe mode: a reused key with another payload is a 400 idempotency_error.
        p.idempotency.mode = u"stripe"_s;
        p.idempotency.required = true;
        m_server->setProfile(p);
        r = call("POST", u"/payments"_s, key, R"({"amount": 6, "currency": "USD"})");
        QCOMPARE(r.status, 400);
        QCOMPARE(object(r.body).value(u"error"_s).toObject().value(u"type"_s).toString(),
                 u"idempotency_error"_s);
        // Required and missing: 400.
        r = call("POST", u"/payments"_s, {}, kPayment);
        QCOMPARE(r.status, 400);
        QVERIFY(r.body.contains("required"));
        // An invalid payment body: 400, nothing charged.
        r = call("POST", u"/payments"_s, {{"Idempotency-Key", "x"}}, "{\"amount\": -1}");
        QCOMPARE(r.status, 400);
        QCOMPARE(m_server->ledger().payments(), 2);
    }

    void retentionWindow()
    {
        FaultProfile p;
        p.idempotency.retention = 300ms;
        start(p);
        const QList<QPair<QByteArray, QByteArray>> key{{"Idempotency-Key", "r1"}};
        QCOMPARE(call("POST", u"/payments"_s, key, kPayment).status, 201);
        QCOMPARE(call("POST", u"/payments"_s, key, kPayment).header("Idempotent-Replayed"),
                 QByteArray("true"));
        QTest::qWait(1400); // past the window (and the store's once-a-second sweep)
        const auto r = call("POST", u"/payments"_s, key, kPayment);
        QCOMPARE(r.status, 201);
        QVERIFY(r.header("Idempotent-Replayed").isEmpty());
    }

    // The classic: the charge is committed, the response is lost, the client retries.
    void commitThenLoseMakesDuplicatesOnlyWithoutKeys()
    {
        FaultProfile p;
        p.routes.front().faults.commitThenLose = 1;
        start(p);
        const QList<QPair<QByteArray, QByteArray>> client{{"X-Client-Id", "c1"}};
        const QByteArray post = "POST /payments HTTP/1.1\r\nHost: x\r\nX-Client-Id: %1\r\n%2"
                                "Content-Length: " +
                                QByteArray::number(kPayment.size()) + "\r\n\r\n" + kPayment;
        // The answer is lost: the connection is reset after the charge.
        QCOMPARE(raw(QByteArray(post).replace("%1", "c1").replace("%2", "")), QByteArray());
        m_server->setProfile(FaultProfile{}); // the retry gets through
        QCOMPARE(call("POST", u"/payments"_s, client, kPayment).status, 201);
        QCOMPARE(m_server->ledger().duplicates(), 1);

        m_server->setProfile(p);
        const QList<QPair<QByteArray, QByteArray>> keyed{{"X-Client-Id", "c2"},
                                                         {"Idempotency-Key", "\"op-2\""}};
        QCOMPARE(raw(QByteArray(post)
                         .replace("%1", "c2")
                         .replace("%2", "Idempotency-Key: \"op-2\"\r\n")),
                 QByteArray());
        m_server->setProfile(FaultProfile{});
        const auto retry = call("POST", u"/payments"_s, keyed, kPayment);
        QCOMPARE(retry.status, 201);
        QCOMPARE(retry.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(m_server->ledger().duplicates(), 1); // still only the unkeyed one
        QCOMPARE(m_server->stats().duplicates, 1);
    }

    // Clients that wait too little and enough, judged by the server's journal.
    void retryAfterCompliance()
    {
        FaultProfile p = statusOnly(503);
        p.routes.front().retryAfter.minSeconds = 1;
        p.routes.front().retryAfter.maxSeconds = 1;
        start(p);
        const QList<QPair<QByteArray, QByteArray>> early{{"X-Client-Id", "early"}};
        const QList<QPair<QByteArray, QByteArray>> patient{{"X-Client-Id", "patient"}};
        QCOMPARE(call("GET", u"/x"_s, early).header("Retry-After"), QByteArray("1"));
        QCOMPARE(call("GET", u"/x"_s, patient).status, 503);
        QTest::qWait(200);
        call("GET", u"/x"_s, early); // 0.2 s after being told 1 s
        QTest::qWait(1000);
        call("GET", u"/x"_s, patient); // 1.2 s after
        const ServerStats stats = m_server->stats();
        QCOMPARE(stats.retryAfterJudged, 2);
        QCOMPARE(stats.retryAfterViolations, 1);
        QCOMPARE(stats.compliancePercent(), 50.0);
        const auto journal = call("GET", u"/__admin/journal?since=0"_s);
        const QJsonArray entries = QJsonDocument::fromJson(journal.body).array();
        QCOMPARE(entries.size(), 4);
        const QJsonObject third = entries.at(2).toObject();
        QCOMPARE(third.value(u"clientId"_s).toString(), u"early"_s);
        const double earlyBy = third.value(u"earlyByMs"_s).toDouble();
        QVERIFY2(earlyBy > 500 && earlyBy <= 800, qPrintable(QString::number(earlyBy)));
        QVERIFY(!entries.at(3).toObject().contains(u"earlyByMs"_s));
    }

    void adminApi()
    {
        start(*FaultProfile::ready(u"healthy"_s));
        auto r = call("GET", u"/__admin/profile"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(object(r.body).value(u"name"_s).toString(), u"healthy"_s);
        // An invalid profile is refused with the reason, and the old one is kept.
        r = call("PUT", u"/__admin/profile"_s, {},
                 R"({"routes": [{"statuses": [{"status": 99, "weight": 1}]}]})");
        QCOMPARE(r.status, 400);
        QCOMPARE(object(r.body)
                     .value(u"problems"_s)
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"field"_s)
                     .toString(),
                 u"routes[0].statuses[0]"_s);
        QCOMPARE(m_server->profile().name, u"healthy"_s);
        r = call("PUT", u"/__admin/profile"_s, {}, "not json");
        QCOMPARE(r.status, 400);
        // A valid one takes effect at once.
        r = call("PUT", u"/__admin/profile"_s, {},
                 QJsonDocument(statusOnly(418).toJson()).toJson());
        QCOMPARE(r.status, 200);
        QCOMPARE(call("GET", u"/x"_s).status, 418);
        // Journal since an id, as an array or JSON lines.
        r = call("GET", u"/__admin/journal?since=0&format=jsonl"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.count('\n'), 1);
        QCOMPARE(object(r.body.trimmed()).value(u"status"_s).toInt(), 418);
        r = call("GET", u"/__admin/journal?since=1"_s);
        QCOMPARE(QJsonDocument::fromJson(r.body).array().size(), 0);
        QCOMPARE(call("GET", u"/__admin/journal?since=abc"_s).status, 400);
        // Stats, outage, reset.
        QCOMPARE(object(call("GET", u"/__admin/stats"_s).body).value(u"requests"_s).toInt(), 1);
        QCOMPARE(call("POST", u"/__admin/outage?seconds=0.5"_s).status, 200);
        r = call("GET", u"/x"_s);
        QCOMPARE(r.status, 503);
        QCOMPARE(r.header("Retry-After"), QByteArray("1"));
        QCOMPARE(object(call("GET", u"/__admin/stats"_s).body)
                     .value(u"outage"_s)
                     .toObject()
                     .value(u"active"_s)
                     .toBool(),
                 true);
        QTest::qWait(600);
        QCOMPARE(call("GET", u"/x"_s).status, 418);
        QCOMPARE(call("POST", u"/__admin/outage?seconds=-1"_s).status, 400);
        QCOMPARE(call("POST", u"/__admin/outage"_s).status, 400);
        QCOMPARE(call("POST", u"/__admin/reset"_s).status, 200);
        QCOMPARE(object(call("GET", u"/__admin/stats"_s).body).value(u"requests"_s).toInt(), 0);
        QCOMPARE(call("GET", u"/__admin/nothing"_s).status, 404);
        r = call("DELETE", u"/__admin/stats"_s);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("Allow"), QByteArray("GET"));
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
