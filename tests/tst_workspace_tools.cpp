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
#include <QJsonDocument>
#include <QJsonObject>
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
        useFreshSettings(u"tst_workspace_tools"_s);
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
        QCOMPARE(QDir(dir.filePath(u"charts"_s)).entryList(QDir::Files).size(), 12);
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

    void opensWorkerLogsAsOneRun()
    {
        // Locust's workers write one log each; File > Open attempt log takes them together.
        // RETRYLAB_LOCUST_LOGS may name a folder of real ones (tst_locust_run keeps them in
        // its output folder) for the screenshot of a merged run.
        QTemporaryDir dir;
        QStringList files;
        const QString real = qEnvironmentVariable("RETRYLAB_LOCUST_LOGS");
        for (const QString &f : QDir(real).entryList({u"*.jsonl"_s}, QDir::Files))
            files << real + u'/' + f;
        if (real.isEmpty()) {
            const auto line = [](const QJsonObject &o) {
                QByteArray out = QJsonDocument(o).toJson(QJsonDocument::Compact);
                out.append('\n');
                return out;
            };
            for (int worker = 0; worker < 2; ++worker) {
                QByteArray text =
                    line({{u"kind"_s, u"run"_s},
                          {u"scenario"_s, QJsonObject{{u"name"_s, u"Flaky service"_s}}},
                          {u"target"_s, u"http://127.0.0.1:8080/orders"_s},
                          {u"startedAt"_s, u"2026-11-30T12:00:0%1.250Z"_s.arg(worker)}});
                for (int client = 0; client < 6; ++client) {
                    for (int op = 0; op < 5; ++op) {
                        const double t = op * 900.0 + client * 40.0;
                        QJsonObject a{{u"kind"_s, u"attempt"_s},
                                      {u"client"_s, worker * 6 + client},
                                      {u"operation"_s, op},
                                      {u"method"_s, u"GET"_s},
                                      {u"url"_s, u"/orders"_s},
                                      {u"attempt"_s, 1},
                                      {u"startedMs"_s, t},
                                      {u"finishedMs"_s, t + 30},
                                      {u"outcome"_s, u"server-error"_s},
                                      {u"status"_s, 503},
                                      {u"retryAfterMs"_s, 500}};
                        text += line(a);
                        a.insert(u"attempt"_s, 2);
                        a.insert(u"startedMs"_s, t + 540);
                        a.insert(u"finishedMs"_s, t + 560);
                        a.insert(u"outcome"_s, u"success"_s);
                        a.insert(u"status"_s, 200);
                        a.remove(u"retryAfterMs"_s);
                        a.insert(u"plannedDelayMs"_s, 500);
                        a.insert(u"delayReason"_s, u"retry-after"_s);
                        a.insert(u"actualDelayMs"_s, 510);
                        a.insert(u"stop"_s, u"succeeded"_s);
                        text += line(a);
                    }
                }
                QFile f(dir.filePath(u"worker%1.jsonl"_s.arg(worker)));
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(text);
                files << f.fileName();
            }
        }
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        Scenario scenario;
        QString error;
        const auto log = w.exports()->openMerged(files, &scenario, &error);
        QVERIFY2(log, qPrintable(error));
        if (real.isEmpty()) {
            QCOMPARE(log->size(), std::size_t(120));
            // The first worker started a second before the second: its times come first.
            QCOMPARE(log->at(0).finishedUs, qint64(30'000));
            QVERIFY(log->at(log->size() - 1).finishedUs > 4'000'000);
        }
        w.showRecordedRun(log, scenario, SummaryTally::of(*log));
        QCOMPARE(std::size_t(w.attemptLog()->model()->rowCount()), log->size());
        QCOMPARE(std::size_t(w.charts()->analysis()->timeline().bars()), log->size());
        saveScreenshot(&w, u"workspace-merged-worker-logs"_s);
    }
};

QTEST_MAIN(TestWorkspaceTools)
#include "tst_workspace_tools.moc"
