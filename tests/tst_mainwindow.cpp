// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/run_analysis.h"
#include "charts/charts_view.h"
#include "charts/load_chart.h"
#include "charts/timeline_chart.h"
#include "gui_test_utils.h"
#include "log/attempt_log_view.h"
#include "log/attempt_table_model.h"
#include "main_window.h"
#include "mock/mock_server_host.h"
#include "policy/policy_editor.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QPalette>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { useFreshSettings(u"tst_mainwindow"_s); }

    void opensWithThePolicyEditorAndAServer()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.windowTitle().endsWith(u"Retry Lab"_s));
        auto *pages = w.findChild<QTabWidget *>(u"pages"_s);
        QVERIFY(pages);
        QCOMPARE(pages->widget(0), w.policyEditor());
        QVERIFY(w.policyEditor()->isVisible());
        QVERIFY(w.policyEditor()->policy());
        QStringList menus;
        for (QAction *a : w.menuBar()->actions())
            menus << a->text();
        QCOMPARE(menus, (QStringList{u"&File"_s, u"&Demos"_s, u"&Run"_s, u"&View"_s, u"&Help"_s}));
        // The built-in server is up on loopback and says where.
        QVERIFY(w.server()->isRunning());
        QCOMPARE(w.server()->url().host(), u"127.0.0.1"_s);
        QVERIFY(
            w.findChild<QLabel *>(u"serverLabel"_s)->text().contains(w.server()->url().toString()));
        QVERIFY(w.runAction()->isEnabled());
        const QString shot = saveScreenshot(&w, u"mainwindow-default"_s);
        QVERIFY(QFile::exists(shot));
    }

    void helpPageExplains()
    {
        MainWindow w;
        w.show();
        auto *action = w.findChild<QAction *>(u"helpGuide"_s);
        QVERIFY(action);
        action->trigger();
        QDialog *page = nullptr;
        QTRY_VERIFY((page = w.findChild<QDialog *>()) != nullptr);
        auto *text = page->findChild<QTextBrowser *>(u"helpText"_s);
        QVERIFY(text);
        const QString plain = text->toPlainText();
        for (const char *words : {"Full jitter", "Decorrelated jitter", "Retry-After",
                                  "Idempotency key", "Circuit breaker", "Built-in server"})
            QVERIFY2(plain.contains(QLatin1String(words)), words);
        saveScreenshot(page, u"help-page"_s);
    }

    // Pressing Run gives attempts within a second or so, in the table and the counters.
    void runShowsAttempts()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        QVERIFY(!w.runAction()->isEnabled());
        QVERIFY(w.stopAction()->isEnabled());
        QAbstractItemModelTester tester(w.attemptLog()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(w.attemptLog()->model()->rowCount() > 0, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.findChild<QLabel *>(u"counters"_s)->text().contains(u"attempts"_s), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(w.attemptLog()->model()->rowCount() > 40, 10000);
        saveScreenshot(&w, u"mainwindow-running"_s);
        w.stopAction()->trigger();
        QVERIFY(finished.wait(15000));
        QVERIFY(w.runAction()->isEnabled());
        QVERIFY(w.statusBar()->currentMessage().contains(u"Run finished"_s));
        // Every row reads back from the log.
        const auto *model = w.attemptLog()->model();
        QCOMPARE(std::size_t(model->rowCount()), w.runController()->log()->size());
        QCOMPARE(model->index(0, AttemptTableModel::Attempt).data().toInt(), 1);
        saveScreenshot(&w, u"mainwindow-finished"_s);
    }

    // Send once: one request with what the editor holds, shown at once in the attempt detail
    // with the status and body the built-in server sent and the phases' timings; the
    // editors' scenario and policy stay as they were.
    void sendOnceShowsTheExchange()
    {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Scenario s = w.scenarioEditor()->draft(*w.policyEditor()->policy());
        s.builtinServer = true;
        s.simulated = false;
        s.profile = FaultProfile(); // healthy: 200 with a JSON echo of the request
        s.method = "GET";
        s.path = u"/probe-me"_s;
        s.body.clear();
        s.keys = KeyMode::None;
        s.policy.retry.maxAttempts = 5;
        s.name = u"A scenario whose name goes on and on, as names pasted from a ticket do"_s;
        w.showScenario(s);
        // The long name is cut: the server's address stays on the toolbar, not in its overflow.
        QTRY_VERIFY(w.findChild<QLabel *>(u"serverLabel"_s)->isVisible());
        QVERIFY(w.findChild<QLabel *>(u"scenarioName"_s)->toolTip().startsWith(s.name));
        const ClientPolicy before = *w.policyEditor()->policy();
        QVERIFY(!w.isEdited());
        QAction *send = w.sendOnceAction();
        QVERIFY(send && send->isEnabled());
        QCOMPARE(send->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Return));
        auto *button = w.scenarioEditor()->findChild<QToolButton *>(u"sendOnceButton"_s);
        QVERIFY(button);
        QCOMPARE(button->defaultAction(), send);
        // On a 1280x720 screen the button is in sight on the Target page, without scrolling.
        w.pages()->setCurrentWidget(w.findChild<QWidget *>(u"scenarioPage"_s));
        QTRY_VERIFY(button->isVisible());
        const QRect inWindow(button->mapTo(&w, QPoint(0, 0)), button->size());
        QVERIFY2(w.rect().contains(inWindow), qPrintable(u"%1,%2 %3x%4 in %5x%6"_s.arg(inWindow.x())
                                                             .arg(inWindow.y())
                                                             .arg(inWindow.width())
                                                             .arg(inWindow.height())
                                                             .arg(w.width())
                                                             .arg(w.height())));
        saveScreenshot(&w, u"send-once-target-1280x720"_s);
        QSignalSpy shown(&w, &MainWindow::runShown);
        button->click();
        QVERIFY(shown.wait(20000));
        QCOMPARE(w.runController()->log()->size(), std::size_t(1));
        QCOMPARE(w.pages()->currentWidget(), w.attemptLog());
        const QString details = w.attemptLog()->details();
        QVERIFY2(details.contains(u"GET /probe-me HTTP/1.1"_s), qPrintable(details));
        QVERIFY2(details.contains(u"(200, HTTP/1.1)"_s), qPrintable(details));
        QVERIFY2(details.contains(u"\"path\":\"/probe-me\""_s), qPrintable(details));
        QVERIFY2(details.contains(u"time_starttransfer"_s), qPrintable(details));
        QVERIFY(details.contains(u"time_total"_s));
        QCOMPARE(w.findChild<QPlainTextEdit *>(u"attemptDetails"_s)->toPlainText(), details);
        // No retries however the policy reads, and the policy and scenario are untouched.
        QCOMPARE(*w.policyEditor()->policy(), before);
        QCOMPARE(before.retry.maxAttempts, 5);
        QVERIFY(!w.isEdited());
        QVERIFY(send->isEnabled());
        saveScreenshot(&w, u"send-once-1280x720"_s);
    }

    void chartsFollowARunLive()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.pages()->setCurrentWidget(w.charts());
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        QCOMPARE(w.pages()->currentWidget(), w.charts()); // the run does not take the view away
        // The timeline grows while the run goes on.
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->analysis()->timeline().bars() > 0, 5000);
        const qint64 early = w.charts()->analysis()->timeline().bars();
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->analysis()->timeline().bars() > early + 20, 10000);
        QVERIFY(w.runController()->isRunning());
        // The load chart counts what reached the built-in server while the run goes on.
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->analysis()->load().source() ==
                                         LoadSeries::Source::Arrived &&
                                     w.runController()->isRunning(),
                                 5000);
        QVERIFY(w.charts()->analysis()->log().journalSize() == 0); // the full journal comes last
        saveScreenshot(&w, u"mainwindow-charts-live"_s);
        w.stopAction()->trigger();
        QVERIFY(finished.wait(15000));
        QCOMPARE(std::size_t(w.charts()->analysis()->timeline().bars()),
                 w.runController()->log()->size());
        w.charts()->tabs()->setCurrentWidget(w.charts()->load());
        saveScreenshot(&w, u"mainwindow-charts-load"_s);
    }

    // Registered a second time in CTest with a dark palette at 200% (QT_SCALE_FACTOR=2).
    void darkAndScaled()
    {
        if (!qEnvironmentVariableIsSet("RETRYLAB_TEST_DARK"))
            QSKIP("runs as tst_mainwindow_dark_200");
        QApplication::setStyle(u"Fusion"_s);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        QApplication::setPalette(dark);
        MainWindow w;
        w.resize(1280, 860);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.devicePixelRatio(), qreal(2));
        Scenario s = *Scenario::load(u":/scenarios/flaky-demo.json"_s, nullptr);
        s.simulated = true;
        w.scenarioEditor()->setScenario(s);
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        QVERIFY(finished.wait(30000));
        // Table text stays readable: the outcome tints are translucent over the dark base.
        const QImage table = w.attemptLog()->table()->viewport()->grab().toImage();
        // On average over the viewport (one pixel could fall on a glyph of light text).
        qint64 lightness = 0;
        for (int y = 0; y < table.height(); y += 7)
            for (int x = 0; x < table.width(); x += 7)
                lightness += table.pixelColor(x, y).lightness();
        const qint64 samples = qint64((table.height() + 6) / 7) * ((table.width() + 6) / 7);
        QVERIFY2(lightness / samples < 128, qPrintable(QString::number(lightness / samples)));
        saveScreenshot(&w, u"mainwindow-dark-200-attempts"_s);
        w.pages()->setCurrentWidget(w.charts());
        w.charts()->tabs()->setCurrentWidget(w.charts()->timeline());
        saveScreenshot(&w, u"mainwindow-dark-200-charts"_s);
        w.pages()->setCurrentWidget(w.policyEditor());
        saveScreenshot(&w, u"mainwindow-dark-200-policy"_s);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
