// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/circuit_breaker.h"

#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// A breaker on a hand-driven clock that keeps every transition it reports.
struct Rig {
    explicit Rig(const BreakerConfig &c)
        : breaker(c, clock)
    {
        breaker.setListener([this](const BreakerTransition &t) { transitions.push_back(t); });
    }
    void calls(int n, bool fail)
    {
        for (int i = 0; i < n; ++i) {
            const auto permit = breaker.tryAcquire();
            QVERIFY(permit.allowed);
            fail ? breaker.onFailure() : breaker.onSuccess();
        }
    }
    QList<BreakerState> path() const
    {
        QList<BreakerState> out;
        for (const auto &t : transitions)
            out << t.to;
        return out;
    }
    ManualClock clock;
    CircuitBreaker breaker;
    std::vector<BreakerTransition> transitions;
};

BreakerConfig consecutive(int n)
{
    BreakerConfig c;
    c.rule = TripRule::ConsecutiveFailures;
    c.consecutiveFailures = n;
    c.openDuration = 5s;
    c.maxOpenDuration = 5s;
    c.halfOpenProbes = 1;
    return c;
}

BreakerConfig rate(WindowKind window)
{
    BreakerConfig c;
    c.rule = TripRule::FailureRate;
    c.failureRateThreshold = 0.5;
    c.window = window;
    c.windowCalls = 10;
    c.windowTime = 10s;
    c.minimumCalls = 6;
    c.openDuration = 2s;
    c.maxOpenDuration = 2s;
    c.halfOpenProbes = 2;
    return c;
}

} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void consecutiveFailuresTrip()
    {
        Rig r(consecutive(3));
        r.calls(2, true);
        r.calls(1, false); // a success resets the run
        r.calls(2, true);
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.calls(1, true);
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        QCOMPARE(r.transitions.size(), std::size_t(1));
        const auto &t = r.transitions.front();
        QCOMPARE(t.from, BreakerState::Closed);
        QCOMPARE(t.to, BreakerState::Open);
        QCOMPARE(t.consecutiveFailures, 3);
        QCOMPARE(t.openFor, Duration(5s));
        QVERIFY2(t.reason.contains(u"3 consecutive failures"_s), qPrintable(t.reason));
    }

    void openRejectsWithoutSendingThenHalfOpens()
    {
        Rig r(consecutive(1));
        r.calls(1, true);
        r.clock.advance(2s);
        auto p = r.breaker.tryAcquire();
        QVERIFY(!p.allowed);
        QCOMPARE(p.retryIn, Duration(3s));
        QCOMPARE(r.breaker.rejected(), 1);
        r.clock.advance(3s);
        p = r.breaker.tryAcquire();
        QVERIFY(p.allowed);
        QVERIFY(p.probe);
        QCOMPARE(r.breaker.state(), BreakerState::HalfOpen);
        // The half-open transition is stamped when the open period ended.
        QCOMPARE(r.transitions.back().at, Duration(5s));
        // Only one probe at a time.
        QVERIFY(!r.breaker.tryAcquire().allowed);
        r.breaker.onSuccess();
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        QCOMPARE(r.path(),
                 (QList{BreakerState::Open, BreakerState::HalfOpen, BreakerState::Closed}));
    }

    void failedProbeReopensAndGrows()
    {
        BreakerConfig c = consecutive(1);
        c.openDuration = 1s;
        c.openGrowth = 2.0;
        c.maxOpenDuration = 3s;
        Rig r(c);
        r.calls(1, true);
        QCOMPARE(r.transitions.back().openFor, Duration(1s));
        const Duration expected[] = {2s, 3s, 3s}; // doubles, then held at the cap
        for (const Duration want : expected) {
            r.clock.advance(r.breaker.openRemaining());
            QVERIFY(r.breaker.tryAcquire().probe);
            r.breaker.onFailure();
            QCOMPARE(r.breaker.state(), BreakerState::Open);
            QCOMPARE(r.transitions.back().openFor, want);
            QVERIFY(r.transitions.back().reason.contains(u"probe"_s));
        }
        // Closing resets the growth.
        r.clock.advance(r.breaker.openRemaining());
        QVERIFY(r.breaker.tryAcquire().probe);
        r.breaker.onSuccess();
        r.calls(1, true);
        QCOMPARE(r.transitions.back().openFor, Duration(1s));
    }

    void halfOpenNeedsAllProbes()
    {
        Rig r(rate(WindowKind::Count));
        r.calls(6, true);
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        r.clock.advance(2s);
        QVERIFY(r.breaker.tryAcquire().probe);
        QVERIFY(r.breaker.tryAcquire().probe);
        QVERIFY(!r.breaker.tryAcquire().allowed); // K = 2
        r.breaker.onSuccess();
        QCOMPARE(r.breaker.state(), BreakerState::HalfOpen);
        r.breaker.onSuccess();
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        // And one failing probe of two sends it back.
        r.calls(6, true);
        r.clock.advance(2s);
        QVERIFY(r.breaker.tryAcquire().probe);
        QVERIFY(r.breaker.tryAcquire().probe);
        r.breaker.onSuccess();
        r.breaker.onFailure();
        QCOMPARE(r.breaker.state(), BreakerState::Open);
    }

    void rateNeedsMinimumCalls()
    {
        Rig r(rate(WindowKind::Count));
        r.calls(5, true); // 100% failures but below the minimum of 6
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.calls(1, true);
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        const auto &t = r.transitions.back();
        QCOMPARE(t.windowCalls, 6);
        QCOMPARE(t.windowFailures, 6);
        QCOMPARE(t.failureRate(), 1.0);
        QVERIFY2(t.reason.contains(u"100.0%"_s), qPrintable(t.reason));
    }

    void countWindowSlides()
    {
        Rig r(rate(WindowKind::Count));
        // 10 successes then failures: the window holds the last 10 calls, so the rate
        // reaches 50% at the 5th failure.
        r.calls(10, false);
        r.calls(4, true);
        QCOMPARE(r.breaker.windowCalls(), 10);
        QCOMPARE(r.breaker.windowFailures(), 4);
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.calls(1, true);
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        QCOMPARE(r.transitions.back().windowFailures, 5);
        QCOMPARE(r.transitions.back().windowCalls, 10);
    }

    void timeWindowForgets()
    {
        Rig r(rate(WindowKind::Time));
        r.calls(5, true);
        r.clock.advance(11s); // those 5 failures leave the 10 s window
        r.calls(5, false);
        r.calls(1, true);
        QCOMPARE(r.breaker.windowCalls(), 6);
        QCOMPARE(r.breaker.windowFailures(), 1);
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.calls(4, true); // 5 of 10 within the window
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        QCOMPARE(r.transitions.back().windowCalls, 10);
    }

    void forcedOpenAndDisabled()
    {
        Rig r(consecutive(2));
        r.breaker.forceOpen();
        QCOMPARE(r.breaker.state(), BreakerState::ForcedOpen);
        r.clock.advance(1h);
        const auto p = r.breaker.tryAcquire();
        QVERIFY(!p.allowed);
        QCOMPARE(p.retryIn, kMaxDuration);
        r.breaker.release();
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.breaker.disable();
        r.calls(50, true); // nothing trips a disabled breaker
        QCOMPARE(r.breaker.state(), BreakerState::Disabled);
        r.breaker.release();
        QCOMPARE(r.path(), (QList{BreakerState::ForcedOpen, BreakerState::Closed,
                                  BreakerState::Disabled, BreakerState::Closed}));
        BreakerConfig off = consecutive(1);
        off.enabled = false;
        Rig r2(off);
        r2.calls(10, true);
        QCOMPARE(r2.breaker.state(), BreakerState::Disabled);
        QVERIFY(r2.transitions.empty());
    }

    void lateResultsWhileOpenAreIgnored()
    {
        Rig r(consecutive(1));
        QVERIFY(r.breaker.tryAcquire().allowed);
        QVERIFY(r.breaker.tryAcquire().allowed);
        r.breaker.onFailure(); // trips
        r.breaker.onSuccess(); // the other call's late result
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        QCOMPARE(r.transitions.size(), std::size_t(1));
    }

    void resetClearsEverything()
    {
        Rig r(consecutive(2));
        r.calls(1, true);
        r.breaker.reset();
        r.calls(1, true);
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        r.calls(1, true);
        QCOMPARE(r.breaker.state(), BreakerState::Open);
        r.breaker.reset();
        QCOMPARE(r.breaker.state(), BreakerState::Closed);
        QCOMPARE(r.breaker.rejected(), 0);
    }

    void validate()
    {
        BreakerConfig c = rate(WindowKind::Count);
        QVERIFY(c.validate().isEmpty());
        c.minimumCalls = 20; // more than the 10-call window
        QCOMPARE(c.validate().size(), 1);
        QCOMPARE(c.validate().front().field, u"minimumCalls"_s);
        c = consecutive(0);
        QCOMPARE(c.validate().front().field, u"consecutiveFailures"_s);
        c = consecutive(3);
        c.halfOpenProbes = 0;
        QCOMPARE(c.validate().front().field, u"halfOpenProbes"_s);
        c.enabled = false;
        QVERIFY(c.validate().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
