// SPDX-License-Identifier: GPL-3.0-or-later
// What the built-in server keeps and reports, over real sockets on 127.0.0.1: idempotency keys
// and the payments ledger, the Retry-After journal, and the admin API.
#include "mock_server_sockets.h"

#include <QJsonArray>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestMockServerRecords : public QObject, public MockServerSockets
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { m_server.reset(); }

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
};

QTEST_GUILESS_MAIN(TestMockServerRecords)
#include "tst_mock_server_records.moc"
