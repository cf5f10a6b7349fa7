// SPDX-License-Identifier: GPL-3.0-or-later
// The one-click demos, driven offscreen as a newcomer would: each opens its page, runs in
// simulated time, and ends on the numbers that tell its story, the same on every run.
#include "charts/breaker_chart.h"
#include "charts/charts_view.h"
#include "charts/comparison_table.h"
#include "charts/comparison_view.h"
#include "charts/duplicates_chart.h"
#include "charts/jitter_chart.h"
#include "charts/timeline_chart.h"
#include "demos/demo_runner.h"
#include "gui_test_utils.h"
#include "log/attempt_log_view.h"
#include "log/attempt_table_model.h"
#include "main_window.h"
#include "policy/policy_editor.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace retrylab;
using namespace Qt::StringLiterals;

namespace {

// Runs one demo from its toolbar action and returns its headline.
QString runDemo(MainWindow &w, const QString &id, qint64 *elapsedMs = nullptr)
{
    auto *action = w.findChild<QAction *>(u"demo-"_s + id);
    if (!action)
        return u"no action demo-%1"_s.arg(id);
    QSignalSpy finished(w.demos(), &DemoRunner::finished);
    QElapsedTimer clock;
    clock.start();
    action->trigger();
    if (!finished.wait(60000))
        return u"demo %1 did not finish"_s.arg(id);
    if (elapsedMs)
        *elapsedMs = clock.elapsed();
    return finished.front().front().toString();
}

QString bannerText(const MainWindow &w)
{
    const auto *banner = w.findChild<QLabel *>(u"demoBanner"_s);
    return banner && banner->isVisible() ? banner->text() : QString();
}

} // namespace

class TestDemos : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        useFreshSettings(u"tst_demos"_s);
        qRegisterMetaType<RunSummary>();
    }

    void everyDemoHasAButton()
    {
        MainWindow w;
        QStringList ids;
        for (const DemoRunner::Info &info : DemoRunner::all()) {
            ids << info.id;
            QVERIFY2(w.findChild<QAction *>(u"demo-"_s + info.id), qPrintable(info.id));
        }
        QCOMPARE(ids, (QStringList{u"herd"_s, u"duplicates"_s, u"breaker"_s, u"retryAfter"_s}));
    }

    // No jitter: every client retries at the same instants, three attempts per operation;
    // full jitter needs far fewer. The spikes sit where 500 ms doubling puts them.
    void thunderingHerd()
    {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        qint64 ms = 0;
        const QString headline = runDemo(w, u"herd"_s, &ms);
        qInfo("herd demo: %lld ms: %s", ms, qPrintable(headline));
        QCOMPARE(w.pages()->currentWidget(), w.comparison());
        const QList<RunSummary> s = w.demos()->summaries();
        QCOMPARE(s.size(), 3);
        QCOMPARE(w.comparison()->policyName(0), u"Exponential, no jitter"_s);
        QCOMPARE(QString::number(s[0].amplification, 'f', 2), u"3.00"_s);
        QCOMPARE(QString::number(s[1].amplification, 'f', 2), u"1.80"_s);
        QVERIFY(s[2].amplification < s[0].amplification);
        QVERIFY2(headline.contains(u"0.5, 1.5, 3.5, 7.5 s"_s), qPrintable(headline));
        QVERIFY(bannerText(w).contains(u"simulated time"_s));
        QVERIFY(bannerText(w).contains(u"3.00"_s));
        QCOMPARE(w.comparison()->table()->rowCount(), 3);
        saveScreenshot(&w, u"demo-herd-1600x1000"_s);
        // The same numbers again.
        QCOMPARE(runDemo(w, u"herd"_s), headline);
    }

    // Without keys the ledger counts duplicate charges; with one key per payment, none. The
    // server dock says the same number as the status bar.
    void duplicateCharges()
    {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        const QString headline = runDemo(w, u"duplicates"_s);
        qInfo("duplicates demo: %s", qPrintable(headline));
        const QList<RunSummary> s = w.demos()->summaries();
        QCOMPARE(s.size(), 2);
        QCOMPARE(s[0].duplicates, 0);
        QVERIFY2(s[1].duplicates >= 10, qPrintable(s[1].toText()));
        QVERIFY(headline.contains(u"%1 duplicate charges"_s.arg(s[1].duplicates)));
        // The demo ends on the chart of the duplicates over time: its bars and its running
        // total add up to the ledger's count.
        QCOMPARE(w.pages()->currentWidget(), w.charts());
        DuplicatesChart *chart = w.charts()->duplicates();
        QCOMPARE(w.charts()->tabs()->currentWidget(), static_cast<QWidget *>(chart));
        QCOMPARE(chart->barsTotal(), s[1].duplicates);
        QCOMPARE(chart->lastCumulative(), s[1].duplicates);
        QVERIFY2(chart->emptyMessage().isEmpty(), qPrintable(chart->emptyMessage()));
        QCOMPARE(std::size_t(w.attemptLog()->model()->rowCount()),
                 w.runController()->log()->size());
        // The table marks, and its filter lists, the retries that charged again: as many as
        // the server's ledger counted.
        QCOMPARE(w.attemptLog()->model()->possibleDuplicates(), s[1].duplicates);
        QCOMPARE(w.attemptLog()->table()->model()->rowCount(), int(s[1].duplicates));
        const auto *server = w.findChild<QLabel *>(u"lastRunServer"_s);
        QVERIFY(server && server->isVisible());
        QVERIFY2(server->text().contains(u"duplicate charges: %1"_s.arg(s[1].duplicates)),
                 qPrintable(server->text()));
        saveScreenshot(&w, u"demo-duplicates-1600x1000"_s);
        QCOMPARE(runDemo(w, u"duplicates"_s), headline);
        QCOMPARE(chart->barsTotal(), s[1].duplicates);

        // The run with keys alone: no bars, and the chart says why.
        QVERIFY(w.openScenario(u":/scenarios/duplicate-charges-with-keys.json"_s));
        w.scenarioEditor()->setSimulated(true);
        QSignalSpy shown(&w, &MainWindow::runShown);
        w.runAction()->trigger();
        QVERIFY(shown.wait(30000));
        w.pages()->setCurrentWidget(w.charts());
        w.charts()->tabs()->setCurrentWidget(chart);
        QCOMPARE(chart->barsTotal(), 0);
        QVERIFY2(chart->emptyMessage().contains(u"every retry carried an idempotency key"_s),
                 qPrintable(chart->emptyMessage()));
        saveScreenshot(&w, u"demo-duplicates-with-keys-1600x1000"_s);
    }

    // The breaker opens soon after the outage starts at 5 s, refuses calls without sending
    // them, and closes once the server is back after 15 s.
    void breakerTripAndRecovery()
    {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        const QString headline = runDemo(w, u"breaker"_s);
        qInfo("breaker demo: %s", qPrintable(headline));
        QCOMPARE(w.pages()->currentWidget(), w.charts());
        QCOMPARE(w.charts()->tabs()->currentWidget(),
                 static_cast<QWidget *>(w.charts()->breakers()));
        const QList<RunSummary> s = w.demos()->summaries();
        QCOMPARE(s.size(), 1);
        QVERIFY(s[0].attemptsRefused > 0);
        QCOMPARE(s[0].breakersNotClosed, 0);
        QVERIFY2(headline.contains(u"opened at 5."_s), qPrintable(headline));
        QVERIFY2(headline.contains(u"closed at 1"_s), qPrintable(headline));
        saveScreenshot(&w, u"demo-breaker-1600x1000"_s);
        QCOMPARE(runDemo(w, u"breaker"_s), headline);
    }

    // The client that obeys Retry-After never comes back early; the one that ignores it does.
    void retryAfterObeyedVsIgnored()
    {
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        const QString headline = runDemo(w, u"retryAfter"_s);
        qInfo("retry-after demo: %s", qPrintable(headline));
        QCOMPARE(w.pages()->currentWidget(), w.comparison());
        const QList<RunSummary> s = w.demos()->summaries();
        QCOMPARE(s.size(), 2);
        QVERIFY(s[0].retryAfterJudged > 0);
        QCOMPARE(s[0].retryAfterViolations, 0);
        QVERIFY(s[1].retryAfterViolations > s[1].retryAfterJudged / 2);
        QVERIFY(s[1].attemptsSent > s[0].attemptsSent);
        saveScreenshot(&w, u"demo-retry-after-1600x1000"_s);
        QCOMPARE(runDemo(w, u"retryAfter"_s), headline);
    }

    // Every page at the two screen sizes a person brings, after the demos have run, for a
    // person to look at (build/ci/test-output/tabs-*.png).
    void screenshotsOfEveryTab_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("1280x720") << QSize(1280, 720);
    }
    void screenshotsOfEveryTab()
    {
        QFETCH(QSize, size);
        MainWindow w;
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QString prefix = u"tabs-%1x%2-"_s.arg(size.width()).arg(size.height());
        saveScreenshot(&w, prefix + u"0-start"_s);
        runDemo(w, u"breaker"_s);
        w.pages()->setCurrentWidget(w.policyEditor());
        saveScreenshot(&w, prefix + u"1-policy"_s);
        w.pages()->setCurrentIndex(1);
        saveScreenshot(&w, prefix + u"2-target"_s);
        w.pages()->setCurrentWidget(w.attemptLog());
        saveScreenshot(&w, prefix + u"3-attempts"_s);
        w.pages()->setCurrentWidget(w.charts());
        for (int i = 0; i < w.charts()->tabs()->count(); ++i) {
            w.charts()->tabs()->setCurrentIndex(i);
            w.charts()->refreshNow();
            saveScreenshot(&w, prefix + u"4-chart%1"_s.arg(i));
        }
        runDemo(w, u"herd"_s);
        saveScreenshot(&w, prefix + u"5-compare-herd"_s);
        // The demo's long title leaves the server's address on the toolbar, and the comparison
        // table shows every column without scrolling (the policy's name is elided if need be).
        QTRY_VERIFY(w.findChild<QLabel *>(u"serverLabel"_s)->isVisible());
        auto *table = w.findChild<QTableWidget *>(u"comparisonTable"_s);
        QVERIFY(table);
        const int last = table->columnCount() - 1;
        QCOMPARE(table->horizontalHeaderItem(last)->text(), u"Peak server load\nper 100 ms"_s);
        QTRY_VERIFY2(
            table->columnViewportPosition(last) + table->columnWidth(last) <=
                table->viewport()->width(),
            qPrintable(u"the last column ends at %1 of %2 px"_s
                           .arg(table->columnViewportPosition(last) + table->columnWidth(last))
                           .arg(table->viewport()->width())));
        QVERIFY(!table->horizontalScrollBar()->isVisible());
        runDemo(w, u"retryAfter"_s);
        saveScreenshot(&w, prefix + u"6-compare-retry-after"_s);
        runDemo(w, u"duplicates"_s);
        saveScreenshot(&w, prefix + u"7-duplicates"_s);
        // The default scenario's waits all come from Retry-After: the jitter chart says so.
        QVERIFY(w.openScenario(u":/scenarios/flaky-demo.json"_s));
        w.scenarioEditor()->setSimulated(true);
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        QVERIFY(finished.wait(30000));
        w.pages()->setCurrentWidget(w.charts());
        w.charts()->tabs()->setCurrentWidget(w.charts()->jitter());
        w.charts()->refreshNow();
        QVERIFY2(w.charts()->jitter()->emptyMessage().contains(u"Retry-After"_s),
                 qPrintable(w.charts()->jitter()->emptyMessage()));
        // Its one or two backoff waits are too few for the fit test to mean anything.
        const QString fit = w.charts()->jitter()->fitText();
        QVERIFY2(fit.contains(u"too few for a fit test"_s) && !fit.contains(u"KS D"_s),
                 qPrintable(fit));
        saveScreenshot(&w, prefix + u"8-jitter-default"_s);
        w.charts()->tabs()->setCurrentWidget(w.charts()->timeline());
        w.charts()->refreshNow();
        // Seven legend entries do not fit one row of a 1280-pixel window: they go beside the
        // plot, uncut, rather than below it as "429 Too Many …".
        if (size.width() <= 1280)
            QTRY_COMPARE(w.charts()->timeline()->legendAlignment(), Qt::AlignRight);
        saveScreenshot(&w, prefix + u"9-timeline-default"_s);
        // Nothing on any page made the window larger than the screen it was sized for.
        QVERIFY2(w.width() <= size.width() && w.height() <= size.height(),
                 qPrintable(u"%1 x %2"_s.arg(w.width()).arg(w.height())));
    }

    // An edit marks the window; closing it then asks, and Cancel keeps it open.
    void closingAfterAnEditAsks()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(!w.isEdited());
        auto *attempts = w.findChild<QSpinBox *>(u"retry.maxAttempts"_s);
        QVERIFY(attempts);
        attempts->setValue(attempts->value() + 2);
        QTRY_VERIFY(w.isEdited());
        QVERIFY(w.isWindowModified());
        bool asked = false;
        QTimer::singleShot(0, &w, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            asked = box != nullptr;
            if (box)
                box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!w.close());
        QVERIFY(asked);
        QVERIFY(w.isVisible());
        // Back to what was loaded: nothing to ask.
        attempts->setValue(attempts->value() - 2);
        QTRY_VERIFY(!w.isEdited());
        QVERIFY(w.close());
    }

    // Loading another scenario leaves no number of the last run on screen.
    void anotherScenarioClearsTheResults()
    {
        MainWindow w;
        w.show();
        runDemo(w, u"herd"_s);
        runDemo(w, u"duplicates"_s);
        QVERIFY(!w.findChild<QLabel *>(u"counters"_s)->text().isEmpty());
        QVERIFY(w.openScenario(u":/scenarios/flaky-demo.json"_s));
        QVERIFY(w.findChild<QLabel *>(u"counters"_s)->text().isEmpty());
        QCOMPARE(w.attemptLog()->model()->rowCount(), 0);
        QCOMPARE(w.comparison()->runs(), 0);
        QCOMPARE(w.comparison()->table()->rowCount(), 0);
        QVERIFY(!w.findChild<QLabel *>(u"lastRunServer"_s)->isVisible());
        QVERIFY(bannerText(w).isEmpty());
        QVERIFY(!w.isEdited());
        QVERIFY(w.findChild<QLabel *>(u"serverLabel"_s)->text().contains(u"flaky-503"_s));
    }
};

QTEST_MAIN(TestDemos)
#include "tst_demos.moc"
