// SPDX-License-Identifier: GPL-3.0-or-later
// A real-time run split over engine shards: each shard's records reach the run's one log in
// time order, and the split changes nothing about which attempts are made. A shard's timer
// queue runs nothing early, in deadline order, and catches up between other work.
#include "engine/real_scheduler.h"
#include "engine/run_engine.h"
#include "fail_first_scenario.h"
#include "log/segment_merger.h"
#include "run/engine_shards.h"
#include "run/run_controller.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <set>
#include <tuple>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

AttemptRecord finishedAt(std::uint32_t client, qint64 us)
{
    AttemptRecord r;
    r.client = client;
    r.finishedUs = us;
    return r;
}

// The 503-then-success scenario, its waits short so that a test runs it in moments.
Scenario failFirst(int clients, int operations)
{
    Scenario s = failFirstScenario(clients, operations);
    s.name = u"shards"_s;
    s.stagger = 100ms;
    s.policy.retry.backoff.base = 5ms;
    s.policy.retry.backoff.cap = 20ms;
    s.seed = 5;
    return s;
}

using Attempt = std::tuple<std::uint32_t, std::uint32_t, int, int>; // client, op, attempt, status

struct Ran {
    std::set<Attempt> attempts;
    std::size_t records = 0;
    bool inTimeOrder = true;
    std::set<std::uint32_t> shardsSeenFirst; // c % shards of the first 20 records
    RunSummary summary;
};

Ran run(const Scenario &s, int shards)
{
    RunController controller;
    controller.setShards(shards);
    QSignalSpy finished(&controller, &RunController::runFinished);
    controller.start(s);
    if (!finished.wait(90000))
        qFatal("the run did not finish");
    Ran out;
    out.summary = finished.front().front().value<RunSummary>();
    qint64 last = -1;
    controller.log()->forEach([&](const AttemptRecord &r) {
        out.attempts.insert({r.client, r.operation, r.attempt, r.status});
        out.inTimeOrder = out.inTimeOrder && r.finishedUs >= last;
        last = r.finishedUs;
        if (out.records++ < 20)
            out.shardsSeenFirst.insert(r.client % std::uint32_t(shards));
    });
    return out;
}

// Answers every attempt with a 200, inside send() itself (as a write that fails at once does)
// or on the event loop's next turn.
class AnsweringTransport final : public Transport
{
public:
    explicit AnsweringTransport(bool atOnce)
        : m_atOnce(atOnce)
    {}
    void send(const AttemptRequest &request, Done done) override
    {
        ++sent;
        if (m_atOnce) {
            done(AttemptResponse(OutcomeClass::Success, 200));
            return;
        }
        QTimer::singleShot(0, [this, id = request.id, done = std::move(done)] {
            if (!m_cancelled.contains(id))
                done(AttemptResponse(OutcomeClass::Success, 200));
        });
    }
    void cancel(std::uint64_t id) override { m_cancelled.insert(id); }
    int sent = 0;

private:
    bool m_atOnce;
    std::set<std::uint64_t> m_cancelled;
};

} // namespace

class TestEngineShards : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<RunSummary>(); }

    // Records wait until every shard has settled past them, then go in by finish time.
    void mergerPlacesInTimeOrder()
    {
        AttemptLog log;
        LogSegment a(log);
        LogSegment b(log);
        SegmentMerger merger(log, {&a, &b});
        a.append(finishedAt(0, 10));
        a.append(finishedAt(0, 30));
        b.append(finishedAt(1, 20));
        a.settle(40);
        QCOMPARE(merger.merge(), 0u); // b has not said how far it is
        b.settle(25);
        QCOMPARE(merger.merge(), 2u); // 10 and 20; 30 may still be preceded by b's
        QCOMPARE(merger.held(), 1u);
        b.append(finishedAt(1, 28));
        b.close();
        QCOMPARE(merger.merge(), 2u);
        QCOMPARE(log.size(), 4u);
        const std::vector<qint64> want{10, 20, 28, 30};
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(log.at(i).finishedUs, want[i]);
        QCOMPARE(merger.held(), 0u);
    }

    // Each segment has its own string table; merged records name the log's strings.
    void mergerTranslatesStrings()
    {
        AttemptLog log;
        log.intern(u"already there"_s);
        LogSegment a(log);
        LogSegment b(log);
        SegmentMerger merger(log, {&a, &b});
        AttemptRecord ra = finishedAt(0, 10);
        ra.method = a.intern(u"GET"_s);
        ra.idempotencyKey = a.intern(u"key-a"_s);
        QCOMPARE(a.intern(u"GET"_s), ra.method);
        a.append(ra);
        AttemptRecord rb = finishedAt(1, 20);
        rb.method = b.intern(u"POST"_s);
        rb.detail = b.intern(u"already there"_s);
        rb.responseBody = b.intern(u"GET"_s);
        b.append(rb);
        a.close();
        b.close();
        QCOMPARE(merger.merge(), 2u);
        QCOMPARE(log.string(log.at(0).method), u"GET"_s);
        QCOMPARE(log.string(log.at(0).idempotencyKey), u"key-a"_s);
        QCOMPARE(log.string(log.at(0).detail), QString());
        QCOMPARE(log.string(log.at(1).method), u"POST"_s);
        QCOMPARE(log.string(log.at(1).detail), u"already there"_s);
        QCOMPARE(log.at(1).responseBody, log.at(0).method); // one string, one index
    }

    // A segment's own table forgets past its cap (a new string per operation must not grow it
    // for the whole run): a string met again gets a new index in the segment, and every index
    // it ever gave out still names the same string in the log, which keeps it once.
    void segmentTableForgetsButNothingIsLost()
    {
        AttemptLog log(100'000);
        LogSegment a(log);
        SegmentMerger merger(log, {&a});
        AttemptRecord first = finishedAt(0, 10);
        first.method = a.intern(u"GET"_s);
        first.idempotencyKey = a.intern(u"key-0"_s);
        a.append(first);
        QCOMPARE(a.intern(u"GET"_s), first.method); // remembered
        constexpr int kKeys = 20'000;               // past the cap, twice
        for (int i = 1; i < kKeys; ++i) {
            AttemptRecord r = finishedAt(0, 10 + i);
            r.method = a.intern(u"GET"_s);
            r.idempotencyKey = a.intern(u"key-%1"_s.arg(i));
            a.append(r);
        }
        const std::uint32_t again = a.intern(u"GET"_s);
        QVERIFY(again != first.method); // forgotten by the segment
        AttemptRecord last = finishedAt(0, 10 + kKeys);
        last.method = again;
        last.idempotencyKey = a.intern(u"key-0"_s);
        a.append(last);
        a.close();
        QCOMPARE(merger.merge(), std::size_t(kKeys + 1));
        QCOMPARE(log.at(0).method, log.at(std::size_t(kKeys)).method); // one string, one index
        QCOMPARE(log.string(log.at(std::size_t(kKeys)).method), u"GET"_s);
        QCOMPARE(log.at(0).idempotencyKey, log.at(std::size_t(kKeys)).idempotencyKey);
        for (int i = 0; i < kKeys; i += 997)
            QCOMPARE(log.string(log.at(std::size_t(i)).idempotencyKey), u"key-%1"_s.arg(i));
        // "", "GET" and the keys, once each: a new string's index is the table's size.
        QCOMPARE(log.intern(u"new"_s), std::uint32_t(kKeys + 2));
    }

    void breakersMergeInTimeOrder()
    {
        AttemptLog log;
        LogSegment a(log);
        LogSegment b(log);
        SegmentMerger merger(log, {&a, &b});
        a.appendBreaker({3, 50, {}});
        b.appendBreaker({4, 40, {}});
        a.close();
        b.close();
        merger.merge();
        const auto breakers = log.breakerRecords();
        QCOMPARE(breakers.size(), 2u);
        QCOMPARE(breakers[0].atUs, 40);
        QCOMPARE(breakers[1].breaker, 3u);
    }

    // Deadlines to the microsecond, in any order, some already past: each callback runs at or
    // after its deadline, in deadline order (ties in the order scheduled).
    void timerQueueIsNeverEarly()
    {
        RealScheduler sched;
        QRandomGenerator rng(7);
        struct Ran {
            Duration when;
            int seq;
            Duration at;
        };
        std::vector<Ran> ran;
        const Duration t0 = sched.now();
        constexpr int kCallbacks = 300;
        for (int i = 0; i < kCallbacks; ++i) {
            // -2 ms .. 40 ms from now, in whole and odd microseconds, with ties.
            const Duration when = t0 + Duration(qint64(rng.bounded(42'000)) - 2'000) / 10 * 10;
            sched.at(when, [&ran, &sched, when, i] { ran.push_back({when, i, sched.now()}); });
        }
        QTRY_COMPARE_WITH_TIMEOUT(int(ran.size()), kCallbacks, 10000);
        for (std::size_t i = 0; i < ran.size(); ++i) {
            QVERIFY2(ran[i].at >= ran[i].when,
                     qPrintable(u"callback %1 early by %2 us"_s.arg(ran[i].seq)
                                    .arg((ran[i].when - ran[i].at).count())));
            if (i > 0)
                QVERIFY(std::tie(ran[i - 1].when, ran[i - 1].seq) <
                        std::tie(ran[i].when, ran[i].seq));
        }
        QCOMPARE(sched.pending(), 0u);
    }

    // A dropped callback never runs, also when hundreds of them stand before one that does
    // (more than the heap lets go in one turn); the others run in order, never early.
    // Scheduled in order of deadline, they wait in the queue; in reverse, in the heap.
    void droppedCallbacksNeverRun_data()
    {
        QTest::addColumn<bool>("reverse");
        QTest::newRow("in order of deadline") << false;
        QTest::newRow("in reverse order") << true;
    }
    void droppedCallbacksNeverRun()
    {
        QFETCH(bool, reverse);
        RealScheduler sched;
        const Duration t0 = sched.now();
        std::vector<int> ran;
        std::vector<std::uint64_t> tickets(1000);
        for (int n = 0; n < 1000; ++n) {
            const int i = reverse ? 999 - n : n;
            tickets[std::size_t(i)] =
                sched.at(t0 + 20ms + Duration(i), [&ran, i] { ran.push_back(i); });
        }
        const Duration last = t0 + 40ms;
        Duration lastRanAt{0};
        sched.at(last, [&] {
            lastRanAt = sched.now();
            ran.push_back(-1);
        });
        for (int i = 0; i < 1000; ++i)
            if (i != 500)
                sched.drop(tickets[std::size_t(i)]);
        QCOMPARE(sched.pending(), 2u);
        QTRY_COMPARE(ran.size(), 2u);
        QCOMPARE(ran, (std::vector<int>{500, -1}));
        QVERIFY(lastRanAt >= last);
        QCOMPARE(sched.pending(), 0u);
        QTest::qWait(30); // nothing more comes
        QCOMPARE(ran.size(), 2u);
    }

    // Each attempt's timeout is dropped when it answers: nothing waits on the timer after the
    // run, and none of them fires. An answer that comes inside send() ends the operation (its
    // only attempt) before send() returns; the timeout set after it finds nothing to do.
    void answeredAttemptsLeaveNoTimeouts_data()
    {
        QTest::addColumn<bool>("atOnce");
        QTest::newRow("answer on the next turn") << false;
        QTest::newRow("answer inside send()") << true;
    }
    void answeredAttemptsLeaveNoTimeouts()
    {
        QFETCH(bool, atOnce);
        Scenario s;
        s.clients = 3;
        s.operationsPerClient = 40;
        s.policy.breaker.enabled = false;
        s.policy.retry.maxAttempts = 1;
        s.policy.retry.attemptTimeout = 200ms;
        RealScheduler sched;
        AttemptLog log(10'000);
        AnsweringTransport transport(atOnce);
        RunEngine engine(s, sched, transport, log);
        bool finished = false;
        engine.onFinished = [&] {
            finished = true;
        };
        engine.start();
        QTRY_VERIFY(finished);
        QCOMPARE(transport.sent, 120);
        QCOMPARE(log.size(), std::size_t(120));
        if (!atOnce)
            QCOMPARE(sched.pending(), 0u); // 120 timeouts dropped
        QTest::qWait(300);                 // past every timeout's deadline
        QCOMPARE(log.size(), std::size_t(120));
        QCOMPARE(sched.pending(), 0u);
        bool allOk = true;
        log.forEach(
            [&](const AttemptRecord &r) { allOk = allOk && r.outcome == OutcomeClass::Success; });
        QVERIFY(allOk);
    }

    // catchUp() runs what is due without the event loop, leaves what is not, and does nothing
    // while paused or from inside a callback; the timer still runs the rest on time.
    void catchUpRunsWhatIsDue()
    {
        RealScheduler sched;
        std::vector<int> ran;
        const Duration t0 = sched.now();
        // Far enough ahead that a loaded machine does not reach them before the first look.
        sched.at(t0 + 300ms, [&] {
            ran.push_back(1);
            sched.catchUp(); // no nested turn: 2 runs in this turn, after this callback
        });
        sched.at(t0 + 301ms, [&] { ran.push_back(2); });
        sched.at(t0 + 60s, [&] { ran.push_back(3); });
        sched.catchUp(); // nothing due yet
        QVERIFY(ran.empty());
        while (sched.now() <= t0 + 301ms) // busy elsewhere: the event loop does not run
            QThread::usleep(2000);
        sched.pause();
        sched.catchUp();
        QVERIFY(ran.empty());
        sched.resume();
        sched.catchUp();
        QCOMPARE(ran, (std::vector<int>{1, 2}));
        QCOMPARE(sched.pending(), 1u);
        sched.at(sched.now() + 1ms, [&] { ran.push_back(4); });
        QTRY_COMPARE(ran.size(), 3u);
        QCOMPARE(ran.back(), 4);
    }

    void countFollowsTheScenario()
    {
        Scenario s = failFirst(10, 1);
        QCOMPARE(EngineShards::countFor(s, 3), 3);
        QCOMPARE(EngineShards::countFor(s, 50), 10); // never more shards than clients
        QVERIFY(s.builtinServer);
        const int cores = QThread::idealThreadCount();
        QCOMPARE(EngineShards::countFor(s, 0), std::clamp(cores - 1, 1, 4)); // a core for it
        s.builtinServer = false;
        QCOMPARE(EngineShards::countFor(s, 0), std::clamp(cores, 1, 4));
        s.builtinServer = true;
        s.sharedBreaker = true; // one breaker is one engine's state
        QCOMPARE(EngineShards::countFor(s, 3), 1);
        s.sharedBreaker = false;
        s.arrivalRatePerSecond = 10;
        QCOMPARE(EngineShards::countFor(s, 3), 1);
    }

    // The same clients make the same attempts in one engine and in three shards, the
    // server sees each once, and the merged log is in time order with every shard in it.
    void shardedRunMakesTheSameAttempts()
    {
        const Scenario s = failFirst(30, 3);
        const Ran one = run(s, 1);
        const Ran three = run(s, 3);
        QCOMPARE(one.records, std::size_t(30 * 3 * 2));
        QCOMPARE(three.records, one.records);
        QVERIFY(three.attempts == one.attempts);
        QVERIFY(one.inTimeOrder);
        QVERIFY(three.inTimeOrder);
        QCOMPARE(three.shardsSeenFirst.size(), 3u); // interleaved, not one shard after another
        QCOMPARE(three.summary.attemptsSent, three.summary.serverRequests);
        QCOMPARE(three.summary.operations, qint64(90));
    }
};

QTEST_GUILESS_MAIN(TestEngineShards)
#include "tst_engine_shards.moc"
