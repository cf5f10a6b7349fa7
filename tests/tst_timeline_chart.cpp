// SPDX-License-Identifier: GPL-3.0-or-later
// The attempt timeline: zoom, hover with the wire phases, rows that merge lanes, the default demo.
#include "chart_runs.h"

#include <QRegularExpression>

using namespace retrylab;
using namespace retrylab::chart_runs;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {
// The legend entries for waits (their names start with "wait") that are shown.
int waitMarkersShown(TimelineChart *t)
{
    return int(t->legendEntries().filter(QRegularExpression(u"^wait"_s)).size());
}
} // namespace

class TestTimelineChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

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
        // The phases, and (plain TCP, the kernel's stamps) the client's own delay after them.
        for (const QString &phase : {u"DNS"_s, u"connect"_s, u"send"_s, u"wait"_s, u"receive"_s,
                                     u"then waited for the client"_s})
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
        // Merged rows draw no waits, so the legend does not name them.
        QCOMPARE(waitMarkersShown(t), 0);
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
        QVERIFY(t->item()->layout().waits);
        QCOMPARE(waitMarkersShown(t), 3); // backoff, Retry-After, breaker
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
};

QTEST_MAIN(TestTimelineChart)
#include "tst_timeline_chart.moc"
