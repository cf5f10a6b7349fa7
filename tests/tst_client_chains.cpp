// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in server's client chains and scripts, on its clock-free model (MockService):
// which requests are one operation, and what each attempt of an operation meets.
#include "json/json_file.h"
#include "mock/client_chains.h"
#include "mock/mock_service.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kWall = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());

struct Sent {
    MockExchange x;
    JournalEntry entry;
};

// One request through the model, answered at once.
Sent send(MockService &s, Duration at, const QByteArray &path, HeaderList headers = {},
          const QByteArray &peer = "10.0.0.1", const QByteArray &method = "GET",
          const QByteArray &body = {})
{
    MockExchange x = s.arrive({method, path, std::move(headers), body, peer}, at, kWall);
    s.process(x, at + x.latency);
    s.finish(x);
    const auto entries = s.journal().since(x.journalId - 1, 1);
    return {x, entries.empty() ? JournalEntry{} : entries.front()};
}

FaultProfile profileFrom(const char *json)
{
    FieldProblems problems;
    const auto p = FaultProfile::fromJson(QJsonDocument::fromJson(json).object(), &problems);
    if (!p)
        qWarning() << describeProblems(u"profile"_s, problems);
    return p.value_or(FaultProfile{});
}

} // namespace

class TestClientChains : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void examScriptWalksEachOperation()
    {
        const auto exam = FaultProfile::ready(u"exam"_s);
        QVERIFY(exam);
        MockService s(*exam);
        // Two clients, interleaved: each operation walks its own script.
        for (const QByteArray client : {"a", "b"}) {
            const auto first = send(s, 0s, "/thing", {{"X-Client-Id", client}});
            QCOMPARE(first.x.status, 503);
            QCOMPARE(first.x.headers.value(0).second, QByteArray("1"));
            QCOMPARE(first.entry.chainAttempt, 1);
            QCOMPARE(first.entry.chainClient, QString::fromLatin1(client));
        }
        for (const QByteArray client : {"a", "b"}) {
            QCOMPARE(send(s, 2s, "/thing", {{"X-Client-Id", client}}).x.status, 500);
            const auto third = send(s, 3s, "/thing", {{"X-Client-Id", client}});
            QCOMPARE(third.x.status, 429);
            QCOMPARE(third.x.headers.value(0).second,
                     QByteArray("Fri, 02 Jan 2026 03:04:07 GMT")); // date+2s
            QVERIFY(third.entry.askedWait);
            QCOMPARE(*third.entry.askedWait, Duration(2s));
            const auto fourth = send(s, 6s, "/thing", {{"X-Client-Id", client}});
            QCOMPARE(fourth.x.kind, FaultKind::Reset);
            QCOMPARE(fourth.entry.decision, u"reset"_s);
            QCOMPARE(fourth.entry.status, 0);
            const auto fifth = send(s, 7s, "/thing", {{"X-Client-Id", client}});
            QCOMPARE(fifth.x.status, 200);
            QCOMPARE(fifth.entry.chainAttempt, 5);
            // A success ends the operation: the next request starts the script again.
            const auto again = send(s, 8s, "/thing", {{"X-Client-Id", client}});
            QCOMPARE(again.x.status, 503);
            QCOMPARE(again.entry.chainAttempt, 1);
            QVERIFY(again.entry.chainOperation != fifth.entry.chainOperation);
        }
    }

    void permanentStatusSilenceAndBodyStartNewOperations()
    {
        MockService s(*FaultProfile::ready(u"exam"_s));
        s.setChainOptions({{}, 5s});
        const HeaderList ua{{"User-Agent", "probe/1"}};
        QCOMPARE(send(s, 0s, "/exam/missing", ua).entry.chainAttempt, 1);
        const auto second = send(s, 1s, "/exam/missing", ua); // after a 404: a new operation
        QCOMPARE(second.entry.chainAttempt, 1);
        QCOMPARE(second.entry.chainClient, u"10.0.0.1 probe/1"_s);
        QCOMPARE(second.entry.chainBy, u"peer+user-agent, method+path+body"_s);
        QCOMPARE(send(s, 2s, "/exam/backoff", ua).x.status, 500);
        QCOMPARE(send(s, 3s, "/exam/backoff", ua).x.status, 502); // attempt 2
        QCOMPARE(send(s, 3s, "/exam/backoff", ua, "10.0.0.2").entry.chainAttempt,
                 1); // another peer is another client
        QCOMPARE(send(s, 3s, "/exam/backoff", {{"User-Agent", "other"}}).entry.chainAttempt, 1);
        QCOMPARE(send(s, 3s, "/exam/backoff", ua, "10.0.0.1", "POST", "{}").entry.chainAttempt,
                 1); // another method and body: another operation
        QCOMPARE(send(s, 4s, "/exam/backoff", ua).x.status, 504);  // attempt 3
        QCOMPARE(send(s, 10s, "/exam/backoff", ua).x.status, 500); // 6 s of silence: attempt 1
    }

    void namedHeaderAndOperationIdNameOperations()
    {
        MockService s(*FaultProfile::ready(u"exam"_s));
        s.setChainOptions({"Idempotency-Key", 30s});
        const auto k1 = send(s, 0s, "/thing", {{"Idempotency-Key", "\"k1\""}});
        QCOMPARE(k1.entry.chainBy, u"peer+user-agent, Idempotency-Key"_s);
        QCOMPARE(send(s, 1s, "/thing", {{"Idempotency-Key", "\"k2\""}}).entry.chainAttempt, 1);
        QCOMPARE(send(s, 2s, "/thing", {{"Idempotency-Key", "\"k1\""}}).entry.chainAttempt, 2);
        const auto op = send(s, 3s, "/thing", {{"X-Client-Id", "7"}, {"X-Operation-Id", "7-1"}});
        QCOMPARE(op.entry.chainOperation, u"7-1"_s);
        QCOMPARE(op.entry.chainBy, u"x-client-id, x-operation-id"_s);
        // The same operation id from another path is still the same operation.
        QCOMPARE(send(s, 4s, "/other", {{"X-Client-Id", "7"}, {"X-Operation-Id", "7-1"}})
                     .entry.chainAttempt,
                 2);
    }

    void namedOperationsAreForgottenWhenQuiet()
    {
        // A client that names every operation (the soak: 60 a second for an hour) must not
        // grow the server: a named operation quiet for ten minutes is forgotten.
        ClientChains chains;
        const auto at = [](Duration t, const QString &op, const QByteArray &path = "/x") {
            return ChainRequest{u"c"_s, op, {}, "10.0.0.1", {}, u"GET"_s, QString::fromLatin1(path),
                                {},     t};
        };
        for (int i = 0; i < 1000; ++i)
            chains.place(at(Duration(i * 10ms), u"op-%1"_s.arg(i)));
        chains.place(at(0s, {}, "/unnamed")); // no operation id: kept
        QCOMPARE(chains.size(), 1001);
        // Nine minutes on, an operation is still followed: its next request is attempt 2.
        QCOMPARE(chains.place(at(9min, u"op-7"_s)).attempt, 2);
        // The unnamed one is followed too: after its silence, its second operation.
        QVERIFY(chains.place(at(9min + 1s, {}, "/unnamed")).operation.endsWith(u" #2"_s));
        // Twelve minutes on, the quiet ones are gone; op-7 (last seen at 9 min) is kept.
        QCOMPARE(chains.place(at(12min, u"op-new"_s)).attempt, 1);
        QCOMPARE(chains.size(), 3); // op-7, /unnamed and op-new
        QCOMPARE(chains.place(at(12min + 1s, u"op-7"_s)).attempt, 3);
        QCOMPARE(chains.place(at(12min + 2s, u"op-8"_s)).attempt, 1); // forgotten: afresh
        // Unnamed chains are kept, so their operations never repeat a number.
        QVERIFY(chains.place(at(13min, {}, "/unnamed")).operation.endsWith(u" #3"_s));
        // A silence longer than ten minutes keeps named operations as long.
        chains.clear();
        chains.setOptions({{}, 30min});
        chains.place(at(0s, u"long"_s));
        chains.place(at(25min, u"other"_s));
        QCOMPARE(chains.place(at(29min, u"long"_s)).attempt, 2);
    }

    void commitThenLoseOnPayments()
    {
        MockService s(*FaultProfile::ready(u"exam"_s));
        const QByteArray pay = R"({"amount": 100, "currency": "EUR"})";
        const auto first = send(s, 0s, "/payments", {}, "10.0.0.1", "POST", pay);
        QCOMPARE(first.x.kind, FaultKind::CommitThenLose);
        QCOMPARE(send(s, 1s, "/payments", {}, "10.0.0.1", "POST", pay).x.status, 201);
        QCOMPARE(s.ledger().duplicates(), 1); // an unkeyed retry charged twice
    }

    void scriptsAreValidated_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QString>("field");
        QTest::addRow("status") << QByteArray(R"([{"status": 99}])") << u"routes[0].script[0]"_s;
        QTest::addRow("fault") << QByteArray(R"([{"fault": "melt"}])") << u"routes[0].script[0]"_s;
        QTest::addRow("fault with a status")
            << QByteArray(R"([{"status": 503}, {"fault": "reset", "status": 500}])")
            << u"routes[0].script[1]"_s;
        QTest::addRow("date") << QByteArray(R"([{"retryAfter": "date+soon"}])")
                              << u"routes[0].script[0]"_s;
        QTest::addRow("unknown") << QByteArray(R"([{"wait": 1}])") << u"routes[0].script[0]"_s;
        QTest::addRow("not an array") << QByteArray(R"({"status": 200})") << u"routes[0].script"_s;
    }
    void scriptsAreValidated()
    {
        QFETCH(QByteArray, script);
        QFETCH(QString, field);
        const QByteArray json = R"({"routes": [{"script": )" + script + "}]}";
        FieldProblems problems;
        QVERIFY(!FaultProfile::fromJson(QJsonDocument::fromJson(json).object(), &problems));
        QCOMPARE(problems.value(0).field, field);
    }

    void scriptsRoundTrip()
    {
        const FaultProfile p = profileFrom(R"({"routes": [{"script": [
            {"status": 503, "retryAfter": 2}, {"status": 429, "retryAfter": "date+3s"},
            {"fault": "commit-then-lose"}, {"status": 503, "retryAfter": "soon-ish"}]}]})");
        QCOMPARE(p.routes.value(0).script.size(), 4);
        QCOMPARE(p.routes[0].script[0].retryAfter, u"2"_s);
        FieldProblems problems;
        QCOMPARE(FaultProfile::fromJson(p.toJson(), &problems), p);
        // Text that is not a Retry-After is sent as written and asks for no wait.
        MockService s(p);
        for (int i = 0; i < 3; ++i)
            send(s, Duration(i * 1s), "/x");
        const auto awkward = send(s, 9s, "/x");
        QCOMPARE(awkward.x.headers.value(0).second, QByteArray("soon-ish"));
        QVERIFY(!awkward.entry.askedWait);
    }

    void permanentStatuses()
    {
        for (const int s : {400, 401, 403, 404, 405, 410, 422, 501, 505})
            QVERIFY2(isPermanentStatus(s), qPrintable(QString::number(s)));
        for (const int s : {200, 408, 409, 425, 429, 500, 502, 503, 504})
            QVERIFY2(!isPermanentStatus(s), qPrintable(QString::number(s)));
    }
};

QTEST_GUILESS_MAIN(TestClientChains)
#include "tst_client_chains.moc"
