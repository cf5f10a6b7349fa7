// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/retry_policy.h"
#include "retry_decisions.h"

#include <QTest>

#include <algorithm>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::OutcomeClass)
Q_DECLARE_METATYPE(retrylab::StopReason)
Q_DECLARE_METATYPE(retrylab::AttemptResult)
Q_DECLARE_METATYPE(retrylab::RetryPolicy)

class TestRetryPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The default retryable set (core/policy/README.md).
    void defaultClassification_data()
    {
        QTest::addColumn<AttemptResult>("result");
        QTest::addColumn<bool>("retry");
        for (const int s : {408, 429, 500, 502, 503, 504})
            QTest::addRow("%d", s) << status(s) << true;
        for (const int s : {400, 401, 403, 404, 405, 409, 410, 422, 501})
            QTest::addRow("%d", s) << status(s) << false;
        QTest::addRow("reset") << failure(OutcomeClass::ConnectionReset) << true;
        QTest::addRow("refused") << failure(OutcomeClass::ConnectionRefused) << true;
        QTest::addRow("timeout") << failure(OutcomeClass::Timeout) << true;
        QTest::addRow("dns") << failure(OutcomeClass::Dns) << false;
        QTest::addRow("tls") << failure(OutcomeClass::Tls) << false;
        QTest::addRow("budget rejection") << failure(OutcomeClass::RejectedByBudget) << false;
        QTest::addRow("breaker rejection") << failure(OutcomeClass::RejectedByBreaker) << false;
    }
    void defaultClassification()
    {
        QFETCH(AttemptResult, result);
        QFETCH(bool, retry);
        const RetryDecision d = decide(RetryPolicy{}, result);
        QCOMPARE(d.retry, retry);
        if (!retry)
            QVERIFY(d.stop != StopReason::None);
        QVERIFY(!d.explanation.isEmpty());
    }

    void successStops()
    {
        const auto d = decide(RetryPolicy{}, status(200));
        QVERIFY(!d.retry);
        QCOMPARE(d.stop, StopReason::Succeeded);
    }

    void redirectIsFinalButNotSuccess()
    {
        // Redirects are not followed: a 3xx ends the operation, and not as a success.
        for (int code : {301, 302, 304, 308}) {
            const auto d = decide(RetryPolicy{}, status(code));
            QVERIFY(!d.retry);
            QCOMPARE(d.stop, StopReason::FinalAnswer);
            QCOMPARE(stopReasonId(d.stop), u"final-answer"_s);
        }
    }

    void configurableSets()
    {
        RetryPolicy p;
        p.retryableStatuses = {418};
        p.retryableFailures = {OutcomeClass::Dns};
        QVERIFY(decide(p, status(418)).retry);
        QVERIFY(!decide(p, status(503)).retry);
        QVERIFY(decide(p, failure(OutcomeClass::Dns)).retry);
        QVERIFY(!decide(p, failure(OutcomeClass::Timeout)).retry);
    }

    // RFC 9110 §9.2.2 and the idempotency-key draft: POST and PATCH only with a key; 409 to a keyed
    // request is "in flight".
    void idempotency()
    {
        RetryPolicy p;
        AttemptContext post{1, 0ms, false, false};
        AttemptContext keyedPost{1, 0ms, false, true};
        QCOMPARE(decide(p, status(503), post).stop, StopReason::NonIdempotent);
        QVERIFY(decide(p, status(503), keyedPost).retry);
        QVERIFY(decide(p, failure(OutcomeClass::Timeout), keyedPost).retry);
        QCOMPARE(decide(p, failure(OutcomeClass::Timeout), post).stop, StopReason::NonIdempotent);
        // Refused: the request never reached a server, so even an unkeyed POST is safe.
        QVERIFY(decide(p, failure(OutcomeClass::ConnectionRefused), post).retry);
        // 409 for a keyed request means the first is still in flight: retry it.
        QVERIFY(decide(p, status(409), keyedPost).retry);
        QVERIFY(!decide(p, status(409), AttemptContext{}).retry);
        p.retryInFlightConflict = false;
        QVERIFY(!decide(p, status(409), keyedPost).retry);
        p.retryNonIdempotentWithoutKey = true;
        QVERIFY(decide(p, status(503), post).retry);
        p.retryNonIdempotentWithKey = false;
        QCOMPARE(decide(p, status(503), keyedPost).stop, StopReason::NonIdempotent);
    }

    void maxAttempts()
    {
        const RetryPolicy p = fixedPolicy();
        for (int made = 1; made < 4; ++made)
            QVERIFY(decide(p, status(503), {made, 0ms, true, false}).retry);
        const auto d = decide(p, status(503), {4, 0ms, true, false});
        QCOMPARE(d.stop, StopReason::MaxAttempts);
        RetryPolicy once = p;
        once.maxAttempts = 1;
        QCOMPARE(decide(once, status(503)).stop, StopReason::MaxAttempts);
    }

    void backoffIndexFollowsAttempts()
    {
        RetryPolicy p;
        p.backoff = {BackoffKind::Exponential, 100ms, 10s, 2.0, 0.0};
        p.totalBudget = 0ms;
        p.maxAttempts = 10;
        for (int made = 1; made < 6; ++made) {
            const auto d = decide(p, status(503), {made, 0ms, true, false});
            QCOMPARE(d.delay, Duration(100ms * (1 << (made - 1))));
            QCOMPARE(d.source, DelaySource::Backoff);
        }
    }

    // gRPC's throttle counts only retryable failures; a 400 takes no token.
    void onlyRetryableFailuresCountAgainstTheBudget()
    {
        RetryPolicy p = fixedPolicy();
        p.retryableStatuses = {503};
        QVERIFY(p.countsAgainstBudget(status(503), false));
        QVERIFY(!p.countsAgainstBudget(status(429), false));
        QVERIFY(!p.countsAgainstBudget(status(400), false));
        QVERIFY(!p.countsAgainstBudget(status(200), false));
        QVERIFY(!p.countsAgainstBudget(failure(OutcomeClass::RejectedByBreaker), false));
    }

    // The total budget is never overshot.
    void budgetShortensBackoff()
    {
        RetryPolicy p = fixedPolicy();
        p.backoff.base = 2s;
        p.totalBudget = 5s;
        p.minAttemptWindow = 100ms;
        const auto d = decide(p, status(503), {1, 4s, true, false});
        QVERIFY(d.retry);
        QVERIFY(d.shortened);
        QCOMPARE(d.delay, Duration(900ms)); // 1 s left, minus the last attempt's window
        QCOMPARE(d.backoffDelay, Duration(2s));
    }
    void budgetStopsWhenConfigured()
    {
        RetryPolicy p = fixedPolicy();
        p.backoff.base = 2s;
        p.totalBudget = 5s;
        p.overrun = OverrunMode::Stop;
        const auto d = decide(p, status(503), {1, 4s, true, false});
        QVERIFY(!d.retry);
        QCOMPARE(d.stop, StopReason::TimeBudgetExhausted);
        QVERIFY(d.explanation.contains(u"deadline"_s));
    }
    void budgetAlreadyGone()
    {
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 5s;
        QCOMPARE(decide(p, status(503), {1, 5s, true, false}).stop,
                 StopReason::TimeBudgetExhausted);
        QCOMPARE(decide(p, status(503), {1, 6s, true, false}).stop,
                 StopReason::TimeBudgetExhausted);
    }
    void serverWaitBeyondBudgetFailsFast()
    {
        // Shortening a Retry-After would make the client early, so it fails fast instead,
        // whatever the overrun mode.
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 5s;
        const auto d = decide(p, status(503, 30s), {1, 1s, true, false});
        QVERIFY(!d.retry);
        QCOMPARE(d.stop, StopReason::PushbackBeyondBudget);
        QVERIFY(d.explanation.contains(u"30 s"_s));
    }
    void unlimitedBudget()
    {
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 0ms;
        QVERIFY(decide(p, status(503, 1h), {1, 1000h, true, false}).retry);
    }
    void attemptTimeoutNeverPassesDeadline()
    {
        RetryPolicy p = fixedPolicy();
        p.attemptTimeout = 5s;
        p.totalBudget = 10s;
        QCOMPARE(p.effectiveAttemptTimeout(0s), Duration(5s));
        QCOMPARE(p.effectiveAttemptTimeout(7s), Duration(3s));
        QCOMPARE(p.effectiveAttemptTimeout(12s), Duration(0s));
        p.attemptTimeout = 0s;
        QCOMPARE(p.effectiveAttemptTimeout(4s), Duration(6s));
        p.totalBudget = 0s;
        QCOMPARE(p.effectiveAttemptTimeout(4s), kMaxDuration);
    }

    void grpcPushbackStops()
    {
        AttemptResult r = status(503);
        r.pushback = Pushback{0ms, PushbackSource::GrpcPushback, false, true, {}};
        QCOMPARE(decide(fixedPolicy(), r).stop, StopReason::ServerSaidNoRetry);
        RetryPolicy ignore = fixedPolicy();
        ignore.retryAfterMode = RetryAfterMode::Ignore;
        QVERIFY(decide(ignore, r).retry);
    }

    void waitForBreaker()
    {
        RetryPolicy p = fixedPolicy();
        AttemptResult r = failure(OutcomeClass::RejectedByBreaker);
        r.breakerOpenFor = 3s;
        QCOMPARE(decide(p, r).stop, StopReason::Rejected);
        p.waitForBreaker = true;
        const auto d = decide(p, r);
        QVERIFY(d.retry);
        QCOMPARE(d.delay, Duration(3s));
        QCOMPARE(d.source, DelaySource::Breaker);
    }

    void sameSeedSameDecisions()
    {
        RetryPolicy p;
        p.backoff.kind = BackoffKind::DecorrelatedJitter;
        const auto run = [&p](std::uint64_t seed) {
            BackoffState state;
            RandomSource rng(seed);
            QList<qint64> delays;
            for (int made = 1; made < 4; ++made)
                delays << p.decide({made, 0ms, true, false}, status(503), state, rng).delay.count();
            return delays;
        };
        QCOMPARE(run(77), run(77));
        QVERIFY(run(77) != run(78));
    }

    void validate_data()
    {
        QTest::addColumn<RetryPolicy>("policy");
        QTest::addColumn<QString>("field");
        RetryPolicy p;
        p.backoff.cap = 10ms;
        p.backoff.base = 100ms;
        QTest::addRow("cap below base") << p << u"backoff.capMs"_s;
        p = {};
        p.backoff.multiplier = 0.5;
        QTest::addRow("multiplier below 1") << p << u"backoff.multiplier"_s;
        p = {};
        p.maxAttempts = 0;
        QTest::addRow("no attempts") << p << u"maxAttempts"_s;
        p = {};
        p.backoff.jitter = 1.5;
        QTest::addRow("jitter above 1") << p << u"backoff.jitter"_s;
        p = {};
        p.retryableStatuses = {200};
        QTest::addRow("success retryable") << p << u"retryableStatuses"_s;
        p = {};
        p.retryableStatuses = {700};
        QTest::addRow("not a status") << p << u"retryableStatuses"_s;
        p = {};
        p.retryableFailures = {OutcomeClass::Success};
        QTest::addRow("not a failure") << p << u"retryableFailures"_s;
        p = {};
        p.attemptTimeout = -1ms;
        QTest::addRow("negative timeout") << p << u"attemptTimeoutMs"_s;
    }
    void validate()
    {
        QFETCH(RetryPolicy, policy);
        QFETCH(QString, field);
        const auto problems = policy.validate();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.front().field, field);
        QVERIFY(!problems.front().message.isEmpty());
        QVERIFY(RetryPolicy{}.validate().isEmpty());
    }

    void advice()
    {
        RetryPolicy p;
        p.maxAttempts = 10;
        p.backoff.cap = 20s;
        p.totalBudget = 10s;
        const auto a = p.advise();
        QVERIFY(std::any_of(a.begin(), a.end(),
                            [](const FieldProblem &f) { return f.field == u"totalBudgetMs"_s; }));
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
