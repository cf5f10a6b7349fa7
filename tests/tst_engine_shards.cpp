// SPDX-License-Identifier: GPL-3.0-or-later
// A real-time run split over engine shards: each shard's records reach the run's one log in
// time order, and the split changes nothing about which attempts are made. (A shard's timer
// queue: tst_real_scheduler.)
#include "fail_first_scenario.h"
#include "log/segment_merger.h"
#include "run/engine_shards.h"
#include "run/run_controller.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

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

    // A batch given back is filled again: the records' storage the shard's thread allocated
    // is reused there, not freed by the merging thread (log/README.md, "Shards").
    void segmentReusesTheBatchGivenBack()
    {
        AttemptLog log;
        LogSegment a(log);
        for (int i = 0; i < 100; ++i)
            a.append(finishedAt(0, i));
        LogSegment::Batch first = a.take({});
        QCOMPARE(first.records.size(), std::size_t(100));
        const AttemptRecord *storage = first.records.data();
        // Given back at the next take, it holds what the shard appends after that one.
        LogSegment::Batch second = a.take(std::move(first));
        QVERIFY(second.records.empty());
        a.append(finishedAt(0, 100));
        const LogSegment::Batch third = a.take(std::move(second));
        QCOMPARE(third.records.size(), std::size_t(1));
        QCOMPARE(third.records.front().finishedUs, qint64(100));
        QCOMPARE(third.records.data(), storage);
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

    // The log's wall-clock start is the moment its clock started (after the shards readied
    // their threads): each client's first request reached the built-in server, by the
    // server's own wall clock, at about startedAt + startedUs. Taken before the shards were
    // ready, it was 19 ms early.
    void wallClockStartIsWhenTheClockStarted()
    {
        RunController controller;
        controller.setShards(2);
        QSignalSpy finished(&controller, &RunController::runFinished);
        controller.start(failFirst(50, 1));
        QVERIFY(finished.wait(60000));
        const auto log = controller.log();
        const QDateTime start = log->runInfo().startedAt;
        QHash<QString, qint64> firstUs; // client → when its first attempt started
        log->forEach([&](const AttemptRecord &r) {
            if (r.attempt == 1)
                firstUs.insert(QString::number(r.client), r.startedUs);
        });
        std::vector<qint64> offsetsMs; // server's time - log's time, whole ms (journal's grain)
        for (const JournalEntry &e : log->journalRecords())
            if (e.attempt == 1 && firstUs.contains(e.clientId))
                offsetsMs.push_back(start.msecsTo(e.wallTime) - firstUs.value(e.clientId) / 1000);
        QCOMPARE(offsetsMs.size(), std::size_t(50));
        std::sort(offsetsMs.begin(), offsetsMs.end());
        const qint64 median = offsetsMs[offsetsMs.size() / 2];
        QVERIFY2(median >= -2 && median <= 8, qPrintable(QString::number(median)));
    }
};

QTEST_GUILESS_MAIN(TestEngineShards)
#include "tst_engine_shards.moc"
