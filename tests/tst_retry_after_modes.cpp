// SPDX-License-Identifier: GPL-3.0-or-later
// How a policy weighs the server's wait against its own backoff: the Retry-After modes, gRPC
// pushback, the libraries' own headers, and a backoff measured from the attempt's start.
#include "policy/goodness_of_fit.h"
#include "retry_decisions.h"

#include <QTest>

#include <algorithm>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestRetryAfterModes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
};

QTEST_GUILESS_MAIN(TestRetryAfterModes)
#include "tst_retry_after_modes.moc"
