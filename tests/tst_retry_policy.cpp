// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/goodness_of_fit.h"
#include "policy/retry_policy.h"

#include <QTest>

#include <algorithm>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::OutcomeClass)
Q_DECLARE_METATYPE(retrylab::StopReason)
Q_DECLARE_METATYPE(retrylab::AttemptResult)
Q_DECLARE_METATYPE(retrylab::RetryPolicy)

namespace {

RetryPolicy fixedPolicy()
{
    RetryPolicy p;
    p.backoff = {BackoffKind::Fixed, 200ms, 10s, 2.0, 0.0};
    p.maxAttempts = 4;
    p.totalBudget = 10s;
    return p;
}

AttemptResult status(int s, std::optional<Duration> serverWait = {})
{
    AttemptResult r{outcome::fromStatus(s), s, std::nullopt, std::nullopt};
    if (serverWait)
        r.pushback = Pushback{*serverWait, PushbackSource::RetryAfter, false, false, {}};
    return r;
}

AttemptResult failure(OutcomeClass c)
{
    return {c, 0, std::nullopt, std::nullopt};
}

RetryDecision decide(const RetryPolicy &p, const AttemptResult &r, AttemptContext ctx = {})
{
    BackoffState state;
    RandomSource rng(1);
    return p.decide(ctx, r, state, rng);
}

} // namespace

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

    // Retry-After modes: ignore, honour, honour with a cap, larger of both.
    void retryAfterModes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<qint64>("serverMs");
        QTest::addColumn<qint64>("expectedMs");
        QTest::addColumn<bool>("fromServer");
        QTest::addColumn<bool>("capped");
        const auto M = [](RetryAfterMode m) {
            return static_cast<int>(m);
        };
        QTest::addRow("ignore") << M(RetryAfterMode::Ignore) << qint64(3000) << qint64(200) << false
                                << false;
        QTest::addRow("honour") << M(RetryAfterMode::Honour) << qint64(3000) << qint64(3000) << true
                                << false;
        QTest::addRow("honour short")
            << M(RetryAfterMode::Honour) << qint64(50) << qint64(50) << true << false;
        QTest::addRow("honour zero")
            << M(RetryAfterMode::Honour) << qint64(0) << qint64(0) << true << false;
        QTest::addRow("capped above cap")
            << M(RetryAfterMode::HonourCapped) << qint64(3000) << qint64(1000) << true << true;
        QTest::addRow("capped below cap")
            << M(RetryAfterMode::HonourCapped) << qint64(700) << qint64(700) << true << false;
        QTest::addRow("larger: server")
            << M(RetryAfterMode::LargerOfBoth) << qint64(3000) << qint64(3000) << true << false;
        QTest::addRow("larger: backoff")
            << M(RetryAfterMode::LargerOfBoth) << qint64(50) << qint64(200) << false << false;
    }
    void retryAfterModes()
    {
        QFETCH(int, mode);
        QFETCH(qint64, serverMs);
        QFETCH(qint64, expectedMs);
        QFETCH(bool, fromServer);
        QFETCH(bool, capped);
        RetryPolicy p = fixedPolicy();
        p.retryAfterMode = static_cast<RetryAfterMode>(mode);
        p.retryAfterCap = 1s;
        const auto d = decide(p, status(429, std::chrono::milliseconds(serverMs)));
        QVERIFY(d.retry);
        QCOMPARE(d.delay, Duration(std::chrono::milliseconds(expectedMs)));
        QCOMPARE(d.source == DelaySource::Server, fromServer);
        QCOMPARE(d.serverDelayCapped, capped);
        QCOMPARE(d.backoffDelay, Duration(200ms));
        if (p.retryAfterMode != RetryAfterMode::Ignore)
            QCOMPARE(d.serverDelay, Duration(std::chrono::milliseconds(serverMs)));
    }

    // gRPC A6 pushback: "When a client receives an explicit pushback response from a server,
    // and it is appropriate to retry the RPC, it will retry after exactly that delay. For
    // subsequent retries, the delay period will be reset to the initialBackoff setting".
    void grpcPushbackIsExactAndRestartsTheBackoff()
    {
        RetryPolicy p = fixedPolicy();
        p.backoff = {BackoffKind::Exponential, 100ms, 10s, 2.0, 0.0};
        p.maxAttempts = 6;
        p.retryAfterMode = RetryAfterMode::GrpcPushback;
        BackoffState state;
        RandomSource rng(1);
        // Retries 1 and 2 back off 100 ms, 200 ms; then a pushback of 1234 ms; then the
        // backoff starts again at 100 ms, 200 ms.
        QCOMPARE(p.decide({1, 0ms, true, false}, status(503), state, rng).delay, Duration(100ms));
        QCOMPARE(p.decide({2, 0ms, true, false}, status(503), state, rng).delay, Duration(200ms));
        AttemptResult pushed = status(503);
        pushed.pushback = Pushback{1234ms, PushbackSource::GrpcPushback, false, false, {}};
        const auto d = p.decide({3, 0ms, true, false}, pushed, state, rng);
        QCOMPARE(d.delay, Duration(1234ms));
        QCOMPARE(d.source, DelaySource::Server);
        QCOMPARE(p.decide({4, 0ms, true, false}, status(503), state, rng).delay, Duration(100ms));
        QCOMPARE(p.decide({5, 0ms, true, false}, status(503), state, rng).delay, Duration(200ms));
        // A negative value: the server asks for no retry at all.
        AttemptResult stop = status(503);
        stop.pushback = Pushback{0ms, PushbackSource::GrpcPushback, false, true, {}};
        const auto s = p.decide({1, 0ms, true, false}, stop, state, rng);
        QVERIFY(!s.retry);
        QCOMPARE(s.stop, StopReason::ServerSaidNoRetry);
        QVERIFY(p.countsAgainstBudget(stop, false));
    }

    // Each library mode reads only its own header.
    void libraryModesReadOnlyTheirHeader_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("read");
        const auto M = [](RetryAfterMode m) {
            return static_cast<int>(m);
        };
        QTest::addRow("grpc reads its trailer")
            << M(RetryAfterMode::GrpcPushback) << QByteArray("grpc-retry-pushback-ms") << true;
        QTest::addRow("grpc ignores Retry-After")
            << M(RetryAfterMode::GrpcPushback) << QByteArray("retry-after") << false;
        QTest::addRow("botocore reads x-amz-retry-after")
            << M(RetryAfterMode::AmzRetryAfter) << QByteArray("x-amz-retry-after") << true;
        QTest::addRow("botocore ignores Retry-After")
            << M(RetryAfterMode::AmzRetryAfter) << QByteArray("retry-after") << false;
        QTest::addRow("envoy reads Retry-After")
            << M(RetryAfterMode::EnvoyRateLimited) << QByteArray("retry-after") << true;
        QTest::addRow("envoy ignores grpc")
            << M(RetryAfterMode::EnvoyRateLimited) << QByteArray("grpc-retry-pushback-ms") << false;
        QTest::addRow("honour reads any")
            << M(RetryAfterMode::Honour) << QByteArray("x-amz-retry-after") << true;
    }
    void libraryModesReadOnlyTheirHeader()
    {
        QFETCH(int, mode);
        QFETCH(QByteArray, header);
        QFETCH(bool, read);
        RetryPolicy p;
        p.retryAfterMode = static_cast<RetryAfterMode>(mode);
        // 2 s in each header's unit.
        const QByteArray value = header == "retry-after" ? "2" : "2000";
        const HeaderList headers{{header, value}};
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const auto wait = p.serverWait(readPushback(503, headers, now), 503, headers, now);
        QCOMPARE(wait.has_value(), read);
        if (read)
            QCOMPARE(wait->delay, Duration(2s));
    }

    // botocore retries 2.1: "min is 't_i', max is 't_i + 5'":
    //   return max(t_i, min(retry_after, self._RETRY_AFTER_MAX_ADDITIONAL + t_i))
    void amzRetryAfterIsBoundedByTheBackoff_data()
    {
        QTest::addColumn<qint64>("serverMs");
        QTest::addColumn<qint64>("expectedMs");
        QTest::addRow("below t: t") << qint64(50) << qint64(200);
        QTest::addRow("inside: as asked") << qint64(3000) << qint64(3000);
        QTest::addRow("above t + 5 s: t + 5 s") << qint64(60000) << qint64(5200);
    }
    void amzRetryAfterIsBoundedByTheBackoff()
    {
        QFETCH(qint64, serverMs);
        QFETCH(qint64, expectedMs);
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 0s;
        p.retryAfterMode = RetryAfterMode::AmzRetryAfter;
        AttemptResult r = status(503);
        r.pushback = Pushback{
            std::chrono::milliseconds(serverMs), PushbackSource::AmzRetryAfter, false, false, {}};
        QCOMPARE(decide(p, r).delay, Duration(std::chrono::milliseconds(expectedMs)));
    }

    // Envoy's JitteredLowerBoundBackOffStrategy: "random(min_interval_, 1.5 * min_interval_)"
    //   return (random_.random() % (min_interval_ >> 1)) + min_interval_;
    // and a reset header above max_interval is discarded (the backoff applies).
    void envoyRateLimitedWaitsBetweenDAndOneAndAHalfD()
    {
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 0s;
        p.retryAfterMode = RetryAfterMode::EnvoyRateLimited;
        p.retryAfterCap = 300s;
        BackoffState state;
        RandomSource rng(7);
        std::vector<double> waits;
        for (int i = 0; i < 20000; ++i) {
            const auto d = p.decide({1, 0ms, true, false}, status(429, 2s), state, rng);
            QCOMPARE(d.source, DelaySource::Server);
            waits.push_back(static_cast<double>(d.delay.count()) / 1000.0);
        }
        const auto [mn, mx] = std::minmax_element(waits.begin(), waits.end());
        QCOMPARE(*mn, 2000.0);
        QCOMPARE(*mx, 2999.0);
        // Uniform over the whole milliseconds 2000 .. 2999.
        QVERIFY(!ksTest(waits, DelayDistribution::uniform(2000, 3000, 1e300, 1.0)).rejects());
        // Above max_interval: discarded.
        const auto d = p.decide({1, 0ms, true, false}, status(429, 301s), state, rng);
        QCOMPARE(d.source, DelaySource::Backoff);
        QCOMPARE(d.delay, Duration(200ms));
    }

    // gRPC connection backoff: the deadline is the attempt's start plus the backoff, so a
    // 20 s connect timeout is followed at once and a 300 ms failure waits the rest.
    void backoffFromAttemptStart()
    {
        RetryPolicy p = fixedPolicy();
        p.totalBudget = 0s;
        p.backoff.base = 1s;
        p.backoffFromAttemptStart = true;
        QCOMPARE(decide(p, failure(OutcomeClass::Timeout), {1, 20s, true, false, 20s}).delay,
                 Duration::zero());
        QCOMPARE(decide(p, failure(OutcomeClass::Timeout), {1, 300ms, true, false, 300ms}).delay,
                 Duration(700ms));
        p.backoffFromAttemptStart = false;
        QCOMPARE(decide(p, failure(OutcomeClass::Timeout), {1, 20s, true, false, 20s}).delay,
                 Duration(1s));
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
