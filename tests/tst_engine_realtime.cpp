// SPDX-License-Identifier: GPL-3.0-or-later
// The engine in real time, over real sockets, against the built-in server in its own thread.
#include "run/run_controller.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario scenario(const FaultProfile &profile, int clients, int ops)
{
    Scenario s;
    s.profile = profile;
    s.clients = clients;
    s.operationsPerClient = ops;
    s.policy.breaker.enabled = false;
    s.seed = 5;
    return s;
}

FaultProfile statuses(QList<WeightedStatus> mix, int latencyMs = 0)
{
    FaultProfile p;
    p.routes.front().statuses = mix;
    p.routes.front().latency.ms = latencyMs;
    return p;
}

// Runs to the end and returns the summary.
RunSummary runToEnd(RunController &run, const Scenario &s, int timeoutMs = 60000)
{
    QSignalSpy finished(&run, &RunController::runFinished);
    QSignalSpy failed(&run, &RunController::runFailed);
    run.start(s);
    if (!finished.wait(timeoutMs) || !failed.isEmpty())
        qFatal("the run did not finish: %s",
               failed.isEmpty() ? "timeout" : qPrintable(failed.front().front().toString()));
    return finished.front().front().value<RunSummary>();
}

} // namespace

class TestEngineRealtime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Every policy kind's waits: the planned one is the formula's (tested in tst_backoff), the
    // actual one is never shorter, and only a little longer.
    void waitsAreNeverEarly_data()
    {
        QTest::addColumn<QString>("kind");
        for (const QString &id : Backoff::ids())
            QTest::addRow("%s", qPrintable(id)) << id;
    }
    void waitsAreNeverEarly()
    {
        QFETCH(QString, kind);
        Scenario s = scenario(statuses({{200, 0.5}, {503, 0.5}}), 10, 4);
        s.profile.routes.front().retryAfter.on = {};
        s.policy.retry.backoff = {*Backoff::kindFromId(kind), 20ms, 300ms, 2.0, 0.2};
        s.policy.retry.totalBudget = 0s;
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QCOMPARE(sum.operations, 40);
        int judged = 0;
        qint64 worstLate = 0;
        const Backoff backoff(s.policy.retry.backoff);
        run.log()->forEach([&](const AttemptRecord &r) {
            if (r.plannedDelayUs < 0)
                return;
            ++judged;
            QVERIFY2(r.actualDelayUs >= r.plannedDelayUs,
                     qPrintable(u"early by %1 us"_s.arg(r.plannedDelayUs - r.actualDelayUs)));
            QVERIFY(r.plannedDelayUs <= backoff.upperBound(r.attempt - 2).count());
            worstLate = std::max(worstLate, r.actualDelayUs - r.plannedDelayUs);
        });
        QVERIFY(judged > 5);
        // Generous: a loaded 2-core machine can be late, never early.
        QVERIFY2(worstLate < 250'000, qPrintable(QString::number(worstLate)));
    }

    // Retry-After honoured, capped and ignored: the client's log and the server's journal agree.
    void retryAfterModes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("compliant");
        QTest::addRow("honour") << int(RetryAfterMode::Honour) << true;
        QTest::addRow("larger of both") << int(RetryAfterMode::LargerOfBoth) << true;
        QTest::addRow("capped below the ask") << int(RetryAfterMode::HonourCapped) << false;
        QTest::addRow("ignore") << int(RetryAfterMode::Ignore) << false;
    }
    void retryAfterModes()
    {
        QFETCH(int, mode);
        QFETCH(bool, compliant);
        FaultProfile p = statuses({{200, 0.6}, {503, 0.4}});
        p.routes.front().retryAfter.minSeconds = 1;
        p.routes.front().retryAfter.maxSeconds = 1;
        Scenario s = scenario(p, 8, 3);
        s.policy.retry.retryAfterMode = static_cast<RetryAfterMode>(mode);
        s.policy.retry.retryAfterCap = 200ms;
        s.policy.retry.backoff = {BackoffKind::Fixed, 10ms, 10ms, 2.0, 0.0};
        s.policy.retry.totalBudget = 0s;
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QVERIFY(sum.retryAfterJudged > 0);
        QCOMPARE(sum.retryAfterViolations == 0, compliant);
        QCOMPARE(sum.compliancePercent(), sum.serverCompliancePercent);
    }

    void breakerThroughAnOutage()
    {
        FaultProfile p = statuses({{200, 1}}, 5);
        p.outages = {{400ms, 1400ms, 503}};
        Scenario s = scenario(p, 4, 1);
        s.arrivalRatePerSecond = 40;
        s.duration = 2500ms;
        s.sharedBreaker = true;
        s.policy.breaker = BreakerConfig{};
        s.policy.breaker.consecutiveFailures = 3;
        s.policy.breaker.openDuration = 300ms;
        s.policy.retry.maxAttempts = 1;
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QList<BreakerState> path;
        for (const auto &b : run.log()->breakerRecords())
            path << b.transition.to;
        QVERIFY(path.size() >= 3);
        QCOMPARE(path.front(), BreakerState::Open);
        QVERIFY(path.contains(BreakerState::HalfOpen));
        QCOMPARE(path.back(), BreakerState::Closed);
        QVERIFY(sum.attemptsRefused > 0);
    }

    // POST without a key is not retried; with lost responses, only unkeyed retries charge twice.
    void lostResponsesOverRealSockets()
    {
        FaultProfile p = *FaultProfile::ready(u"payments-lossy"_s);
        Scenario s = scenario(p, 5, 6);
        s.method = "POST";
        s.path = u"/payments"_s;
        s.body = R"({"amount": 1000, "currency": "USD"})";
        s.policy.retry.backoff = {BackoffKind::Fixed, 20ms, 20ms, 2.0, 0.0};
        s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
        s.policy.retry.maxAttempts = 6;
        RunController plain;
        const RunSummary noRetry = runToEnd(plain, s);
        QCOMPARE(noRetry.retries, 0);
        s.policy.retry.retryNonIdempotentWithoutKey = true;
        RunController unsafe;
        QVERIFY(runToEnd(unsafe, s).duplicates > 0);
        s.policy.retry.retryNonIdempotentWithoutKey = false;
        s.keys = KeyMode::PerOperation;
        RunController keyed;
        const RunSummary safe = runToEnd(keyed, s);
        QVERIFY(safe.retries > 0);
        QCOMPARE(safe.duplicates, 0);
    }

    // The total time budget bounds each operation, waits and attempts included (up to the
    // lateness of a timer on a loaded machine).
    void totalBudgetIsNeverOvershot()
    {
        FaultProfile p = statuses({{503, 1}}, 30);
        p.routes.front().retryAfter.on = {};
        Scenario s = scenario(p, 6, 2);
        s.policy.retry.maxAttempts = 100;
        s.policy.retry.totalBudget = 700ms;
        s.policy.retry.attemptTimeout = 300ms;
        s.policy.retry.backoff = {BackoffKind::Exponential, 50ms, 400ms, 2.0, 0.0};
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QCOMPARE(sum.operations, 12);
        QHash<quint64, qint64> first;
        qint64 worst = 0;
        run.log()->forEach([&](const AttemptRecord &r) {
            const quint64 k = (quint64(r.client) << 32) | r.operation;
            if (r.attempt == 1)
                first[k] = r.startedUs;
            worst = std::max(worst, r.finishedUs - first[k]);
        });
        QVERIFY2(worst <= 700'000 + 150'000, qPrintable(QString::number(worst)));
        QVERIFY(sum.failedBy.value(u"time-budget-exhausted"_s) > 0);
    }

    // A shared retry budget stops a retry storm against a server that only fails.
    void budgetStopsARetryStorm()
    {
        FaultProfile p = statuses({{503, 1}});
        p.routes.front().retryAfter.on = {};
        Scenario s = scenario(p, 10, 3);
        s.policy.retry.maxAttempts = 8;
        s.policy.retry.totalBudget = 0s;
        s.policy.retry.backoff = {BackoffKind::Fixed, 5ms, 5ms, 2.0, 0.0};
        s.sharedBudget = true;
        RunController storm;
        QVERIFY(runToEnd(storm, s).amplification > 7.0);
        s.policy.budget.kind = BudgetKind::TokenBucket;
        s.policy.budget.maxTokens = 10;
        s.policy.budget.tokenRatio = 0.1;
        RunController throttled;
        const RunSummary sum = runToEnd(throttled, s);
        QVERIFY2(sum.amplification < 1.3, qPrintable(sum.toText()));
        QVERIFY(sum.failedBy.value(u"rejected"_s) > 20);
    }

    void perAttemptTimeoutAgainstAHang()
    {
        FaultProfile p;
        p.routes.front().faults.hang = 1;
        Scenario s = scenario(p, 2, 1);
        s.policy.retry.attemptTimeout = 300ms;
        s.policy.retry.maxAttempts = 2;
        s.policy.retry.backoff = {BackoffKind::Fixed, 50ms, 50ms, 2.0, 0.0};
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QCOMPARE(sum.operations, 2);
        QCOMPARE(sum.succeeded, 0);
        run.log()->forEach([](const AttemptRecord &r) {
            QCOMPARE(r.outcome, OutcomeClass::Timeout);
            const qint64 took = r.finishedUs - r.startedUs;
            QVERIFY2(took >= 300'000 && took < 600'000, qPrintable(QString::number(took)));
        });
    }

    // 60 clients whose first attempts each take 500 ms at the server: in flight together, they
    // all finish within about one latency; queued behind 6 connections they would take 5 s.
    void clientsAreReallyConcurrent()
    {
        Scenario s = scenario(statuses({{200, 1}}, 500), 60, 1);
        RunController run;
        const RunSummary sum = runToEnd(run, s);
        QCOMPARE(sum.operations, 60);
        qint64 lastStart = 0;
        qint64 firstFinish = std::numeric_limits<qint64>::max();
        run.log()->forEach([&](const AttemptRecord &r) {
            lastStart = std::max(lastStart, r.startedUs);
            firstFinish = std::min(firstFinish, r.finishedUs);
        });
        QVERIFY2(lastStart < firstFinish, "some first attempt started after another had ended");
        QVERIFY2(sum.p99Ms < 1500, qPrintable(QString::number(sum.p99Ms)));
    }

    void pauseResumeAndStopLoseNoRecord()
    {
        Scenario s = scenario(statuses({{200, 0.7}, {503, 0.3}}, 20), 5, 200);
        s.profile.routes.front().retryAfter.on = {};
        s.policy.retry.backoff = {BackoffKind::Fixed, 30ms, 30ms, 2.0, 0.0};
        RunController run;
        QSignalSpy finished(&run, &RunController::runFinished);
        run.start(s);
        QTRY_VERIFY_WITH_TIMEOUT(run.log() && run.log()->size() > 20, 10000);
        run.pause();
        QTest::qWait(200); // what was in flight lands
        const std::size_t atPause = run.log()->size();
        QTest::qWait(400);
        QCOMPARE(run.log()->size(), atPause); // nothing new starts while paused
        run.resume();
        QTRY_VERIFY_WITH_TIMEOUT(run.log()->size() > atPause + 20, 10000);
        run.stop();
        QVERIFY(finished.wait(10000));
        // Every operation that started has its last record.
        QSet<quint64> started;
        QSet<quint64> ended;
        run.log()->forEach([&](const AttemptRecord &r) {
            const quint64 k = (quint64(r.client) << 32) | r.operation;
            started.insert(k);
            if (r.lastOfOperation)
                ended.insert(k);
        });
        QCOMPARE(ended, started);
        const RunSummary sum = finished.front().front().value<RunSummary>();
        QVERIFY(sum.operations < 1000);
        QCOMPARE(sum.operations, qint64(ended.size()));
    }

    void headlessCommandLine()
    {
        QTemporaryDir dir;
        Scenario s = scenario(statuses({{200, 0.8}, {503, 0.2}}), 4, 5);
        s.profile.routes.front().retryAfter.on = {};
        s.name = u"cli"_s;
        const QString file = dir.filePath(u"s.json"_s);
        QString error;
        QVERIFY(s.save(file, &error));
        const QString jsonl = dir.filePath(u"log.jsonl"_s);
        const QString summary = dir.filePath(u"summary.json"_s);
        for (const bool simulated : {true, false}) {
            QProcess p;
            QStringList args{u"--headless"_s, u"--scenario"_s, file,        u"--log"_s, jsonl,
                             u"--summary"_s,  summary,         u"--seed"_s, u"9"_s};
            if (simulated)
                args << u"--simulated"_s;
            p.start(QStringLiteral(RETRYLAB_BIN), args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            QVERIFY(p.readAllStandardOutput().contains("operations: 20"));
            QFile f(summary);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QJsonObject json = QJsonDocument::fromJson(f.readAll()).object();
            QCOMPARE(json.value(u"operations"_s).toInt(), 20);
            QCOMPARE(json.value(u"seed"_s).toString(), u"9"_s);
            QCOMPARE(json.value(u"clock"_s).toString(), simulated ? u"simulated"_s : u"real"_s);
            QFile log(jsonl);
            QVERIFY(log.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
            QHash<QString, int> kinds;
            for (const QByteArray &line : lines) {
                const QJsonObject record = QJsonDocument::fromJson(line).object();
                QVERIFY(!record.isEmpty());
                ++kinds[record.value(u"kind"_s).toString()];
            }
            QCOMPARE(kinds.value(u"attempt"_s), json.value(u"attemptsSent"_s).toInt() +
                                                    json.value(u"attemptsRefused"_s).toInt());
            // The server's journal saw every attempt that was sent.
            QCOMPARE(kinds.value(u"server"_s), json.value(u"attemptsSent"_s).toInt());
        }
        // Bad input: exit 2, with the file, the field and the problem.
        QFile bad(dir.filePath(u"bad.json"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"version": 1, "load": {"clients": 0}})");
        bad.close();
        QProcess p;
        p.start(QStringLiteral(RETRYLAB_BIN), {u"--headless"_s, u"--scenario"_s, bad.fileName()});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError())
                    .contains(bad.fileName() + u": load.clients: must be a whole number"_s));
    }
};

QTEST_GUILESS_MAIN(TestEngineRealtime)
#include "tst_engine_realtime.moc"
