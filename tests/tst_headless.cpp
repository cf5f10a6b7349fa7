// SPDX-License-Identifier: GPL-3.0-or-later
// `retrylab --headless` as a QA pipeline runs it: exit codes and the files it writes (what
// survives a killed process: tst_headless_stops).
#include "headless_process.h"
#include "log/jsonl_log.h"
#include "scenario/scenario.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestHeadless : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void passingExpectationsExitZero()
    {
        QTemporaryDir dir;
        const QString summary = dir.filePath(u"s.json"_s);
        const Result r = run({u"--headless"_s, u"--scenario"_s, u"duplicate-charges-with-keys"_s,
                              u"--summary"_s, summary});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"maxDuplicates"_s) && r.out.contains(u"ok"_s), qPrintable(r.out));
        const QJsonObject json = readJson(summary);
        QCOMPARE(json.value(u"expectationsHold"_s).toBool(), true);
        QCOMPARE(json.value(u"duplicateEffects"_s).toInt(), 0);
    }

    void failingExpectationsExitOneWithTheMeasuredValue()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"duplicate-charges-without-keys"_s);
        s.expectations = {};
        s.expectations.maxDuplicates = 0;
        s.expectations.minSuccessPercent = 50; // holds: only the first fails
        const QString file = saveScenario(dir, u"dup.json"_s, s);
        const QString summary = dir.filePath(u"s.json"_s);
        const Result r = run({u"--headless"_s, u"--scenario"_s, file, u"--summary"_s, summary});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject json = readJson(summary);
        const qint64 duplicates = json.value(u"duplicateEffects"_s).toInteger();
        QVERIFY(duplicates > 0);
        const QString line = r.out.section(u"maxDuplicates"_s, 1).section(u'\n', 0, 0);
        QVERIFY2(line.contains(u"measured %1"_s.arg(duplicates)) && line.contains(u"FAILED"_s),
                 qPrintable(r.out));
        QVERIFY(r.out.section(u"minSuccessPercent"_s, 1).section(u'\n', 0, 0).contains(u"ok"_s));
        QCOMPARE(json.value(u"expectationsHold"_s).toBool(), false);
    }

    void badInputExitsTwoNamingFileFieldAndProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("expectation out of range")
            << QByteArray(R"({"version": 1, "expectations": {"minSuccessPercent": 120}})")
            << u"expectations.minSuccessPercent"_s;
        QTest::newRow("unknown expectation")
            << QByteArray(R"({"version": 1, "expectations": {"maxDuplicate": 0}})")
            << u"expectations.maxDuplicate"_s;
        QTest::newRow("unknown preset")
            << QByteArray(R"({"version": 1, "policy": {"preset": "tenacity"}})")
            << u"policy.preset: 'tenacity' is not a preset"_s;
        QTest::newRow("not JSON") << QByteArray("{\"version\": 1,") << u"not valid JSON"_s;
    }
    void badInputExitsTwoNamingFileFieldAndProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QFile f(dir.filePath(u"bad.json"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(json);
        f.close();
        const Result r = run({u"--headless"_s, u"--scenario"_s, f.fileName()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(f.fileName()) && r.err.contains(message), qPrintable(r.err));
    }

    void writesCsvHarAndReport()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"breaker-trip-and-recovery"_s);
        s.simulated = true;
        s.headers = {{"Authorization", "Bearer top-secret"}, {"X-Team-Token", "t0k3n"}};
        const QString file = saveScenario(dir, u"b.json"_s, s);
        const QString csv = dir.filePath(u"a.csv"_s);
        const QString har = dir.filePath(u"a.har"_s);
        const QString report = dir.filePath(u"a.html"_s);
        const QString log = dir.filePath(u"a.jsonl"_s);
        const QString charts = dir.filePath(u"charts"_s);
        const Result r = run({u"--headless"_s, u"--scenario"_s, file, u"--csv"_s, csv, u"--har"_s,
                              har, u"--report"_s, report, u"--log"_s, log, u"--charts"_s, charts,
                              u"--redact"_s, u"X-Team-Token"_s});
        QCOMPARE(r.exitCode, 0);
        for (const QString &f : {csv, dir.filePath(u"a.breakers.csv"_s),
                                 dir.filePath(u"a.server.csv"_s), har, report, log}) {
            QFile out(f);
            QVERIFY2(out.open(QIODevice::ReadOnly), qPrintable(f));
            const QByteArray bytes = out.readAll();
            QVERIFY(!bytes.isEmpty());
            QVERIFY2(!bytes.contains("top-secret") && !bytes.contains("t0k3n"), qPrintable(f));
        }
        const QJsonObject harLog = readJson(har).value(u"log"_s).toObject();
        QVERIFY(harLog.value(u"entries"_s).toArray().size() > 100);
        QFile html(report);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(html.readAll());
        QCOMPARE(page.count(u"<svg"_s), 6); // the six charts, inline
        QVERIFY(page.contains(u"Breaker trip and recovery"_s));
        QVERIFY(page.contains(u"Breaker transitions"_s));
        // Simulated time has no client that could keep an answer waiting.
        QVERIFY(!page.contains(u"Answers waiting for the client"_s));
        // The built-in server's report card of the run's clients (core/mock/README.md).
        QVERIFY(page.contains(u"<h2>Clients</h2>"_s));
        QVERIFY(page.contains(u"honours-retry-after"_s));
        AttemptLog back;
        QVERIFY(readJsonlLog(log, back).ok);
        QVERIFY(back.breakerCount() >= 3);
        const QStringList pictures = QDir(charts).entryList(QDir::Files, QDir::Name);
        QCOMPARE(pictures.size(), 12); // six charts, PNG and SVG
        QCOMPARE(pictures.first(), u"01-attempt-timeline.png"_s);
    }

    // A comparison runs every policy, prints a summary for each and the table side by side,
    // checks the expectations of every policy and those one policy names for itself, and
    // writes one file per policy.
    void comparisonRunsEveryPolicy()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"thundering-herd"_s);
        s.simulated = true;
        s.expectations.minSuccessPercent = 50;           // every policy
        s.compare[1].expectations.maxAmplification = 50; // full jitter only
        const QString file = saveScenario(dir, u"herd.json"_s, s);
        const QString summary = dir.filePath(u"s.json"_s);
        const QString csv = dir.filePath(u"c.csv"_s);
        const Result r =
            run({u"--headless"_s, u"--scenario"_s, file, u"--summary"_s, summary, u"--csv"_s, csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        const QStringList names{u"Exponential, no jitter"_s, u"Full jitter"_s,
                                u"Decorrelated jitter"_s};
        for (const QString &name : names)
            QVERIFY2(r.out.contains(u"== %1 =="_s.arg(name)), qPrintable(r.out));
        // The table: a header and one aligned line per policy, after the summaries.
        const QStringList lines = r.out.trimmed().split(u'\n');
        QVERIFY(lines.size() > 4);
        QVERIFY2(lines[lines.size() - 4].startsWith(u"Policy"_s), qPrintable(r.out));
        QVERIFY(lines[lines.size() - 4].contains(u"Peak server load"_s));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(lines[lines.size() - 3 + i].startsWith(names[i]));
            QCOMPARE(lines[lines.size() - 3 + i].size(), lines[lines.size() - 4].size());
        }
        const QJsonObject json = readJson(summary);
        QCOMPARE(json.value(u"expectationsHold"_s).toBool(), true);
        const QJsonArray policies = json.value(u"policies"_s).toArray();
        QCOMPARE(policies.size(), 3);
        for (int i = 0; i < 3; ++i) {
            const QJsonObject p = policies[i].toObject();
            QCOMPARE(p.value(u"policy"_s).toString(), names[i]);
            QCOMPARE(p.value(u"operations"_s).toInt(), 100);
            QCOMPARE(p.value(u"expectations"_s).toArray().size(), i == 1 ? 2 : 1);
        }
        for (const QString &f : {u"c.1-exponential-no-jitter.csv"_s, u"c.2-full-jitter.csv"_s,
                                 u"c.3-decorrelated-jitter.csv"_s})
            QVERIFY2(QFileInfo(dir.filePath(f)).size() > 0, qPrintable(f));
    }

    void aPolicysOwnExpectationFails()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"thundering-herd"_s);
        s.simulated = true;
        s.compare[0].expectations.maxPeakServerPer100ms = 1; // no jitter: the herd is the point
        const QString file = saveScenario(dir, u"herd.json"_s, s);
        const Result r = run({u"--headless"_s, u"--scenario"_s, file});
        QCOMPARE(r.exitCode, 1);
        const qsizetype failed = r.out.indexOf(u"FAILED"_s);
        QVERIFY2(failed > r.out.indexOf(u"== Exponential, no jitter =="_s), qPrintable(r.out));
        QVERIFY(failed < r.out.indexOf(u"== Full jitter =="_s));
        QCOMPARE(r.out.count(u"FAILED"_s), 1);
    }

    void onePolicyOfAComparison()
    {
        QTemporaryDir dir;
        Scenario s = ready(u"thundering-herd"_s);
        s.simulated = true;
        const QString file = saveScenario(dir, u"herd.json"_s, s);
        const QString summary = dir.filePath(u"s.json"_s);
        Result r = run({u"--headless"_s, u"--scenario"_s, file, u"--policy"_s, u"Full jitter"_s,
                        u"--summary"_s, summary});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.out.contains(u"== "_s));
        QCOMPARE(readJson(summary).value(u"operations"_s).toInt(), 100);
        r = run({u"--headless"_s, u"--scenario"_s, file, u"--policy"_s, u"Half jitter"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no policy called 'Half jitter' (it has: Exponential, no "
                                "jitter, Full jitter, Decorrelated jitter)"_s),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
