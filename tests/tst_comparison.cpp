// SPDX-License-Identifier: GPL-3.0-or-later
// Comparison mode: the ready thundering-herd scenario with its policies side by side, each
// against its own server, offscreen.
#include "analysis/run_analysis.h"
#include "charts/chart_export.h"
#include "charts/comparison_table.h"
#include "charts/comparison_tiles.h"
#include "charts/comparison_view.h"
#include "gui_test_utils.h"
#include "run/comparison_run.h"

#include <QComboBox>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestComparison : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

    void herdScenarioLoadsWithThreePolicies()
    {
        QString error;
        const auto s = Scenario::load(u":/scenarios/thundering-herd.json"_s, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->compare.size(), 3);
        QCOMPARE(s->compare[0].policy.retry.backoff.kind, BackoffKind::Exponential);
        QCOMPARE(s->variant(1).policy.retry.backoff.kind, BackoffKind::FullJitter);
        QVERIFY(s->variant(1).compare.isEmpty());
        // The list survives a save and a load.
        const auto again = Scenario::fromJson(s->toJson(), nullptr);
        QVERIFY(again);
        QCOMPARE(again->compare, s->compare);
    }

    void badCompareEntriesAreNamed()
    {
        QString error;
        auto json = Scenario().toJson();
        QJsonArray list;
        list.append(QJsonObject{{u"name"_s, u"a"_s}, {u"preset"_s, u"nope"_s}});
        list.append(QJsonObject{{u"policy"_s, QJsonObject{}}});
        json.insert(u"compare"_s, list);
        FieldProblems problems;
        QVERIFY(!Scenario::fromJson(json, &problems));
        QStringList fields;
        for (const auto &p : problems)
            fields << p.field;
        QVERIFY2(fields.contains(u"compare[0].preset"_s), qPrintable(fields.join(u',')));
        QVERIFY(fields.contains(u"compare[1].name"_s));
    }

    // The comparison runs in core: each policy against its own identically seeded server, no
    // window needed; the expectations one policy names are its own.
    void comparisonRunsInCore()
    {
        QString error;
        auto s = Scenario::load(u":/scenarios/thundering-herd.json"_s, &error);
        QVERIFY(s);
        s->simulated = true;
        s->expectations.maxDuplicates = 0;
        s->compare[2].expectations.maxP99Ms = 1e6;
        s->compare[2].expectations.maxDuplicates = 5;
        const auto again = Scenario::fromJson(s->toJson(), nullptr);
        QVERIFY(again);
        QCOMPARE(again->compare, s->compare);

        ComparisonRun runs;
        QSignalSpy finished(&runs, &ComparisonRun::finished);
        QSignalSpy ended(&runs, &ComparisonRun::runEnded);
        runs.start(*s);
        QCOMPARE(runs.size(), 3);
        QVERIFY(finished.wait(60000));
        QCOMPARE(ended.size(), 3);
        QVERIFY(!runs.isRunning());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(runs.policyName(i), s->compare[i].name);
            QCOMPARE(runs.scenario(i).seed, s->seed);
            QCOMPARE(runs.scenario(i).policy, s->compare[i].policy);
            QVERIFY(runs.failure(i).isEmpty());
            QCOMPARE(runs.summary(i).operations, 100);
            QCOMPARE(runs.summary(i).attemptsSent + runs.summary(i).attemptsRefused,
                     qint64(runs.log(i)->size()));
        }
        QCOMPARE(runs.check(0).size(), 1);
        const auto third = runs.check(2);
        QCOMPARE(third.size(), 2);
        QCOMPARE(third[0].bound, u"≤ 5"_s); // the policy's own bound over the scenario's
        const QStringList table = runs.table().split(u'\n');
        QCOMPARE(table.size(), 4);
        QVERIFY(table[3].startsWith(s->compare[2].name));
        QCOMPARE(table[3].size(), table[0].size());

        // A scenario without a list is a comparison of one: its own policy.
        Scenario one = s->variant(1);
        runs.start(one);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.policyName(0), one.name);
        QVERIFY(finished.wait(60000));
        QCOMPARE(runs.summary(0).operations, 100);
    }

    void jitterFlattensTheHerd()
    {
        QString error;
        auto s = Scenario::load(u":/scenarios/thundering-herd.json"_s, &error);
        QVERIFY(s);
        s->simulated = true; // the same comparison in virtual time: seconds become instants
        ComparisonView view;
        view.resize(1280, 820);
        view.setScenario(*s);
        QSignalSpy finished(&view, &ComparisonView::finished);
        view.start();
        QCOMPARE(view.runs(), 3);
        QVERIFY(finished.wait(60000));
        QCOMPARE(view.table()->rowCount(), 3);
        qint64 peaks[3] = {};
        for (int i = 0; i < 3; ++i) {
            const RunSummary &r = view.summary(i);
            QCOMPARE(r.operations, 100);
            QVERIFY(r.peakServerPer100ms > 0);
            peaks[i] = r.peakServerPer100ms;
            QCOMPARE(view.analysis(i)->load().peak(), r.peakServerPer100ms);
            QVERIFY(!view.overlayPoints(i).isEmpty());
            QCOMPARE(view.table()->item(i, 0)->text(), view.policyName(i));
            QVERIFY(view.table()->item(i, 9)->text().startsWith(QString::number(peaks[i])));
        }
        // After the first instant, no jitter keeps coming back in synchronized spikes.
        const auto laterPeak = [&](int run) {
            const LoadSeries &load = view.analysis(run)->load();
            qint64 peak = 0;
            for (std::size_t b = 1; b < load.buckets(); ++b)
                peak = std::max(peak, load.total(b));
            return peak;
        };
        saveScreenshot(&view, u"comparison-overlay"_s);
        QVERIFY2(laterPeak(0) > 2 * laterPeak(1),
                 qPrintable(u"no jitter %1, full jitter %2"_s.arg(laterPeak(0)).arg(laterPeak(1))));
        QVERIFY(laterPeak(0) > 2 * laterPeak(2));
        saveScreenshot(&view, u"comparison-overlay"_s);
        view.setTiled(true);
        saveScreenshot(&view, u"comparison-tiled"_s);
        QVERIFY(!renderSvg(view.picture(), u"tiles"_s).isEmpty());

        // The waits overlaid on common bins: each policy's line holds all its backoff waits.
        view.setTiled(false);
        view.setChartKind(int(ChartKind::Waits));
        for (int i = 0; i < 3; ++i) {
            double total = 0;
            const QList<QPointF> p = view.overlayPoints(i);
            for (qsizetype k = 0; k + 1 < p.size(); k += 2)
                total += p[k].y();
            const DelaySamples &d = view.analysis(i)->delays();
            QCOMPARE(qint64(total), d.total() - d.notFromBackoff());
        }
        saveScreenshot(&view, u"comparison-waits-overlay"_s);
        // Timelines cannot be overlaid: they tile, one per policy.
        view.setChartKind(int(ChartKind::Timeline));
        QCOMPARE(view.tiles()->panels().size(), 3);
        QCOMPARE(view.picture(), static_cast<QWidget *>(view.tiles()));
        saveScreenshot(&view, u"comparison-timeline-tiles"_s);
    }

    void twoPresetsSideBySide()
    {
        Scenario s;
        s.simulated = true;
        s.clients = 10;
        s.operationsPerClient = 5;
        s.profile = *FaultProfile::ready(u"flaky-503"_s);
        ComparisonView view;
        view.setScenario(s);
        QVERIFY(view.choose(0, u"Preset: AWS SDK standard"_s) ||
                view.choose(0, u"Policy being edited"_s));
        QVERIFY(view.choose(1, u"Policy being edited"_s));
        QVERIFY(!view.choose(1, u"no such policy"_s));
        // The narrow slot's tooltip names the whole policy chosen.
        const auto *slot = view.findChild<QComboBox *>(u"compareSlot1"_s);
        QVERIFY(slot);
        QCOMPARE(slot->toolTip(), u"Policy 2 of the comparison: Policy being edited"_s);
        QSignalSpy finished(&view, &ComparisonView::finished);
        view.start();
        QCOMPARE(view.runs(), 2);
        QVERIFY(finished.wait(60000));
        for (int i = 0; i < 2; ++i)
            QCOMPARE(view.summary(i).operations, 50);
    }
};

QTEST_MAIN(TestComparison)
#include "tst_comparison.moc"
