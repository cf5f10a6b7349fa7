// SPDX-License-Identifier: GPL-3.0-or-later
// Every attempt exactly once on the wire: with resets, hangs, truncated answers, garbage and
// commit-then-lose at 5% each, the attempts in the log and the built-in server's journal pair
// one to one by client, operation and attempt. The same scenario on the Qt stack reports what
// it finds.
#include "run/run_controller.h"

#include <QSignalSpy>
#include <QTest>

#include <map>
#include <tuple>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario lossy(const QByteArray &method, ClientOptions::Stack stack)
{
    Scenario s;
    s.name = u"lossy"_s;
    s.method = method;
    s.path = method == "POST" ? u"/payments"_s : u"/items"_s;
    s.body = method == "POST" ? QByteArray(R"({"amount": 500, "currency": "EUR"})") : QByteArray();
    // A key per operation: the journal's (client, key, attempt) is the log's (client,
    // operation, attempt).
    s.keys = KeyMode::PerOperation;
    RouteProfile route;
    route.statuses = {{method == "POST" ? 201 : 200, 0.8}, {503, 0.2}};
    route.faults.reset = 0.05;
    route.faults.hang = 0.05;
    route.faults.truncate = 0.05;
    route.faults.commitThenLose = 0.05;
    route.faults.garbage = 0.05; // bytes that are not HTTP: once became four arrivals
    s.profile.routes = {route};
    s.profile.name = u"lossy"_s;
    s.clients = 12;
    s.operationsPerClient = 12;
    s.policy.retry.maxAttempts = 4;
    s.policy.retry.backoff = {BackoffKind::FullJitter, 5ms, 40ms, 2.0, 0.0};
    s.policy.retry.attemptTimeout = 400ms; // ends the hangs
    s.policy.retry.totalBudget = 0s;
    s.policy.breaker.enabled = false;
    s.client.stack = stack;
    s.seed = 11;
    return s;
}

RunSummary runToEnd(RunController &run, const Scenario &s)
{
    QSignalSpy finished(&run, &RunController::runFinished);
    QSignalSpy failed(&run, &RunController::runFailed);
    run.start(s);
    if (!finished.wait(90000) || !failed.isEmpty())
        qFatal("the run did not finish: %s",
               failed.isEmpty() ? "timeout" : qPrintable(failed.front().front().toString()));
    return finished.front().front().value<RunSummary>();
}

using Key = std::tuple<QString, QString, int>; // client, idempotency key, attempt

} // namespace

class TestWireJournal : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

    void attemptsPairWithArrivals_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addRow("POST /payments") << QByteArray("POST");
        QTest::addRow("GET /items") << QByteArray("GET");
    }
    void attemptsPairWithArrivals()
    {
        QFETCH(QByteArray, method);
        RunController run;
        const RunSummary sum = runToEnd(run, lossy(method, ClientOptions::Stack::RetryLab));
        const auto log = run.log();
        std::map<Key, int> sent;
        std::map<OutcomeClass, int> outcomes;
        log->forEach([&](const AttemptRecord &r) {
            if (outcome::isLocalRejection(r.outcome))
                return;
            ++outcomes[r.outcome];
            ++sent[{QString::number(r.client), log->string(r.idempotencyKey), r.attempt}];
        });
        std::map<Key, int> arrived;
        for (const JournalEntry &e : log->journalRecords())
            ++arrived[{e.clientId, e.idempotencyKey, e.attempt}];
        QStringList seen;
        for (const auto &[o, n] : outcomes)
            seen << u"%1 %2"_s.arg(outcome::id(o)).arg(n);
        std::map<QString, int> decisions;
        for (const JournalEntry &e : log->journalRecords())
            ++decisions[e.decision];
        for (const auto &[d, n] : decisions)
            seen << u"server %1 %2"_s.arg(d).arg(n);
        qInfo("%s", qPrintable(seen.join(u", "_s)));
        // The faults really happened: resets, timeouts (hangs), cut-short and malformed answers.
        QVERIFY(outcomes[OutcomeClass::ConnectionReset] > 0);
        QVERIFY(outcomes[OutcomeClass::Timeout] > 0);
        QVERIFY(outcomes[OutcomeClass::NetworkOther] > 0);
        QCOMPARE(sum.attemptsSent, sum.serverRequests);
        QCOMPARE(qint64(log->journalSize()), sum.attemptsSent);
        // Plain TCP: the kernel said when each answer arrived, and the summary says how long
        // answers then waited for the client.
        QVERIFY(sum.lagP50Ms >= 0 && sum.lagP99Ms >= sum.lagP50Ms);
        for (const auto &[key, n] : sent) {
            QVERIFY2(n == 1, qPrintable(u"client %1 key %2 attempt %3 sent %4 times"_s
                                            .arg(std::get<0>(key), std::get<1>(key))
                                            .arg(std::get<2>(key))
                                            .arg(n)));
            const auto found = arrived.find(key);
            QVERIFY2(found != arrived.end() && found->second == 1,
                     qPrintable(u"client %1 key %2 attempt %3 arrived %4 times"_s
                                    .arg(std::get<0>(key), std::get<1>(key))
                                    .arg(std::get<2>(key))
                                    .arg(found == arrived.end() ? 0 : found->second)));
        }
        QCOMPARE(arrived.size(), sent.size());
    }

    // A server that promises a body and closes early: in real time as in simulated time, no
    // attempt succeeds.
    void truncatedAnswersNeverSucceed()
    {
        Scenario s;
        RouteProfile route;
        route.faults.truncate = 1;
        s.profile.routes = {route};
        s.clients = 1;
        s.operationsPerClient = 5;
        s.policy.retry.maxAttempts = 1;
        s.policy.breaker.enabled = false;
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QCOMPARE(sum.operations, 5);
        QCOMPARE(sum.succeeded, 0);
        run.log()->forEach([&](const AttemptRecord &r) {
            QCOMPARE(r.outcome, OutcomeClass::ConnectionReset);
            QVERIFY2(run.log()->string(r.detail).contains(u"cut short"_s),
                     qPrintable(run.log()->string(r.detail)));
        });
        s.simulated = true;
        RunController simulated;
        QCOMPARE(runToEnd(simulated, s).succeeded, 0);
    }

    // The Qt stack on the same faults: the summary says how many requests the server saw
    // that no attempt sent (QNetworkAccessManager re-sends on a dead connection by itself).
    void qtStackReportsWhatItResent()
    {
        RunController run;
        const RunSummary sum = runToEnd(run, lossy("POST", ClientOptions::Stack::Qt));
        QVERIFY(sum.serverRequests >= sum.attemptsSent);
        const QJsonObject json = sum.toJson();
        QCOMPARE(json[u"serverRequests"_s].toInteger(), sum.serverRequests);
        QVERIFY(!json.contains(u"clientLagMs"_s)); // Qt reads its sockets: no stamps
        if (sum.serverRequests > sum.attemptsSent)
            QVERIFY2(sum.toText().contains(
                         u"re-sent %1 on its own"_s.arg(sum.serverRequests - sum.attemptsSent)),
                     qPrintable(sum.toText()));
        qInfo("qt stack: %lld requests for %lld attempts sent",
              static_cast<long long>(sum.serverRequests), static_cast<long long>(sum.attemptsSent));
    }
};

QTEST_GUILESS_MAIN(TestWireJournal)
#include "tst_wire_journal.moc"
