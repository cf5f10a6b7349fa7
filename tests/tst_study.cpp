// SPDX-License-Identifier: GPL-3.0-or-later
// Studies: the lean contention model (the AWS jitter study's conventions, exactly), its
// agreement with the engine, sweeps, and results that do not depend on the number of jobs.
#include "engine/run_engine.h"
#include "engine/virtual_scheduler.h"
#include "run/contention_grid.h"
#include "run/contention_trial.h"
#include "run/study_fields.h"
#include "transport/simulated_transport.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario awsStudy()
{
    QString error;
    const auto s = Scenario::load(u":/scenarios/aws-jitter-study.json"_s, &error);
    if (!s)
        qFatal("%s", qPrintable(error));
    return *s;
}

// The AWS study with every message taking exactly `ms`: timelines that can be worked out.
ContentionModel fixedModel(int clients, BackoffKind kind, double ms = 10)
{
    Scenario s = awsStudy();
    s.clients = clients;
    s.networkDelay = NetworkDelay::fixed(ms);
    s.policy.retry.backoff.kind = kind;
    return ContentionModel::fromScenario(s);
}

// One trial through the whole engine (RunEngine over SimulatedTransport's contention mode).
std::pair<double, double> engineTrial(Scenario s, std::uint64_t seed)
{
    s.seed = seed;
    s.contention = true;
    s.simulated = true;
    s.operationsPerClient = 1;
    VirtualScheduler scheduler;
    AttemptLog log;
    SimulatedTransport transport(scheduler, s.profile, s.seed, s.networkDelay, true);
    RunEngine engine(s, scheduler, transport, log);
    engine.start();
    scheduler.run();
    qint64 last = 0;
    log.forEach([&last](const AttemptRecord &r) { last = std::max(last, r.finishedUs); });
    return {double(log.size()), last / 1000.0};
}

QByteArray json(const QList<GridCell> &cells)
{
    return QJsonDocument(gridJson(cells)).toJson();
}

} // namespace

class TestStudy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The ready scenario holds the simulator's conventions (aws-arch-backoff-simulator).
    void awsScenarioConventions()
    {
        const Scenario s = awsStudy();
        QCOMPARE(s.networkDelay, NetworkDelay::normal(10, 2)); // abs(normalvariate(10, 2))
        const auto &b = s.policy.retry.backoff;
        QCOMPARE(b.base, 5ms);
        QCOMPARE(b.cap, 2s);
        QCOMPARE(b.firstRetryExponent, 1); // its first retry is attempt = 1: expo(1) = 10 ms
        QCOMPARE(s.policy.retry.totalBudget, 0s);
        QVERIFY(s.policy.retry.retryableStatuses.contains(409));
        QVERIFY(s.contention);
        QVERIFY(!s.policy.breaker.enabled);
    }

    // Two clients, every message 10 ms: both read at 10 and write at 30; one wins (answer at
    // 40); the other's answer comes at 40, it waits, reads, writes and has its answer 40 ms
    // after its wait. Calls are the 3 writes; the time is the last answer.
    void oneRaceWorkedOut_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        QTest::addColumn<int>("exponent");
        QTest::addColumn<double>("makespanMs");
        QTest::addRow("none: at once") << BackoffKind::None << 1 << 80.0;
        QTest::addRow("exponential, first retry exponent 1: 2 × base")
            << BackoffKind::Exponential << 1 << 90.0;
        QTest::addRow("exponential, first retry exponent 0: base")
            << BackoffKind::Exponential << 0 << 85.0;
    }
    void oneRaceWorkedOut()
    {
        QFETCH(BackoffKind, kind);
        QFETCH(int, exponent);
        QFETCH(double, makespanMs);
        ContentionModel m = fixedModel(2, kind);
        m.policy.backoff.firstRetryExponent = exponent;
        const TrialResult r = runContentionTrial(m, 1);
        QCOMPARE(r.calls, 3);
        QCOMPARE(r.reads, 3);
        QCOMPARE(r.makespanUs / 1000.0, makespanMs);
        QCOMPARE(r.meanLatencyUs / 1000.0, (40.0 + makespanMs) / 2);
        QCOMPARE(r.gaveUp, 0);
    }

    // Decorrelated jitter starts from base: the loser's first wait is U(5, 15) ms whatever
    // the exponent says.
    void decorrelatedStartsFromBase()
    {
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            const TrialResult r =
                runContentionTrial(fixedModel(2, BackoffKind::DecorrelatedJitter), seed);
            const double wait = r.makespanUs / 1000.0 - 80.0;
            QVERIFY2(wait >= 5.0 && wait < 15.0, qPrintable(QString::number(wait)));
        }
    }

    // A fixed delay puts unjittered clients in lockstep: N(N+1)/2 writes for N clients.
    // The simulator's random delays break it.
    void lockstepNeedsAFixedDelay()
    {
        for (const int n : {5, 20}) {
            QCOMPARE(runContentionTrial(fixedModel(n, BackoffKind::Exponential), 3).calls,
                     n * (n + 1) / 2);
            QCOMPARE(runContentionTrial(fixedModel(n, BackoffKind::None), 3).calls,
                     n * (n + 1) / 2);
        }
        ContentionModel m = fixedModel(20, BackoffKind::Exponential);
        m.network = NetworkDelay::normal(10, 2);
        double calls = 0;
        for (std::uint64_t seed = 0; seed < 20; ++seed)
            calls += double(runContentionTrial(m, seed).calls) / 20;
        QVERIFY2(calls < 0.9 * 210, qPrintable(QString::number(calls)));
    }

    // The lean model and the engine agree on the study's numbers: 30 seeded trials of each,
    // means within 4 standard errors of each other.
    void leanModelAgreesWithTheEngine_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        QTest::addRow("full jitter") << BackoffKind::FullJitter;
        QTest::addRow("equal jitter") << BackoffKind::EqualJitter;
        QTest::addRow("decorrelated") << BackoffKind::DecorrelatedJitter;
    }
    void leanModelAgreesWithTheEngine()
    {
        QFETCH(BackoffKind, kind);
        Scenario s = awsStudy();
        s.clients = 15;
        s.policy.retry.backoff.kind = kind;
        const ContentionModel m = ContentionModel::fromScenario(s);
        const int trials = 30;
        std::vector<double> lean, full, leanTime, fullTime;
        for (int t = 0; t < trials; ++t) {
            const TrialResult r = runContentionTrial(m, 100 + t);
            lean.push_back(double(r.calls));
            leanTime.push_back(r.makespanUs / 1000.0);
            const auto [calls, ms] = engineTrial(s, 500 + t);
            full.push_back(calls);
            fullTime.push_back(ms);
        }
        const auto close = [](const std::vector<double> &a, const std::vector<double> &b) {
            const auto stats = [](const std::vector<double> &v) {
                double mu = 0, q = 0;
                for (double x : v)
                    mu += x / v.size();
                for (double x : v)
                    q += (x - mu) * (x - mu) / (v.size() - 1);
                return std::pair{mu, q / v.size()};
            };
            const auto [ma, va] = stats(a);
            const auto [mb, vb] = stats(b);
            return std::abs(ma - mb) <= 4 * std::sqrt(va + vb) + 1e-9;
        };
        QVERIFY(close(lean, full));
        QVERIFY(close(leanTime, fullTime));
    }

    // Results do not depend on the number of threads, byte for byte.
    void jobsDoNotChangeTheResult()
    {
        const Scenario s = awsStudy();
        const QList<BackoffKind> kinds{BackoffKind::None, BackoffKind::FullJitter,
                                       BackoffKind::DecorrelatedJitter};
        const auto one = runContentionGrid(s, {10, 30, 60}, kinds, 12, 1);
        const auto two = runContentionGrid(s, {10, 30, 60}, kinds, 12, 2);
        const auto five = runContentionGrid(s, {10, 30, 60}, kinds, 12, 5);
        QCOMPARE(one.size(), 9);
        QCOMPARE(json(one), json(two));
        QCOMPARE(json(one), json(five));
        for (const GridCell &c : one) {
            QVERIFY(c.p10Calls <= c.meanCalls && c.meanCalls <= c.p90Calls);
            QVERIFY(c.p10CompletionMs <= c.p90CompletionMs);
            QVERIFY(c.meanClientLatencyMs <= c.meanCompletionMs);
            QCOMPARE(c.gaveUp, 0);
        }
    }

    // `retrylab --headless ... --jobs 1` and `--jobs 2` write the same files.
    void headlessJobsByteForByte()
    {
        QTemporaryDir dir;
        QByteArray files[2];
        for (const int jobs : {1, 2}) {
            const QString out = dir.filePath(u"grid-%1.json"_s.arg(jobs));
            const int code = QProcess::execute(
                QStringLiteral(RETRYLAB_BIN),
                {u"--headless"_s, u"--scenario"_s, u"aws-jitter-study"_s, u"--grid-clients"_s,
                 u"10,40"_s, u"--grid-strategies"_s, u"none,exponential,full-jitter"_s,
                 u"--trials"_s, u"20"_s, u"--jobs"_s, QString::number(jobs), u"--summary"_s, out});
            QCOMPARE(code, 0);
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            files[jobs - 1] = f.readAll();
        }
        QCOMPARE(files[0], files[1]);
        const QJsonArray cells = QJsonDocument::fromJson(files[0]).array();
        QCOMPARE(cells.size(), 6);
        for (const char *key :
             {"clients", "strategy", "trials", "meanCalls", "meanCompletionMs", "p10Calls",
              "p90Calls", "p10CompletionMs", "p90CompletionMs", "meanClientLatencyMs"})
            QVERIFY2(cells.first().toObject().contains(QLatin1String(key)), key);
    }

    // The same from the command line, as CSV, and what it says about a bad field.
    void headlessSweep()
    {
        QTemporaryDir dir;
        const QString csv = dir.filePath(u"sweep.csv"_s);
        QProcess p;
        p.start(QStringLiteral(RETRYLAB_BIN),
                {u"--headless"_s, u"--scenario"_s, u"aws-jitter-study"_s, u"--sweep-field"_s,
                 u"baseMs"_s, u"--sweep-values"_s, u"1,5,25"_s, u"--grid-strategies"_s,
                 u"full-jitter,preset:aws-sdk-standard"_s, u"--trials"_s, u"5"_s, u"--csv"_s, csv});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 3 * 2);
        QVERIFY(lines[1].startsWith("baseMs,1,100,full-jitter,5,"));
        QVERIFY(lines[2].startsWith("baseMs,1,100,preset:aws-sdk-standard,5,"));
        p.start(QStringLiteral(RETRYLAB_BIN),
                {u"--headless"_s, u"--scenario"_s, u"aws-jitter-study"_s, u"--sweep-field"_s,
                 u"colour"_s, u"--sweep-values"_s, u"1"_s});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("'colour' is not a field a study can sweep"));
    }

    // A sweep of a field other than the clients: a larger base spreads the retries (fewer
    // calls) at the price of time; the cells say what was swept.
    void sweepOfTheBase()
    {
        Scenario s = awsStudy();
        s.clients = 40;
        QList<StudyCellSpec> cells;
        for (const double base : {1.0, 5.0, 25.0}) {
            StudyCellSpec c{u"baseMs"_s, base, u"full-jitter"_s, s};
            QVERIFY(applyStudyField(c.scenario, u"baseMs"_s, base).isEmpty());
            cells << c;
        }
        StudyOptions o;
        o.trials = 30;
        const auto out = runStudy(cells, o);
        QCOMPARE(out.size(), 3);
        QCOMPARE(out[2].field, u"baseMs"_s);
        QCOMPARE(out[2].value, 25.0);
        QCOMPARE(out[2].clients, 40);
        QVERIFY2(out[0].meanCalls > out[2].meanCalls, qPrintable(gridTable(out)));
        const QJsonObject first = gridJson(out).first().toObject();
        QCOMPARE(first[u"field"_s].toString(), u"baseMs"_s);
        QCOMPARE(first[u"value"_s].toDouble(), 1.0);
        QVERIFY(gridCsv(out).startsWith(u"field,value,clients,strategy"_s));
    }

    // A failure rate: every request (read and write) fails with 503 at that rate and is
    // retried; three reads in ten then end before their write, and every client still wins.
    void sweepOfTheFailureRate()
    {
        Scenario s = awsStudy();
        s.clients = 20;
        s.policy.retry.retryableStatuses << 503;
        for (const double rate : {0.0, 0.3}) {
            Scenario v = s;
            QVERIFY(applyStudyField(v, u"failureRate"_s, rate).isEmpty());
            const ContentionModel m = ContentionModel::fromScenario(v);
            double reads = 0, writes = 0;
            for (std::uint64_t seed = 0; seed < 20; ++seed) {
                const TrialResult r = runContentionTrial(m, seed);
                reads += double(r.reads);
                writes += double(r.calls);
                QCOMPARE(r.gaveUp, 0);
            }
            const double failedReads = (reads - writes) / reads;
            QVERIFY2(std::abs(failedReads - rate) < 0.05, qPrintable(QString::number(failedReads)));
        }
    }

    void fieldErrorsSayWhat_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("says");
        QTest::addRow("unknown") << u"colour"_s << 1.0 << u"not a field"_s;
        QTest::addRow("fraction of a client") << u"clients"_s << 2.5 << u"cannot be 2.5"_s;
        QTest::addRow("certain failure") << u"failureRate"_s << 1.0 << u"cannot be 1"_s;
    }
    void fieldErrorsSayWhat()
    {
        QFETCH(QString, field);
        QFETCH(double, value);
        QFETCH(QString, says);
        Scenario s;
        const QString problem = applyStudyField(s, field, value);
        QVERIFY2(problem.contains(says), qPrintable(problem));
    }

    void valuesParse()
    {
        QString error;
        QCOMPARE(parseStudyValues(u"10..50/10"_s, &error), (QList<double>{10, 20, 30, 40, 50}));
        QCOMPARE(parseStudyValues(u"1, 5,25"_s, &error), (QList<double>{1, 5, 25}));
        QVERIFY(!parseStudyValues(u"1,x"_s, &error));
        QVERIFY(error.contains(u"'x'"_s));
    }

    // Cancelling stops early and returns only the finished cells.
    void cancelStops()
    {
        Scenario s = awsStudy();
        std::atomic<bool> cancel{false};
        StudyOptions o;
        o.trials = 50;
        o.jobs = 2;
        o.cancel = &cancel;
        o.cellDone = [&cancel](int, const GridCell &) {
            cancel = true;
        };
        const auto cells =
            *studyCells(s, u"clients"_s, {10, 20, 40, 80, 160}, {u"full-jitter"_s}, nullptr);
        const auto done = runStudy(cells, o);
        QVERIFY(!done.isEmpty());
        QVERIFY(done.size() < cells.size());
    }
};

QTEST_GUILESS_MAIN(TestStudy)
#include "tst_study.moc"
