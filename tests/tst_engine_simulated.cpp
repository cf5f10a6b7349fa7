// SPDX-License-Identifier: GPL-3.0-or-later
// The engine in virtual time, against the in-process model of the built-in server.
#include "analysis/summary_tally.h"
#include "run/contention_grid.h"
#include "sim_run.h"

#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

Scenario base()
{
    Scenario s;
    s.simulated = true;
    s.clients = 20;
    s.operationsPerClient = 20;
    s.profile = *FaultProfile::ready(u"flaky-503"_s);
    s.policy.breaker.enabled = false;
    s.seed = 11;
    return s;
}

FaultProfile herdServer()
{
    // A capacity of 50 at a time and 20 ms of work: a synchronized herd of 1000 clients
    // overwhelms it, spread-out retries get through.
    FaultProfile p;
    p.routes.front().latency.ms = 20;
    p.capacity.maxConcurrent = 50;
    p.capacity.retryAfterSeconds = 0;
    return p;
}

} // namespace

class TestEngineSimulated : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void completesEveryOperation()
    {
        SimRun run(base());
        QVERIFY(run.engine.isFinished());
        const RunSummary s = run.summary();
        QCOMPARE(s.operations, 400);
        QVERIFY(s.succeeded > 350);
        QVERIFY(s.retries > 50);
        QVERIFY(s.amplification > 1.1);
        QCOMPARE(s.attemptsSent, qint64(run.transport.journal().total()));
    }

    void aHangWithoutTimeoutEndsAtTheServersHangLimit()
    {
        // No per-attempt timeout, no total budget, a server that never answers: as on a real
        // socket, the server gives up at its hang limit and closes, and the run ends.
        Scenario s = base();
        s.clients = 3;
        s.operationsPerClient = 2;
        s.profile = FaultProfile{};
        s.profile.routes.front().faults.hang = 1;
        s.profile.limits.hangMax = 40s;
        s.policy.retry.attemptTimeout = Duration::zero();
        s.policy.retry.totalBudget = Duration::zero();
        s.policy.retry.maxAttempts = 2;
        SimRun run(s);
        QVERIFY(run.engine.isFinished());
        QCOMPARE(run.log.size(), std::size_t(3 * 2 * 2));
        run.log.forEach([&](const AttemptRecord &r) {
            QCOMPARE(r.outcome, OutcomeClass::ConnectionReset);
            QVERIFY(r.finishedUs - r.startedUs >= 40'000'000);
            QVERIFY(run.log.string(r.detail).contains(u"limits.hangMaxMs"_s));
        });
        QCOMPARE(run.summary().failedBy.value(u"max-attempts"_s), 6);
    }

    void aRedirectIsAFinalAnswerNotASuccess()
    {
        // A redirect loop: every answer a 302 that the client does not follow.
        Scenario s = base();
        s.clients = 3;
        s.operationsPerClient = 1;
        s.profile = FaultProfile{};
        s.profile.routes.front().statuses = {{302, 1.0}};
        SimRun run(s);
        const RunSummary summary = run.summary();
        QCOMPARE(summary.succeeded, 0);
        QCOMPARE(summary.failedBy.value(u"final-answer"_s), 3);
        QVERIFY(!summary.failedBy.contains(u"succeeded"_s));
        QVERIFY2(!summary.toText().contains(u"succeeded:"_s), qPrintable(summary.toText()));
        QVERIFY2(summary.toText().contains(u"failed, final-answer: 3"_s),
                 qPrintable(summary.toText()));
    }

    void logIsBoundedAndCountsWhatItDrops()
    {
        Scenario s = base();
        s.maxRecords = 100;
        VirtualScheduler scheduler;
        AttemptLog log(static_cast<std::size_t>(s.maxRecords));
        SimulatedTransport transport(scheduler, s.profile, s.seed, s.networkDelay);
        RunEngine engine(s, scheduler, transport, log);
        engine.start();
        scheduler.run();
        QCOMPARE(log.size(), std::size_t(100));
        QVERIFY(log.dropped() > 300);
        QCOMPARE(SummaryTally::of(log).dropped, qint64(log.dropped()));
        QVERIFY(sizeof(AttemptRecord) < 200); // DESIGN: under 200 bytes per attempt
    }

    void sameSeedSameLog()
    {
        const auto fingerprint = [](const AttemptLog &log) {
            QByteArray out;
            log.forEach([&out](const AttemptRecord &r) {
                out += QByteArray::number(r.client) + ',' + QByteArray::number(r.operation) + ',' +
                       QByteArray::number(r.attempt) + ',' + QByteArray::number(int(r.outcome)) +
                       ',' + QByteArray::number(r.status) + ',' + QByteArray::number(r.startedUs) +
                       ',' + QByteArray::number(r.finishedUs) + ',' +
                       QByteArray::number(r.plannedDelayUs) + ';';
            });
            return out;
        };
        Scenario s = base();
        s.policy.retry.backoff.kind = BackoffKind::DecorrelatedJitter;
        SimRun a(s), b(s);
        QCOMPARE(a.log.size(), b.log.size());
        QCOMPARE(fingerprint(a.log), fingerprint(b.log));
        s.seed = 12;
        SimRun c(s);
        QVERIFY(fingerprint(c.log) != fingerprint(a.log));
    }

    void retryAfterIsHonouredAndTheServerAgrees()
    {
        Scenario s = base();
        s.profile.routes.front().statuses = {{200, 0.5}, {503, 0.5}};
        s.policy.retry.totalBudget = 0s;
        s.policy.retry.retryAfterMode = RetryAfterMode::Honour;
        SimRun run(s);
        const RunSummary sum = run.summary();
        QVERIFY(sum.retryAfterJudged > 100);
        QCOMPARE(sum.retryAfterViolations, 0);
        QCOMPARE(run.transport.journal().violations(), 0);
        QVERIFY(run.transport.journal().judged() > 100);
        // Ignoring it is seen by both sides.
        s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
        SimRun rude(s);
        QVERIFY(rude.summary().retryAfterViolations > 100);
        QCOMPARE(rude.transport.journal().violations(), rude.summary().retryAfterViolations);
    }

    void totalBudgetIsNeverOvershot()
    {
        Scenario s = base();
        s.profile.routes.front().statuses = {{503, 1}};
        s.profile.routes.front().retryAfter.on = {};
        s.policy.retry.maxAttempts = 50;
        s.policy.retry.totalBudget = 2s;
        s.policy.retry.backoff = {BackoffKind::FullJitter, 100ms, 1s, 2.0, 0.0};
        SimRun run(s);
        qint64 worst = 0;
        QHash<quint64, qint64> firstStart;
        run.log.forEach([&](const AttemptRecord &r) {
            const quint64 k = (quint64(r.client) << 32) | r.operation;
            if (r.attempt == 1)
                firstStart[k] = r.startedUs;
            worst = std::max(worst, r.finishedUs - firstStart[k]);
        });
        QVERIFY2(worst <= 2'000'000, qPrintable(QString::number(worst)));
        QCOMPARE(run.summary().succeeded, 0);
    }

    void postWithoutKeyIsNotRetried()
    {
        Scenario s = base();
        s.method = "POST";
        s.path = u"/payments"_s;
        s.body = R"({"amount": 100, "currency": "EUR"})";
        s.profile.routes.front().statuses = {{503, 1}};
        SimRun run(s);
        QCOMPARE(run.summary().retries, 0);
        QCOMPARE(run.summary().failedBy.value(u"non-idempotent"_s), 400);
        s.keys = KeyMode::PerOperation;
        SimRun keyed(s);
        QVERIFY(keyed.summary().retries > 0);
    }

    // The classic: lost responses charge twice without keys, never with them.
    void lostResponsesDuplicateOnlyWithoutKeys()
    {
        Scenario s = base();
        s.method = "POST";
        s.path = u"/payments"_s;
        s.body = R"({"amount": 100, "currency": "EUR"})";
        s.profile = *FaultProfile::ready(u"payments-lossy"_s);
        s.policy.retry.retryNonIdempotentWithoutKey = true;
        s.policy.retry.totalBudget = 0s;
        s.keys = KeyMode::None;
        SimRun unkeyed(s);
        QVERIFY(unkeyed.transport.ledger().duplicates() > 20);
        s.keys = KeyMode::PerOperation;
        SimRun keyed(s);
        QCOMPARE(keyed.transport.ledger().duplicates(), 0);
        QVERIFY(keyed.summary().successRate() > 0.99);
        // A new key per attempt is as bad as none.
        s.keys = KeyMode::PerAttempt;
        SimRun wrong(s);
        QVERIFY(wrong.transport.ledger().duplicates() > 20);
    }

    void breakerOpensDuringOutageAndRecovers()
    {
        Scenario s = base();
        s.profile = *FaultProfile::ready(u"outage"_s);
        s.clients = 5;
        s.arrivalRatePerSecond = 50; // open loop: rejections do not speed up the arrivals
        s.duration = 25s;
        s.sharedBreaker = true;
        s.policy.breaker = BreakerConfig{};
        s.policy.breaker.consecutiveFailures = 5;
        s.policy.breaker.openDuration = 1s;
        s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
        s.policy.retry.maxAttempts = 2;
        SimRun run(s);
        QList<BreakerState> path;
        for (const auto &b : run.log.breakerRecords())
            path << b.transition.to;
        QVERIFY2(path.size() >= 3, qPrintable(QString::number(path.size()) + u" transitions, "_s +
                                              run.summary().toText()));
        QCOMPARE(path.front(), BreakerState::Open);
        QVERIFY(path.contains(BreakerState::HalfOpen));
        QCOMPARE(path.back(), BreakerState::Closed);
        QVERIFY(run.summary().attemptsRefused > 0); // rejected without sending
    }

    void budgetStopsARetryStorm()
    {
        Scenario s = base();
        s.profile.routes.front().statuses = {{503, 1}};
        s.profile.routes.front().retryAfter.on = {};
        s.policy.retry.maxAttempts = 10;
        s.policy.retry.totalBudget = 0s;
        s.sharedBudget = true;
        SimRun storm(s);
        s.policy.budget.kind = BudgetKind::TokenBucket;
        s.policy.budget.maxTokens = 10;
        s.policy.budget.tokenRatio = 0.1;
        SimRun throttled(s);
        QVERIFY(storm.summary().amplification > 9.0);
        QVERIFY(throttled.summary().amplification < 1.1);
        QVERIFY(throttled.summary().failedBy.value(u"rejected"_s) > 300);
    }

    // gRPC and botocore refuse a retry at once when the throttle or quota is empty: the
    // refused retry is recorded at the instant of the failure it follows, with no wait.
    void budgetRefusesAtOnce_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addRow("grpc throttle") << u"grpc-a6-retry"_s;
        QTest::addRow("aws quota") << u"aws-sdk-standard"_s;
    }
    void budgetRefusesAtOnce()
    {
        QFETCH(QString, preset);
        Scenario s = base();
        s.profile.routes.front().statuses = {{503, 1}};
        s.profile.routes.front().retryAfter.on = {};
        s.policy = findPreset(preset)->policy;
        s.policy.retry.totalBudget = 0s;
        s.sharedBudget = true;
        s.clients = 40;
        s.operationsPerClient = 10;
        SimRun run(s);
        int refused = 0;
        for (std::size_t i = 0; i < run.log.size(); ++i) {
            const AttemptRecord &rec = run.log.at(i);
            if (rec.outcome != OutcomeClass::RejectedByBudget)
                continue;
            ++refused;
            QCOMPARE(rec.plannedDelayUs, std::int64_t(0));
            QCOMPARE(rec.startedUs, rec.scheduledUs);
            QVERIFY(rec.actualDelayUs >= 0 && rec.actualDelayUs < 1000);
        }
        QVERIFY2(refused > 10, qPrintable(QString::number(refused)));
    }

    // botocore gives quota back only for a 2xx. Half the answers are 503 (retried, 5 tokens
    // each), half are final: 200 refunds the retry's cost and keeps the 500-token quota
    // healthy; 404 refunds nothing, so the same run drains it and retries are refused.
    void awsQuotaRefundsOnlyOnSuccess_data()
    {
        QTest::addColumn<int>("finalStatus");
        QTest::addColumn<bool>("refusals");
        QTest::addRow("200 refunds") << 200 << false;
        QTest::addRow("404 does not") << 404 << true;
    }
    void awsQuotaRefundsOnlyOnSuccess()
    {
        QFETCH(int, finalStatus);
        QFETCH(bool, refusals);
        Scenario s = base();
        s.profile.routes.front().statuses = {{503, 1}, {finalStatus, 1}};
        s.profile.routes.front().retryAfter.on = {};
        s.policy = findPreset(u"aws-sdk-standard"_s)->policy;
        s.sharedBudget = true;
        s.clients = 20;
        s.operationsPerClient = 10;
        SimRun run(s);
        QCOMPARE(run.summary().failedBy.value(u"rejected"_s) > 0, refusals);
    }

    // 1,000 clients start together against a server with limited capacity: without jitter the
    // retries come back in synchronized waves; full jitter spreads them.
    void herdNoJitterVersusFullJitter()
    {
        Scenario s;
        s.simulated = true;
        s.clients = 1000;
        s.operationsPerClient = 1;
        s.profile = herdServer();
        s.policy.breaker.enabled = false;
        s.policy.retry.maxAttempts = 20;
        s.policy.retry.totalBudget = 0s;
        s.policy.retry.retryAfterMode = RetryAfterMode::Ignore;
        s.policy.retry.backoff = {BackoffKind::Exponential, 500ms, 30s, 2.0, 0.0};
        SimRun none(s);
        s.policy.retry.backoff.kind = BackoffKind::FullJitter;
        SimRun full(s);
        const RunSummary a = none.summary();
        const RunSummary b = full.summary();
        qInfo("no jitter: %lld attempts, peak %lld retries/100 ms, p99 %.0f ms; full jitter: %lld "
              "attempts, peak %lld retries/100 ms, p99 %.0f ms",
              a.attemptsSent, a.peakRetriesPer100ms, a.p99Ms, b.attemptsSent, b.peakRetriesPer100ms,
              b.p99Ms);
        QVERIFY(a.attemptsSent > b.attemptsSent);
        QVERIFY(a.peakRetriesPer100ms > 2 * b.peakRetriesPer100ms);
    }

    // The jitter study's setting: one resource, optimistic concurrency. Without jitter, N
    // synchronized clients need N(N+1)/2 calls (each round, one wins); jitter needs far fewer.
    void contentionGrid()
    {
        Scenario s;
        s.policy.breaker.enabled = false;
        s.policy.retry.maxAttempts = 1000;
        s.policy.retry.totalBudget = 0s;
        s.policy.retry.attemptTimeout = 0s;
        s.policy.retry.backoff = {BackoffKind::FullJitter, 5ms, 2s, 2.0, 0.0};
        s.profile.routes.front().latency.ms = 0;
        const auto cells = runContentionGrid(
            s, {10, 40},
            {BackoffKind::Exponential, BackoffKind::FullJitter, BackoffKind::DecorrelatedJitter},
            3);
        QCOMPARE(cells.size(), 6);
        for (const auto &c : cells) {
            if (c.strategy == u"exponential"_s)
                QCOMPARE(c.meanCalls, c.clients * (c.clients + 1) / 2.0);
            else
                QVERIFY2(c.meanCalls < 0.6 * c.clients * (c.clients + 1) / 2.0,
                         qPrintable(gridTable(cells)));
        }
        // Everyone finishes: a full-jitter herd of 40 completes in well under a second.
        QVERIFY(cells[4].meanCompletionMs < 1000);
        QVERIFY(gridTable(cells).contains(u"decorrelated-jitter"_s));
    }
};

QTEST_GUILESS_MAIN(TestEngineSimulated)
#include "tst_engine_simulated.moc"
