// SPDX-License-Identifier: GPL-3.0-or-later
// The five charts, fed by a real run of the engine, offscreen: each chart's series hold what
// the core's log and summary say, and every chart exports as PNG and SVG.
#include "analysis/run_analysis.h"
#include "charts/breaker_chart.h"
#include "charts/charts_view.h"
#include "charts/compliance_chart.h"
#include "charts/jitter_chart.h"
#include "charts/load_chart.h"
#include "charts/timeline_chart.h"
#include "charts/timeline_item.h"
#include "gui_test_utils.h"
#include "run/run_controller.h"

#include <QApplication>
#include <QComboBox>
#include <QHelpEvent>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTabWidget>
#include <QTest>
#include <QXmlStreamReader>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario flaky()
{
    Scenario s;
    s.name = u"charts"_s;
    s.simulated = true;
    s.clients = 20;
    s.operationsPerClient = 20;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.seed = 5;
    return s;
}

Scenario outage()
{
    Scenario s = flaky();
    s.profile = *FaultProfile::ready(u"outage"_s);
    s.arrivalRatePerSecond = 20;
    s.duration = 20s;
    s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
    s.policy.breaker.consecutiveFailures = 3;
    s.policy.breaker.openDuration = 1s;
    s.sharedBreaker = true;
    return s;
}

struct Run {
    RunController controller;
    RunSummary summary;
    bool ran(const Scenario &s)
    {
        QSignalSpy done(&controller, &RunController::runFinished);
        controller.start(s);
        if (!done.wait(60000))
            return false;
        summary = done.takeFirst().at(0).value<RunSummary>();
        return true;
    }
};

// A charts view of a finished run, showing its timeline.
struct ShownTimeline {
    ChartsView view;
    TimelineChart *chart = view.timeline();
    ShownTimeline(const Run &run, const Scenario &s, QSize size = {1200, 760})
    {
        view.resize(size);
        view.show();
        view.setRun(run.controller.log(), s);
        view.setSummary(run.summary);
        view.tabs()->setCurrentWidget(chart);
    }
};

double sumOfSteps(const QList<QPointF> &p)
{
    // Step series hold two points per bucket; each bucket's value counts once.
    double sum = 0;
    for (qsizetype i = 0; i + 1 < p.size(); i += 2)
        sum += p[i].y();
    return sum;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

    void chartsHoldWhatTheRunLogged()
    {
        Run run;
        QVERIFY(run.ran(flaky()));
        ChartsView view;
        view.resize(1200, 760);
        view.setRun(run.controller.log(), flaky());
        view.setSummary(run.summary);
        const RunAnalysis *a = view.analysis();
        QVERIFY(a);

        // Timeline: every attempt, by outcome.
        QCOMPARE(a->timeline().bars(), qint64(run.controller.log()->size()));
        QCOMPARE(a->timeline().count(OutcomeCategory::Success), run.summary.succeeded);
        view.tabs()->setCurrentWidget(view.timeline());
        QVERIFY(view.timeline()->timeRange().second * 1e6 >= double(a->timeline().endUs()));
        QCOMPARE(view.timeline()->laneRange().second, 400.0);
        saveScreenshot(view.timeline(), u"chart-timeline"_s);
        // One lane per client instead: as many lanes as clients, every attempt still there.
        view.timeline()->findChild<QComboBox *>(u"timelineBy"_s)->setCurrentIndex(1);
        QCOMPARE(view.timeline()->laneRange().second, 20.0);
        QCOMPARE(a->timeline(TimelineLanes::By::Client).bars(), a->timeline().bars());
        saveScreenshot(view.timeline(), u"chart-timeline-by-client"_s);
        view.timeline()->findChild<QComboBox *>(u"timelineBy"_s)->setCurrentIndex(0);

        // Jitter: the histogram's total is the retries waited by backoff.
        view.tabs()->setCurrentWidget(view.jitter());
        view.jitter()->setRetry(0);
        QCOMPARE(view.jitter()->histogramTotal(),
                 run.summary.retries - a->delays().notFromBackoff());
        QVERIFY(!view.jitter()->theoryPoints().isEmpty());
        view.jitter()->setRetry(1);
        QVERIFY(view.jitter()->fitText().contains(u"KS D ="_s));
        saveScreenshot(view.jitter(), u"chart-jitter"_s);

        // Compliance: the numbers are the core's, from both sides.
        view.tabs()->setCurrentWidget(view.compliance());
        QVERIFY(run.summary.retryAfterJudged > 0);
        QCOMPARE(view.compliance()->earlyPoints(), int(run.summary.retryAfterViolations));
        QVERIFY(view.compliance()->compliantPoints() > 0);
        const QString verdict = view.compliance()->verdictText();
        QVERIFY2(verdict.contains(QString::number(run.summary.compliancePercent(), 'f', 1)),
                 qPrintable(verdict));
        QVERIFY2(verdict.contains(
                     u"Server journal: %1%"_s.arg(run.summary.serverCompliancePercent, 0, 'f', 1)),
                 qPrintable(verdict));
        saveScreenshot(view.compliance(), u"chart-compliance"_s);

        // Load: first attempts and retries, as the server saw them.
        view.tabs()->setCurrentWidget(view.load());
        QCOMPARE(a->load().source(), LoadSeries::Source::Arrived);
        qint64 firstArrivals = 0;
        for (const JournalEntry &e : run.controller.log()->journalRecords())
            firstArrivals += e.attempt <= 1;
        QCOMPARE(sumOfSteps(view.load()->firstPoints()), double(firstArrivals));
        QCOMPARE(sumOfSteps(view.load()->totalPoints()), double(run.summary.serverRequests));
        saveScreenshot(view.load(), u"chart-load"_s);
    }

    void breakerChartMarksEachTransition()
    {
        Run run;
        QVERIFY(run.ran(outage()));
        ChartsView view;
        view.resize(1200, 760);
        view.setRun(run.controller.log(), outage());
        view.setSummary(run.summary);
        view.tabs()->setCurrentWidget(view.breakers());
        const auto transitions = run.controller.log()->breakerRecords();
        QVERIFY(transitions.size() >= 3);
        QCOMPARE(view.breakers()->transitionMarks(), int(transitions.size()));
        // Two points per transition plus the start and the end.
        QCOMPARE(view.breakers()->statePoints(), 2 * int(transitions.size()) + 2);
        QVERIFY(view.breakers()->explain(0).contains(u"closed → open"_s));
        QVERIFY(view.breakers()->explain(0).contains(u"failures"_s));
        double rejected = 0;
        for (const QPointF &p : view.breakers()->rejectedPoints())
            rejected += p.y();
        QCOMPARE(qint64(rejected), run.summary.attemptsRefused);
        // One time axis above the other: the same second at the same x in both charts, although
        // "forced open" is wider than "100" and only the lower chart has a right-hand axis.
        view.show();
        const auto aligned = [&] {
            const auto [state, calls] = view.breakers()->plotAreas();
            return state.width() > 100 && qAbs(state.left() - calls.left()) < 0.5 &&
                   qAbs(state.right() - calls.right()) < 0.5;
        };
        QVERIFY(QTest::qWaitFor(aligned));
        view.resize(1000, 700);
        QVERIFY(QTest::qWaitFor(aligned));
        saveScreenshot(view.breakers(), u"chart-breaker"_s);
    }

    void timelineZoomsAndDescribesAnAttempt()
    {
        Run run;
        QVERIFY(run.ran(flaky()));
        ChartsView view;
        view.resize(1200, 760);
        view.show();
        view.setRun(run.controller.log(), flaky());
        view.setSummary(run.summary);
        TimelineChart *t = view.timeline();
        QVERIFY(t->isFollowing());
        const auto [from, to] = t->timeRange();
        const double span = to - from;
        t->zoomTime(0.5, 0);
        QVERIFY(!t->isFollowing());
        QVERIFY(qAbs((t->timeRange().second - t->timeRange().first) - span / 2) < 1e-6);
        // Zoom onto the first lanes and the first attempt of lane 0: hovering shows its record.
        t->setLaneRange(0, 10);
        const TimelineLanes::Bar &bar = view.analysis()->timeline().lane(0).front();
        t->setTimeRange(0, double(bar.endUs) / 1e6 * 2 + 0.001);
        QCoreApplication::processEvents();
        QCOMPARE(t->item()->lanesPerRow(), 1);
        const QRectF plot = t->item()->boundingRect();
        const auto [lo, hi] = t->timeRange();
        const double x =
            plot.left() + (double(bar.startUs + bar.endUs) / 2e6 - lo) / (hi - lo) * plot.width();
        const QString text = t->item()->describeAt({x, plot.top() + plot.height() / 20});
        const AttemptRecord &r = view.analysis()->log().at(bar.record);
        QVERIFY2(
            text.contains(u"Client %1 · operation %2 · attempt 1"_s.arg(r.client).arg(r.operation)),
            qPrintable(text));
        // Formatted for people: seconds to the millisecond, waits in whole milliseconds.
        QVERIFY2(text.contains(u"%1 s"_s.arg(QString::number(double(bar.startUs) / 1e6, 'f', 3))),
                 qPrintable(text));
        QVERIFY(text.contains(u"Outcome"_s));
        t->showAll();
        QVERIFY(t->isFollowing());
    }

    // A real-time run against the built-in server: hovering an attempt on the timeline shows
    // its record with the phases Retry Lab's own client timed, in the tooltip a person sees.
    void timelineHoverShowsTheWirePhases()
    {
        Scenario s;
        s.name = u"phases"_s;
        s.clients = 2;
        s.operationsPerClient = 3;
        s.profile.routes.front().statuses = {{200, 0.6}, {503, 0.4}};
        s.profile.routes.front().latency.ms = 15;
        s.policy.breaker.enabled = false;
        s.seed = 5;
        Run run;
        QVERIFY(run.ran(s));
        ShownTimeline shown(run, s);
        ChartsView &view = shown.view;
        TimelineChart *t = shown.chart;
        const TimelineLanes &lanes = view.analysis()->timeline();
        const TimelineLanes::Bar &bar = lanes.lane(0).front();
        t->setLaneRange(0, 6);
        t->setTimeRange(0, double(lanes.endUs()) / 1e6);
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCoreApplication::processEvents();
        auto *chartView = t->findChild<QChartView *>();
        QVERIFY(chartView);
        const QRectF plot = t->item()->boundingRect();
        const auto [lo, hi] = t->timeRange();
        const QPointF scenePos(plot.left() + (double(bar.startUs + bar.endUs) / 2e6 - lo) /
                                                 (hi - lo) * plot.width(),
                               plot.top() + plot.height() / 12);
        const QPoint at = chartView->mapFromScene(scenePos);
        // As the mouse would: a move (hover) and then the tooltip request.
        QTest::mouseMove(chartView->viewport(), at);
        QHelpEvent help(QEvent::ToolTip, at, chartView->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(chartView->viewport(), &help);
        QWidget *tip = nullptr;
        for (QWidget *w : QApplication::topLevelWidgets())
            if (w->inherits("QTipLabel") && w->isVisible())
                tip = w;
        QVERIFY(tip);
        const QString text = t->item()->describeAt(scenePos);
        for (const QString &phase : {u"DNS"_s, u"connect"_s, u"send"_s, u"wait"_s, u"receive"_s})
            QVERIFY2(text.contains(phase), qPrintable(text));
        // The picture: the chart with the tooltip where the screen shows it.
        QPixmap shot = view.grab();
        QPainter painter(&shot);
        painter.drawPixmap(view.mapFromGlobal(tip->pos()), tip->grab());
        painter.end();
        const QString out = qEnvironmentVariable("RETRYLAB_TEST_OUTPUT", QDir::tempPath());
        QDir().mkpath(out);
        QVERIFY(shot.save(out + u"/chart-timeline-hover.png"_s));
        QVERIFY(tip->grab().save(out + u"/chart-timeline-tooltip.png"_s));
    }

    // Zoomed out to every lane of a run with thousands of operations: rows merge lanes, come
    // from the core's summary, and the axis says how many lanes a row holds.
    void timelineMergesLanesIntoRowsAndSaysSo()
    {
        Scenario s = flaky();
        s.clients = 200;
        s.operationsPerClient = 100;
        Run run;
        QVERIFY(run.ran(s));
        ShownTimeline shown(run, s);
        TimelineChart *t = shown.chart;
        const TimelineLanes &lanes = shown.view.analysis()->timeline();
        QCOMPARE(lanes.lanes(), 20'000);
        t->setLaneRange(0, lanes.lanes());
        QCoreApplication::processEvents();
        const TimelineItem::Layout layout = t->item()->layout();
        QVERIFY(layout.fromSummary);
        QVERIFY(layout.lanesPerRow >= TimelineSummary::kSmallestRow);
        auto *y = qobject_cast<QValueAxis *>(
            t->findChild<QChartView *>()->chart()->axes(Qt::Vertical).front());
        QVERIFY2(y->titleText().contains(QLocale().toString(layout.lanesPerRow) + u" per row"_s),
                 qPrintable(y->titleText()));
        // The ticks stay few and round however far out the view goes.
        QVERIFY(y->tickInterval() >= lanes.lanes() / 10.0);
        // Hovering a merged row names its lanes and the worst outcome under the pointer.
        const QRectF plot = t->item()->boundingRect();
        const QString text = t->item()->describeAt(plot.center());
        QVERIFY2(text.contains(u"operations merged in this row"_s), qPrintable(text));
        saveScreenshot(t, u"chart-timeline-all-lanes"_s);
        // Zoomed back in, each lane is a row of its own again.
        t->setLaneRange(0, 40);
        QCOMPARE(t->item()->lanesPerRow(), 1);
        QVERIFY(!t->item()->layout().fromSummary);
        QVERIFY(!y->titleText().contains(u"per row"_s));
    }

    // The default demo's 200 operations in simulated time, as a person first sees them: every
    // lane tall enough for its waits, round ticks, the time axis ending with the run.
    void timelineOfTheDefaultDemo()
    {
        std::optional<Scenario> s = Scenario::load(u":/scenarios/flaky-demo.json"_s, nullptr);
        QVERIFY(s);
        s->simulated = true;
        Run run;
        QVERIFY(run.ran(*s));
        ShownTimeline shown(run, *s, {1600, 1000});
        TimelineChart *t = shown.chart;
        saveScreenshot(t, u"chart-timeline-200"_s);
        const TimelineLanes &lanes = shown.view.analysis()->timeline();
        QCOMPARE(lanes.lanes(), 200);
        // The run ends within the last tick step of the axis.
        const auto [from, to] = t->timeRange();
        auto *x = qobject_cast<QValueAxis *>(
            t->findChild<QChartView *>()->chart()->axes(Qt::Horizontal).front());
        QVERIFY(to * 1e6 >= double(lanes.endUs()));
        QVERIFY((to - x->tickInterval()) * 1e6 < double(lanes.endUs()));
        QCOMPARE(t->item()->lanesPerRow(), 1);
    }

    void jitterPreviewNeedsNoRun()
    {
        JitterChart chart;
        RetryPolicy p;
        p.backoff.kind = BackoffKind::EqualJitter;
        p.maxAttempts = 4;
        chart.setPreviewPolicy(p);
        chart.setShowPreview(true);
        chart.setRetry(2);
        QCOMPARE(chart.histogramTotal(), qint64(5000));
        QVERIFY2(chart.fitText().contains(u"fits"_s), qPrintable(chart.fitText()));
        // Changing the policy changes the picture at once.
        const QList<QPointF> before = chart.theoryPoints();
        p.backoff.base = 400ms;
        chart.setPreviewPolicy(p);
        QVERIFY(chart.theoryPoints() != before);
        p.backoff.kind = BackoffKind::DecorrelatedJitter;
        chart.setPreviewPolicy(p);
        chart.setRetry(3);
        chart.resize(1000, 600);
        saveScreenshot(&chart, u"chart-jitter-preview"_s);
    }

    void everyChartExportsPngAndSvg()
    {
        Run run;
        QVERIFY(run.ran(flaky()));
        ChartsView view;
        view.resize(1100, 700);
        view.setRun(run.controller.log(), flaky());
        view.setSummary(run.summary);
        QTemporaryDir dir;
        for (ChartPanel *p : view.panels()) {
            view.tabs()->setCurrentWidget(p);
            QCoreApplication::processEvents();
            const QString base = dir.filePath(p->title());
            QString error;
            QVERIFY2(p->exportImage(base + u".png"_s, &error), qPrintable(error));
            QVERIFY2(p->exportImage(base + u".svg"_s, &error), qPrintable(error));
            const QImage png(base + u".png"_s);
            QVERIFY(!png.isNull());
            QVERIFY(png.width() > 400);
            QFile svg(base + u".svg"_s);
            QVERIFY(svg.open(QIODevice::ReadOnly));
            QXmlStreamReader xml(&svg);
            int texts = 0;
            QString root;
            while (!xml.atEnd()) {
                if (xml.readNext() == QXmlStreamReader::StartElement) {
                    if (root.isEmpty())
                        root = xml.name().toString();
                    texts += xml.name() == u"text"_s;
                }
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QCOMPARE(root, u"svg"_s);
            QVERIFY(texts > 3); // axis titles and labels
            // The drawing draws: render it back for a person to compare with the PNG.
            QSvgRenderer renderer(base + u".svg"_s);
            QVERIFY(renderer.isValid());
            QImage drawn(renderer.defaultSize(), QImage::Format_ARGB32);
            drawn.fill(Qt::white);
            QPainter painter(&drawn);
            renderer.render(&painter);
            painter.end();
            const QString out = qEnvironmentVariable("RETRYLAB_TEST_OUTPUT", QDir::tempPath());
            QDir().mkpath(out);
            drawn.save(out + u"/svg-"_s + p->title().replace(u' ', u'-').toLower() + u".png"_s);
        }
        QString error;
        QVERIFY(!view.load()->exportImage(dir.filePath(u"load.bmp"_s), &error));
        QVERIFY(error.contains(u".png or .svg"_s));
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
