// SPDX-License-Identifier: GPL-3.0-or-later
// What the charts show, computed by the core from a run's log: each view must agree with the
// log and with the run summary.
#include "analysis/run_analysis.h"
#include "analysis/summary_tally.h"
#include "log/run_summary.h"
#include "sim_run.h"

#include <QTest>

#include <map>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario flaky()
{
    Scenario s;
    s.simulated = true;
    s.clients = 20;
    s.operationsPerClient = 20;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.seed = 11;
    return s;
}

Scenario rateLimited()
{
    Scenario s = flaky();
    s.profile = *FaultProfile::ready(u"rate-limited-429"_s);
    return s;
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timelineHoldsEveryAttemptByCategory()
    {
        SimRun run(flaky());
        RunAnalysis a(run.shared(), flaky());
        QVERIFY(a.update());
        QCOMPARE(a.timeline().bars(), qint64(run.log.size()));
        QCOMPARE(a.timeline().lanes(), 400); // one per operation
        qint64 sum = 0, fives = 0;
        for (OutcomeCategory c : category::all())
            sum += a.timeline().count(c);
        QCOMPARE(sum, qint64(run.log.size()));
        run.log.forEach([&](const AttemptRecord &r) {
            fives += r.outcome == OutcomeClass::ServerError && r.status == 503;
        });
        QVERIFY(fives > 0);
        QCOMPARE(a.timeline().count(OutcomeCategory::Unavailable), fives);
        // A second update with nothing new changes nothing.
        QVERIFY(!a.update());
        QCOMPARE(a.timeline(TimelineLanes::By::Client).lanes(), 20);
        QCOMPARE(a.timeline(TimelineLanes::By::Client).bars(), qint64(run.log.size()));
    }

    void waitsLinkEachRetryToTheAttemptBefore()
    {
        SimRun run(flaky());
        RunAnalysis a(run.shared(), flaky());
        a.update();
        for (int l = 0; l < a.timeline().lanes(); ++l) {
            const auto &bars = a.timeline().lane(l);
            for (std::size_t i = 0; i < bars.size(); ++i) {
                if (i == 0) {
                    QCOMPARE(bars[i].waitFromUs, qint64(-1));
                } else {
                    QCOMPARE(bars[i].waitFromUs, bars[i - 1].endUs);
                    QVERIFY(bars[i].startUs >= bars[i].waitFromUs);
                }
            }
        }
    }

    // A row that merges lanes shows the worst outcome of its lanes' attempts in each bucket.
    void aMergedRowShowsItsWorstOutcome()
    {
        TimelineSummary s;
        s.add(0, 0, 500, OutcomeCategory::Success);
        s.add(42, 200, 900, OutcomeCategory::Timeout);
        s.add(99, 0, 900, OutcomeCategory::TooManyRequests);
        s.add(100, 0, 900, OutcomeCategory::Success); // the next row of 100
        QCOMPARE(s.worst(100, 0, 0, 999), OutcomeCategory::Timeout);
        QCOMPARE(s.worst(100, 1, 0, 999), OutcomeCategory::Success);
        QCOMPARE(s.worst(200, 0, 0, 999), OutcomeCategory::Timeout);
        QVERIFY(!s.worst(100, 0, 5000, 9000));
        QCOMPARE(s.levelFor(50), 0);     // fewer than 100 a row: the view reads the bars
        QCOMPARE(s.levelFor(1000), 200); // one row holds every lane: the largest kept
        // A run longer than 4,096 buckets widens them; the worst survives the merge.
        s.add(7, 10'000'000, 10'000'500, OutcomeCategory::Unavailable);
        QVERIFY(s.bucketUs() * TimelineSummary::kBuckets > 10'000'500);
        QCOMPARE(s.worst(100, 0, 0, 999), OutcomeCategory::Timeout);
        QCOMPARE(s.worst(100, 0, 10'000'000, 10'000'500), OutcomeCategory::Unavailable);
        QCOMPARE(TimelineSummary::niceRowSize(1), 1);
        QCOMPARE(TimelineSummary::niceRowSize(3), 5);
        QCOMPARE(TimelineSummary::niceRowSize(5248), 10'000);
    }

    // Every kept row size against every bar of a run, after the buckets widened many times and
    // the larger sizes were built from the smallest as lanes grew.
    void timelineSummaryAgreesWithEveryBar()
    {
        Scenario s = flaky();
        s.clients = 60;
        s.operationsPerClient = 40;
        SimRun run(s);
        RunAnalysis a(run.shared(), s);
        a.update();
        const TimelineLanes &t = a.timeline();
        const TimelineSummary &summary = t.summary();
        QCOMPARE(summary.lanes(), 2400);
        QVERIFY(summary.bucketUs() > 1000);
        const qint64 w = summary.bucketUs();
        for (int size : {100, 200, 500, 1000, 2000, 5000}) {
            const int level = summary.levelFor(size);
            QCOMPARE(level, size);
            for (int row = 0; row * size < t.lanes(); ++row) {
                std::map<int, std::uint8_t> expected;
                for (int lane = row * size; lane < std::min(t.lanes(), (row + 1) * size); ++lane)
                    for (const TimelineLanes::Bar &b : t.lane(lane))
                        for (qint64 k = b.startUs / w; k <= b.endUs / w; ++k) {
                            std::uint8_t &cell = expected[int(k)];
                            cell = TimelineSummary::worse(cell, TimelineSummary::code(b.category));
                        }
                std::map<int, std::uint8_t> got;
                summary.forEachCell(
                    level, row, 0, TimelineSummary::kBuckets,
                    [&](int k, OutcomeCategory c) { got[k] = TimelineSummary::code(c); });
                QCOMPARE(got, expected);
            }
        }
        // Rows with a failure somewhere show it: not every cell is a success.
        QVERIFY(summary.worst(5000, 0, 0, t.endUs()) != OutcomeCategory::Success);
    }

    void histogramTotalEqualsTheRetriesWaitedByBackoff()
    {
        Scenario s = flaky();
        s.policy.breaker.enabled = false;
        SimRun run(s);
        RunAnalysis a(run.shared(), s);
        a.update();
        const RunSummary summary = SummaryTally::of(run.log);
        QCOMPARE(a.delays().total(), summary.retries);
        const Backoff backoff(s.policy.retry.backoff);
        const DelayHistogram all = DelayHistogram::build(a.delays(), backoff, 0);
        qint64 counted = 0;
        for (qint64 c : all.counts)
            counted += c;
        QCOMPARE(counted, summary.retries - a.delays().notFromBackoff());
        double expected = 0;
        for (double e : all.expected)
            expected += e;
        QVERIFY(qAbs(expected - double(counted)) < 0.01 * double(counted) + 1);
    }

    void previewFitsTheTheory_data()
    {
        QTest::addColumn<QString>("kind");
        for (const QString &id :
             {u"full-jitter"_s, u"equal-jitter"_s, u"exponential"_s, u"decorrelated-jitter"_s})
            QTest::newRow(qPrintable(id)) << id;
    }
    void previewFitsTheTheory()
    {
        QFETCH(QString, kind);
        RetryPolicy p;
        p.backoff.kind = *Backoff::kindFromId(kind);
        p.backoff.base = 100ms;
        p.backoff.cap = 2s;
        p.maxAttempts = 5;
        const DelaySamples samples = DelaySamples::fromPolicy(p, 5000, 7);
        QCOMPARE(samples.maxRetry(), 4);
        QCOMPARE(samples.total(), qint64(20000));
        const Backoff backoff(p.backoff);
        for (int retry = 1; retry <= 4; ++retry) {
            const DelayHistogram h = DelayHistogram::build(samples, backoff, retry, 40, 1e-6);
            QCOMPARE(h.n, qint64(5000));
            QVERIFY(h.ks.has_value());
            QVERIFY2(!h.ks->rejects(), qPrintable(u"retry %1: D = %2, critical %3"_s.arg(retry)
                                                      .arg(h.ks->statistic)
                                                      .arg(h.ks->critical)));
        }
    }

    void previewOfTheWrongTheoryIsRejected()
    {
        RetryPolicy p;
        p.backoff.kind = BackoffKind::FullJitter;
        p.maxAttempts = 3;
        const DelaySamples samples = DelaySamples::fromPolicy(p, 5000, 7);
        BackoffParams wrong = p.backoff;
        wrong.kind = BackoffKind::EqualJitter;
        const DelayHistogram h = DelayHistogram::build(samples, Backoff(wrong), 2, 40, 1e-6);
        QVERIFY(h.ks->rejects());
    }

    void complianceAgreesWithTheSummary()
    {
        SimRun run(rateLimited());
        RunAnalysis a(run.shared(), rateLimited());
        a.update();
        const RunSummary summary = SummaryTally::of(run.log);
        QVERIFY(summary.retryAfterJudged > 0);
        QCOMPARE(qint64(a.verdicts().size()), summary.retryAfterJudged);
        QCOMPARE(a.violations(), summary.retryAfterViolations);
        QCOMPARE(a.compliancePercent(), summary.compliancePercent());
        for (const auto &v : a.verdicts())
            QCOMPARE(v.violated(), v.takenUs < v.askedUs);
        // The server judged the same arrivals the same way.
        const auto &journal = run.transport.journal();
        QCOMPARE(journal.judged(), summary.retryAfterJudged);
        QCOMPARE(journal.violations(), summary.retryAfterViolations);
    }

    void loadSeriesCountsWhatArrived()
    {
        SimRun run(flaky());
        RunAnalysis a(run.shared(), flaky());
        a.update();
        const RunSummary summary = SummaryTally::of(run.log);
        QCOMPARE(a.sentLoad().count(), summary.attemptsSent);
        QCOMPARE(a.load().source(), LoadSeries::Source::Arrived);
        QCOMPARE(a.load().count(), run.transport.journal().total());
        qint64 retries = 0, firsts = 0;
        for (std::size_t i = 0; i < a.load().buckets(); ++i) {
            retries += a.load().retries(i);
            firsts += a.load().first(i);
        }
        QCOMPARE(retries, summary.retries);
        QCOMPARE(firsts, summary.operations);
        QVERIFY(a.load().peak() >= summary.peakPer100ms / 2);
    }

    // An operation is complete when its last answer arrived: the time it then waited for a
    // busy client to read it is the client's lag, shown on its own and not counted as the
    // server's. Where no stack measured a lag, nothing is taken off and no lag is shown.
    void completionEndsWhenTheAnswerArrived()
    {
        AttemptLog log;
        const auto op = [&](std::uint32_t client, qint64 finishedUs, qint32 lagUs) {
            AttemptRecord r;
            r.client = client;
            r.startedUs = 1000;
            r.finishedUs = finishedUs;
            r.status = 200;
            r.lastOfOperation = true;
            r.stop = StopReason::Succeeded;
            r.phases.sendUs = 10;
            r.phases.lagUs = lagUs;
            log.append(r);
        };
        op(0, 5000, 3000); // arrived at 2 ms: 1 ms
        op(1, 4000, 1000); // arrived at 3 ms: 2 ms
        op(2, 9000, 5000); // arrived at 4 ms: 3 ms
        RunSummary s = SummaryTally::of(log);
        QCOMPARE(s.p50Ms, 2.0);
        QCOMPARE(s.p99Ms, 3.0);
        QCOMPARE(s.lagP50Ms, 3.0);
        QCOMPARE(s.lagP99Ms, 5.0);
        QCOMPARE(s.toJson()[u"clientLagMs"_s][u"p99"_s].toDouble(), 5.0);
        QVERIFY(s.toText().contains(u"p50 3.000 ms, p99 5.000 ms"_s));

        AttemptLog unmeasured;
        AttemptRecord r;
        r.startedUs = 1000;
        r.finishedUs = 5000;
        r.lastOfOperation = true;
        unmeasured.append(r);
        s = SummaryTally::of(unmeasured);
        QCOMPARE(s.p50Ms, 4.0);
        QCOMPARE(s.lagP50Ms, -1.0);
        QVERIFY(!s.toJson().contains(u"clientLagMs"_s));
    }

    void breakerStepsFollowEachTransition()
    {
        Scenario s = flaky();
        s.profile = *FaultProfile::ready(u"outage"_s);
        s.policy.breaker.enabled = true;
        s.policy.breaker.consecutiveFailures = 3;
        s.arrivalRatePerSecond = 20; // steady load through the outage at 5-15 s
        s.duration = 20s;
        s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
        s.policy.breaker.openDuration = 1s;
        SimRun run(s);
        RunAnalysis a(run.shared(), s);
        a.update();
        const auto transitions = run.log.breakerRecords();
        QVERIFY2(!transitions.empty(), qPrintable(SummaryTally::of(run.log).toText()));
        qsizetype steps = 0;
        for (std::uint32_t id : a.breakers().active()) {
            const auto st = a.breakers().steps(id);
            steps += qsizetype(st.size()) - 1;
            for (std::size_t i = 1; i < st.size(); ++i) {
                const auto &t = transitions[std::size_t(st[i].transition)].transition;
                QCOMPARE(st[i].state, t.to);
                QCOMPARE(st[i - 1].state, t.from);
            }
        }
        QCOMPARE(steps, qsizetype(transitions.size()));
        qint64 refused = 0;
        run.log.forEach([&](const AttemptRecord &r) {
            refused += r.outcome == OutcomeClass::RejectedByBreaker;
        });
        QCOMPARE(a.breakers().rejected(), refused);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
