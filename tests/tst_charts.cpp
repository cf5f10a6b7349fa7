// SPDX-License-Identifier: GPL-3.0-or-later
// The five charts, fed by a real run of the engine, offscreen: each chart's series hold what
// the core's log and summary say, and every chart exports as PNG and SVG.
#include "chart_runs.h"

using namespace retrylab;
using namespace retrylab::chart_runs;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

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
        // Most of this run's waits came from Retry-After: the first retry's few backoff waits
        // are too few for the fit test (the 5,000-draw preview below shows one).
        QVERIFY(view.jitter()->histogramTotal() < 35);
        QVERIFY2(view.jitter()->fitText().contains(u"too few for a fit test"_s),
                 qPrintable(view.jitter()->fitText()));
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
