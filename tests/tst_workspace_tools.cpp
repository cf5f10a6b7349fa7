// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace's tools around a run, driven as a person would, offscreen: policy as code,
// advice that depends on the whole scenario, exports and re-opening a recorded run, the
// attempt's headers, recent endpoints.
#include "analysis/run_analysis.h"
#include "analysis/summary_tally.h"
#include "charts/charts_view.h"
#include "gui_test_utils.h"
#include "log/attempt_log_view.h"
#include "log/attempt_table_model.h"
#include "log/log_exports.h"
#include "main_window.h"
#include "policy/policy_editor.h"
#include "policy/snippet_dialog.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"

#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestWorkspaceTools : public QObject
{
    Q_OBJECT
private:
    // Runs the editors' scenario in simulated time and waits for it.
    static bool runSimulated(MainWindow &w)
    {
        Scenario s = *Scenario::load(u":/scenarios/flaky-demo.json"_s, nullptr);
        s.simulated = true;
        s.headers = {{"Authorization", "Bearer hidden"}, {"Accept", "application/json"}};
        w.scenarioEditor()->setScenario(s);
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        return finished.wait(30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setOrganizationName(u"RetryLabTests"_s);
        QApplication::setApplicationName(u"tst_workspace_tools"_s);
        qRegisterMetaType<RunSummary>();
    }

    void copyAsCodeShowsTheCoresSnippet()
    {
        PolicyEditor editor;
        editor.applyPreset(u"aws-sdk-standard"_s);
        auto *button = editor.findChild<QToolButton *>(u"copyAsCode"_s);
        QVERIFY(button && button->menu());
        QAction *tenacity = nullptr;
        for (QAction *a : button->menu()->actions())
            if (a->text() == snippet::title(SnippetTarget::Tenacity))
                tenacity = a;
        QVERIFY(tenacity);
        tenacity->trigger();
        auto *dialog = editor.findChild<SnippetDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->text(),
                 snippet::generate(*editor.policy(), SnippetTarget::Tenacity, u"retrylab"_s));
        dialog->setTarget(SnippetTarget::EnvoyRoute);
        QVERIFY(dialog->text().contains(u"retry_policy:"_s));
        dialog->copyToClipboard();
        QCOMPARE(QGuiApplication::clipboard()->text(), dialog->text());
        saveScreenshot(dialog, u"policy-as-code"_s);
    }

    void adviceKnowsTheWholeScenario()
    {
        MainWindow w;
        w.policyEditor()->applyPreset(u"naive-3x"_s); // fixed waits: no jitter
        auto *clients = w.scenarioEditor()->findChild<QSpinBox *>(u"load.clients"_s);
        QVERIFY(clients);
        clients->setValue(50);
        auto *advice = w.policyEditor()->findChild<QLabel *>(u"advice"_s);
        QTRY_VERIFY2(advice->text().contains(u"no jitter with 50 clients"_s),
                     qPrintable(advice->text()));
        w.policyEditor()->applyPreset(u"default"_s); // full jitter
        QVERIFY(!advice->text().contains(u"no jitter"_s));
    }

    void exportsAndReopensARun()
    {
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        QVERIFY(runSimulated(w));
        const std::size_t records = w.runController()->log()->size();
        QVERIFY(records > 100);
        QTemporaryDir dir;
        QString error;
        for (const QString &name : {u"run.csv"_s, u"run.jsonl"_s, u"run.har"_s, u"run.html"_s}) {
            QVERIFY2(w.exports()->exportTo(dir.filePath(name), &error), qPrintable(error));
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY(bytes.size() > 1000);
            QVERIFY2(!bytes.contains("Bearer hidden"), qPrintable(name));
        }
        QVERIFY2(w.exports()->exportCharts(dir.filePath(u"charts"_s), &error), qPrintable(error));
        QCOMPARE(QDir(dir.filePath(u"charts"_s)).entryList(QDir::Files).size(), 10);
        QVERIFY(!w.exports()->exportTo(dir.filePath(u"run.xlsx"_s), &error));
        QVERIFY(error.contains(u".csv, .jsonl, .har or .html"_s));

        // A recorded run opens in the table and the charts, as it was.
        Scenario recorded;
        const auto log = w.exports()->open(dir.filePath(u"run.jsonl"_s), &recorded, &error);
        QVERIFY2(log, qPrintable(error));
        QCOMPARE(recorded.name, w.scenarioEditor()->draft(*w.policyEditor()->policy()).name);
        w.showRecordedRun(log, recorded, SummaryTally::of(*log));
        QCOMPARE(std::size_t(w.attemptLog()->model()->rowCount()), records);
        QCOMPARE(std::size_t(w.charts()->analysis()->timeline().bars()), records);
        QVERIFY(w.windowTitle().contains(u"recorded"_s));
        saveScreenshot(&w, u"workspace-recorded-run"_s);
    }

    void selectedAttemptShowsItsHeaders()
    {
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        QVERIFY(runSimulated(w));
        QTableView *table = w.attemptLog()->table();
        table->setCurrentIndex(table->model()->index(0, 0));
        const QString details =
            w.attemptLog()->findChild<QPlainTextEdit *>(u"attemptDetails"_s)->toPlainText();
        QVERIFY2(details.contains(u"Request headers:"_s), qPrintable(details));
        QVERIFY(details.contains(u"X-Client-Id: "_s));
        QVERIFY(details.contains(u"Accept: application/json"_s));
        QVERIFY(details.contains(u"Authorization: [redacted]"_s));
        QVERIFY(details.contains(u"Response headers:"_s));
        QVERIFY(details.contains(u"Date: "_s));
        saveScreenshot(&w, u"workspace-attempt-details"_s);
    }

    void recentEndpointsAreOffered()
    {
        ScenarioEditor editor;
        editor.rememberEndpoint(QUrl(u"https://api.example.com/v1"_s));
        editor.rememberEndpoint(QUrl(u"http://localhost:8080/"_s));
        editor.rememberEndpoint(QUrl(u"https://api.example.com/v1"_s));
        QCOMPARE(editor.recentEndpoints(),
                 QStringList({u"https://api.example.com/v1"_s, u"http://localhost:8080/"_s}));
        ScenarioEditor again; // remembered across windows
        QCOMPARE(again.recentEndpoints().first(), u"https://api.example.com/v1"_s);
        auto *url = again.findChild<QLineEdit *>(u"target.url"_s);
        QVERIFY(url && url->completer());
    }
};

QTEST_MAIN(TestWorkspaceTools)
#include "tst_workspace_tools.moc"
