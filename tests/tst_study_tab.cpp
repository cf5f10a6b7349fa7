// SPDX-License-Identifier: GPL-3.0-or-later
// The Study tab, offscreen: it runs a study off the GUI thread and its plots hold the study's
// numbers, exactly as the core computes them.
#include "charts/study_charts.h"
#include "gui_test_utils.h"
#include "main_window.h"
#include "run/study_fields.h"
#include "study/study_page.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestStudyTab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plotsHoldTheGridsNumbers()
    {
        StudyPage page;
        page.resize(1280, 900);
        page.show();
        QVERIFY(page.selectStudy(u"aws-jitter-study"_s));
        page.setField(u"clients"_s, u"10..70/20"_s);
        const QStringList strategies{u"none"_s, u"exponential"_s, u"full-jitter"_s};
        page.setStrategies(strategies);
        page.setTrials(6);
        QSignalSpy finished(&page, &StudyPage::finished);
        page.run();
        QVERIFY(page.isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toInt(), 12);

        // The same study straight from the core.
        QString error;
        const auto base = Scenario::load(u":/scenarios/aws-jitter-study.json"_s, &error);
        QVERIFY(base);
        StudyOptions o;
        o.trials = 6;
        const auto expected =
            runStudy(*studyCells(*base, u"clients"_s, {10, 30, 50, 70}, strategies, nullptr), o);
        StudyCharts *charts = page.charts();
        for (const QString &s : strategies) {
            QList<QPointF> calls, callsHigh, time, latency;
            for (const GridCell &c : expected) {
                if (c.strategy != s)
                    continue;
                calls << QPointF(c.value, c.meanCalls);
                callsHigh << QPointF(c.value, c.p90Calls);
                time << QPointF(c.value, c.meanCompletionMs);
                latency << QPointF(c.value, c.meanClientLatencyMs);
            }
            QCOMPARE(charts->points(StudyCharts::Plot::Calls, s), calls);
            QCOMPARE(charts->band(StudyCharts::Plot::Calls, s, true), callsHigh);
            QCOMPARE(charts->points(StudyCharts::Plot::Completion, s), time);
            QCOMPARE(charts->points(StudyCharts::Plot::Latency, s), latency);
        }
        // The clusters show the exponential backoff at the most clients: 70 clients' writes.
        const auto clusters = charts->points(StudyCharts::Plot::Clusters, {});
        double writes = 0;
        for (qsizetype i = 0; i < clusters.size(); i += 2)
            writes += clusters[i].y();
        QVERIFY(writes >= 70);

        const QString shot = saveScreenshot(&page, u"study-tab"_s);
        QVERIFY(QFile::exists(shot));
        QTemporaryDir dir;
        const QStringList files = charts->exportTo(dir.path(), &error);
        QCOMPARE(files.size(), 9);
        for (const QString &f : files)
            QVERIFY2(QFileInfo(f).size() > 100, qPrintable(f));
    }

    void cancelStopsEarly()
    {
        StudyPage page;
        QVERIFY(page.selectStudy(u"aws-jitter-study"_s));
        page.setField(u"clients"_s, u"50..190/10"_s);
        page.setTrials(400);
        QSignalSpy finished(&page, &StudyPage::finished);
        page.run();
        page.cancel();
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().first().toInt() < 75);
        QVERIFY(!page.isRunning());
    }

    // Opening the AWS study and pressing Run in the window: the blog's pictures.
    void theWindowHasTheTab()
    {
        useFreshSettings(u"tst_study_tab"_s);
        MainWindow w;
        w.resize(1600, 1000);
        w.show();
        auto *pages = w.findChild<QTabWidget *>(u"pages"_s);
        auto *page = w.findChild<StudyPage *>();
        QVERIFY(pages && page);
        QCOMPARE(pages->tabText(pages->indexOf(page)), u"&Study"_s);
        pages->setCurrentWidget(page);
        QVERIFY(page->selectStudy(u"aws-jitter-study"_s));
        page->setTrials(20);
        QSignalSpy finished(page, &StudyPage::finished);
        page->run();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().toInt(), 19 * 5); // 10..190/10 × the blog's five
        // As the blog did, leave the slowest off the time chart to compare the others; a
        // second click brings it back.
        StudyCharts *charts = page->charts();
        charts->hide(StudyCharts::Plot::Completion, u"exponential"_s);
        QVERIFY(!charts->isShown(StudyCharts::Plot::Completion, u"exponential"_s));
        QVERIFY(charts->isShown(StudyCharts::Plot::Calls, u"exponential"_s));
        QCOMPARE(charts->points(StudyCharts::Plot::Completion, u"exponential"_s).size(), 19);
        QVERIFY(QFile::exists(saveScreenshot(&w, u"study-tab-window"_s)));
    }
};

QTEST_MAIN(TestStudyTab)
#include "tst_study_tab.moc"
