// SPDX-License-Identifier: GPL-3.0-or-later
// A shard's timer queue (RealScheduler): nothing runs early, everything in deadline order,
// dropped callbacks never, due callbacks catch up between other work, an engine's answered
// attempts leave no timeouts behind, a retry's wait counts from its answer, and a late start
// shows when it was due.
#include "engine/real_scheduler.h"
#include "engine/run_engine.h"

#include <QRandomGenerator>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <set>
#include <tuple>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

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

// Hands each attempt (numbered from 1) to `answer`, which calls `done` when it likes.
class ScriptedTransport final : public Transport
{
public:
    explicit ScriptedTransport(std::function<void(int, Done)> answer)
        : m_answer(std::move(answer))
    {}
    void send(const AttemptRequest &request, Done done) override
    {
        m_answer(request.attempt, std::move(done));
    }
    void cancel(std::uint64_t) override {}

private:
    std::function<void(int, Done)> m_answer;
};

// Starts `engine`, runs `meanwhile` at once (before the event loop gets a turn), and waits
// for the run to end.
bool runToEnd(RunEngine &engine, const std::function<void()> &meanwhile = {})
{
    bool finished = false;
    engine.onFinished = [&finished] {
        finished = true;
    };
    engine.start();
    if (meanwhile)
        meanwhile();
    return QTest::qWaitFor([&finished] { return finished; }, 10'000);
}

} // namespace

class TestRealScheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
        QVERIFY(runToEnd(engine));
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

    // A retry's wait counts from its answer, even when callbacks that came due meanwhile run
    // first (catchUp, before the answer is handled) and take a while: the retry is planned for
    // answer + backoff, as its actual delay is measured, not for the end of that work.
    void aWaitCountsFromItsAnswer()
    {
        Scenario s;
        s.clients = 1;
        s.operationsPerClient = 1;
        s.policy.breaker.enabled = false;
        s.policy.retry.maxAttempts = 2;
        s.policy.retry.backoff.kind = BackoffKind::Fixed;
        s.policy.retry.backoff.base = 100ms;
        RealScheduler sched;
        AttemptLog log(100);
        bool busyRan = false;
        ScriptedTransport transport([&](int attempt, Transport::Done done) {
            if (attempt > 1) {
                done(AttemptResponse(OutcomeClass::Success, 200));
                return;
            }
            QTimer::singleShot(20, [&sched, &busyRan, done = std::move(done)] {
                // Due now, not yet run: the answer's catchUp() runs it, for 40 ms.
                sched.at(sched.now(), [&busyRan] {
                    QThread::msleep(40);
                    busyRan = true;
                });
                done(AttemptResponse(OutcomeClass::ServerError, 503));
            });
        });
        RunEngine engine(s, sched, transport, log);
        QVERIFY(runToEnd(engine));
        QVERIFY(busyRan);
        QCOMPARE(log.size(), std::size_t(2));
        const AttemptRecord first = log.at(0);
        const AttemptRecord retry = log.at(1);
        QCOMPARE(retry.plannedDelayUs, 100'000);
        // Planned from the answer: 40 ms later when the wait began after the catching up.
        QCOMPARE(retry.scheduledUs, first.finishedUs + retry.plannedDelayUs);
        QVERIFY2(retry.actualDelayUs - retry.plannedDelayUs < 30'000,
                 qPrintable(u"late by %1 us"_s.arg(retry.actualDelayUs - retry.plannedDelayUs)));
    }

    // An operation started late (its thread was busy when the stagger had it due) shows when
    // it was due as its first attempt's planned start, and when it really started.
    void aLateStartShowsWhenItWasDue()
    {
        Scenario s;
        s.clients = 4;
        s.operationsPerClient = 1;
        s.stagger = 50ms;
        s.policy.breaker.enabled = false;
        s.policy.retry.maxAttempts = 1;
        RealScheduler sched;
        AttemptLog log(100);
        AnsweringTransport transport(false);
        RunEngine engine(s, sched, transport, log);
        // Every start falls due while the thread is busy.
        QVERIFY(runToEnd(engine, [] { QThread::msleep(120); }));
        QCOMPARE(log.size(), std::size_t(4));
        log.forEach([](const AttemptRecord &r) {
            QVERIFY2(
                r.scheduledUs <= 50'000 && r.startedUs >= 120'000,
                qPrintable(u"planned %1 us, started %2 us"_s.arg(r.scheduledUs).arg(r.startedUs)));
        });
    }
};

QTEST_GUILESS_MAIN(TestRealScheduler)
#include "tst_real_scheduler.moc"
