// SPDX-License-Identifier: GPL-3.0-or-later
// Every ready scenario (resources/scenarios) loads, says what it shows, and runs: a second of
// real time (then Stop) or the whole run in simulated time.
#include "run/run_controller.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestReadyScenarios : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

    void theMenuHasTheIssuesList()
    {
        const QStringList names = QDir(u":/scenarios"_s).entryList({u"*.json"_s});
        for (const QString &required :
             {u"thundering-herd.json"_s, u"retry-after-compliance.json"_s,
              u"breaker-trip-and-recovery.json"_s, u"duplicate-charges-without-keys.json"_s,
              u"duplicate-charges-with-keys.json"_s, u"timeout-vs-budget.json"_s})
            QVERIFY2(names.contains(required), qPrintable(required));
        for (const PolicyPreset &p : policyPresets())
            if (p.id != u"default"_s)
                QVERIFY2(names.contains(u"preset-%1.json"_s.arg(p.id)), qPrintable(p.id));
    }

    void runsForASecond_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : QDir(u":/scenarios"_s).entryList({u"*.json"_s}))
            QTest::newRow(qPrintable(f)) << u":/scenarios/"_s + f;
    }
    void runsForASecond()
    {
        QFETCH(QString, file);
        QString error;
        auto s = Scenario::load(file, &error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY2(s->description.size() > 80, "each ready scenario explains what it shows");
        if (!s->compare.isEmpty())
            *s = s->variant(0);
        RunController run;
        QSignalSpy finished(&run, &RunController::runFinished);
        QSignalSpy failed(&run, &RunController::runFailed);
        run.start(*s);
        if (!s->simulated) {
            QTest::qWait(1000);
            run.stop();
        }
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        QVERIFY(failed.isEmpty());
        const auto summary = finished.front().front().value<RunSummary>();
        QVERIFY2(summary.attemptsSent > 0, qPrintable(summary.toText()));
        // The summary and the log agree.
        QCOMPARE(std::size_t(summary.attemptsSent + summary.attemptsRefused), run.log()->size());
    }
};

QTEST_GUILESS_MAIN(TestReadyScenarios)
#include "tst_ready_scenarios.moc"
