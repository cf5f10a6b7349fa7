// SPDX-License-Identifier: GPL-3.0-or-later
// `retrylab --headless` stopped before its end: killed, interrupted, hung with no timeout, or
// unable to write its log; what it keeps and how it exits.
#include "headless_process.h"
#include "log/jsonl_log.h"

#include <QTest>

#include <csignal>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestHeadlessStops : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aKilledRunKeepsWhatWasFlushed()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"breaker-trip-and-recovery"_s); // 25 s of real time
        const QString file = saveScenario(dir, u"long.json"_s, s);
        const QString log = dir.filePath(u"long.jsonl"_s);
        QProcess p;
        p.start(binary(), {u"--headless"_s, u"--scenario"_s, file, u"--log"_s, log});
        QVERIFY(p.waitForStarted());
        // Wait for a few batches to reach the disk, then kill without warning.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(log).size() > 40'000, 20000); // 20 lines or more
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        AttemptLog back;
        const JsonlReadResult r = readJsonlLog(log, back);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.truncatedLines <= 1);
        QVERIFY(back.size() > 20);
        QVERIFY(!back.runInfo().scenario.isEmpty());
    }

    void interruptStopsCleanlyAndWritesEverything()
    {
        QTemporaryDir dir;
        const QString file =
            saveScenario(dir, u"long.json"_s, ready(u"breaker-trip-and-recovery"_s));
        const QString summary = dir.filePath(u"s.json"_s);
        const QString csv = dir.filePath(u"s.csv"_s);
        QProcess p;
        p.start(binary(),
                {u"--headless"_s, u"--scenario"_s, file, u"--summary"_s, summary, u"--csv"_s, csv});
        QVERIFY(p.waitForStarted());
        QTest::qWait(1500);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000)); // well before the scenario's 25 s
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130); // written, but not a pass
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"interrupted"_s));
        const QJsonObject json = readJson(summary);
        QVERIFY(json.value(u"operations"_s).toInt() > 10);
        QVERIFY(json.value(u"operations"_s).toInt() < 1000);
        QVERIFY(QFileInfo(csv).size() > 0);
    }

    void aHangWithoutTimeoutEndsOnSigterm()
    {
        // A server that never answers and a policy without a per-attempt timeout: nothing
        // would end the attempts but the server's 5-minute hang limit. SIGTERM must.
        QTemporaryDir dir;
        Scenario s = ready(u"flaky-demo"_s);
        s.clients = 4;
        s.profile = FaultProfile{};
        s.profile.routes.front().faults.hang = 1;
        s.policy.retry.attemptTimeout = Duration::zero();
        s.policy.retry.totalBudget = Duration::zero();
        const QString file = saveScenario(dir, u"hang.json"_s, s);
        const QString summary = dir.filePath(u"s.json"_s);
        const QString log = dir.filePath(u"s.jsonl"_s);
        QProcess p;
        p.start(binary(),
                {u"--headless"_s, u"--scenario"_s, file, u"--summary"_s, summary, u"--log"_s, log});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(log).size() > 0, 20000); // the run has started
        QTest::qWait(500);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QCOMPARE(readJson(summary).value(u"operations"_s).toInt(), 4);
        AttemptLog back;
        QVERIFY(readJsonlLog(log, back).ok);
        QCOMPARE(back.size(), std::size_t(4));
        back.forEach([&](const AttemptRecord &r) {
            QVERIFY(back.string(r.detail).contains(u"abandoned"_s));
        });
    }

    void aSimulatedHangWithoutTimeoutEnds()
    {
        // The same in simulated time: the attempts end at the server's hang limit (as a
        // reset, like a real socket), and the process exits on its own.
        QTemporaryDir dir;
        Scenario s = ready(u"flaky-demo"_s);
        s.clients = 5;
        s.operationsPerClient = 3;
        s.profile = FaultProfile{};
        s.profile.routes.front().faults.hang = 1;
        s.policy.retry.attemptTimeout = Duration::zero();
        s.policy.retry.totalBudget = Duration::zero();
        const QString file = saveScenario(dir, u"hang.json"_s, s);
        const QString summary = dir.filePath(u"s.json"_s);
        const Result r =
            run({u"--headless"_s, u"--scenario"_s, file, u"--simulated"_s, u"--summary"_s, summary},
                30000);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject json = readJson(summary);
        QCOMPARE(json.value(u"operations"_s).toInt(), 15);
        QCOMPARE(json.value(u"succeeded"_s).toInt(), 0);
    }

    void logWriteErrorsExitTwo_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<qint64>("sizeLimit");
        QTest::addRow("file-size limit (a full disk)") << QString() << qint64(20480);
#ifdef Q_OS_LINUX
        if (QFileInfo(u"/proc/version"_s).exists())
            QTest::addRow("/proc/version") << u"/proc/version"_s << qint64(0);
#endif
    }

    void logWriteErrorsExitTwo()
    {
        QFETCH(QString, target);
        QFETCH(qint64, sizeLimit);
        QTemporaryDir dir;
        Scenario s = ready(u"breaker-trip-and-recovery"_s);
        s.simulated = true;
        const QString file = saveScenario(dir, u"b.json"_s, s);
        const QString log = target.isEmpty() ? dir.filePath(u"big.jsonl"_s) : target;
        const QString summary = dir.filePath(u"s.json"_s);
        QProcess p;
#ifdef Q_OS_UNIX
        if (sizeLimit > 0)
            p.setChildProcessModifier([sizeLimit] {
                const rlimit limit{rlim_t(sizeLimit), rlim_t(sizeLimit)};
                ::setrlimit(RLIMIT_FSIZE, &limit);
            });
#endif
        p.start(binary(),
                {u"--headless"_s, u"--scenario"_s, file, u"--log"_s, log, u"--summary"_s, summary});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit); // not killed by SIGXFSZ
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.contains(log) && err.contains(u"cannot write"_s), qPrintable(err));
        QVERIFY2(err.contains(u"the attempt log is incomplete"_s), qPrintable(err));
        if (sizeLimit > 0) {
            QVERIFY(QFileInfo(log).size() <= sizeLimit);
            AttemptLog back; // what is there reads back; at most the last line is cut
            const JsonlReadResult read = readJsonlLog(log, back);
            QVERIFY2(read.ok, qPrintable(read.error));
            QVERIFY(read.truncatedLines <= 1);
            QVERIFY(back.size() > 10);
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadlessStops)
#include "tst_headless_stops.moc"
