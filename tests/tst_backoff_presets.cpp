// SPDX-License-Identifier: GPL-3.0-or-later
// Library presets against their own formulas, each quoted from the source the preset names
// (core/policy/README.md). The same seed feeds the preset and the quoted formula.
#include "backoff_samples.h"
#include "policy/backoff.h"
#include "policy/client_policy.h"
#include "policy/goodness_of_fit.h"

#include <QTest>

#include <algorithm>
#include <climits>
#include <cmath>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestBackoffPresets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void awsStandardPreset()
    {
        const auto preset = findPreset(u"aws-sdk-standard"_s);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(11);
        RandomSource mine(11);
        BackoffState state;
        // botocore retries/standard.py, ExponentialBackoff.delay_amount (retries 2.0):
        //   self._random() * min((self._base ** (context.attempt_number - 1)), self._max_backoff)
        for (int n = 0; n < 10; ++n) {
            const double expected = mine.uniform() * std::min(std::pow(2.0, n), 20.0) * 1e6;
            QVERIFY(std::abs(us(b.delay(n, state, lib)) - expected) <= 1.0);
        }
        const auto &r = preset->policy.retry;
        QCOMPARE(r.maxAttempts, 3);
        QCOMPARE(r.retryAfterMode, RetryAfterMode::Ignore);
        // _TRANSIENT_STATUS_CODES = [500, 502, 503, 504]; throttling is by error code only.
        QCOMPARE(r.retryableStatuses, QList<int>({500, 502, 503, 504}));
        QCOMPARE(preset->policy.budget.kind, BudgetKind::AwsQuota);
        QCOMPARE(preset->policy.budget.quotaCapacity, 500);
        QCOMPARE(preset->policy.budget.retryCost, 5);
        QCOMPARE(preset->policy.budget.timeoutRetryCost, 10);
    }

    void awsStandard21Preset()
    {
        const auto preset = findPreset(u"aws-sdk-standard-2.1"_s);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(17);
        RandomSource mine(17);
        BackoffState state;
        // botocore retries/standard.py, STANDARD_RETRY_MODE_VERSION "2.1":
        //   t_i = self._random() * min(self._get_base_scale(context)
        //                              * (self._base ** (context.attempt_number - 1)), 20)
        // with _NON_THROTTLING_BASE_SCALE = 0.05 (no throttling error code over plain HTTP).
        for (int n = 0; n < 12; ++n) {
            const double expected = mine.uniform() * std::min(0.05 * std::pow(2.0, n), 20.0) * 1e6;
            QVERIFY(std::abs(us(b.delay(n, state, lib)) - expected) <= 1.0);
        }
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::AmzRetryAfter);
        QCOMPARE(preset->policy.budget.retryCost, 14); // _RETRY_COST_V2
    }

    void grpcConnectionPreset()
    {
        const auto preset = findPreset(u"grpc-connection-backoff"_s);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(12);
        RandomSource mine(12);
        BackoffState state;
        // gRPC C-core src/core/util/backoff.cc, BackOff::NextAttemptDelay:
        //   if (initial_) initial_ = false; else current_backoff_ *= multiplier;
        //   current_backoff_ = std::min(current_backoff_, max_backoff);
        //   return current_backoff_ * absl::Uniform(g, 1 - jitter, 1 + jitter);
        // The first delay is jittered too.
        for (int n = 0; n < 15; ++n) {
            const double e = std::min(1e6 * std::pow(1.6, n), 120e6);
            const double expected = e * (0.8 + 0.4 * mine.uniform());
            QVERIFY(std::abs(us(b.delay(n, state, lib)) - expected) <= 1.0);
        }
        QVERIFY(preset->policy.retry.backoffFromAttemptStart);
        QCOMPARE(preset->policy.retry.attemptTimeout, Duration(20s));
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::Ignore);
    }

    void pollyPreset()
    {
        const auto preset = findPreset(u"polly-v8"_s);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(13);
        RandomSource mine(13);
        BackoffState state;
        double prev = 0;
        // Polly.Core RetryHelper.DecorrelatedJitterBackoffV2:
        //   double t = attempt + randomizer();
        //   double next = Math.Pow(2, t) * Math.Tanh(Math.Sqrt(PFactor * t));   // PFactor 4
        //   double formulaIntrinsicValue = next - prev; prev = next;
        //   return formulaIntrinsicValue * RpScalingFactor * baseDelay;        // 1 / 1.4
        for (int n = 0; n < 8; ++n) {
            const double t = n + mine.uniform();
            const double next = std::pow(2.0, t) * std::tanh(std::sqrt(4.0 * t));
            const double expected = (next - prev) * (1.0 / 1.4) * 2e6;
            prev = next;
            QVERIFY2(std::abs(us(b.delay(n, state, lib)) - expected) <= 1.0,
                     qPrintable(QString::number(n)));
        }
        // Its medians sit near 2 s × 2^n (Polly's own documentation of the formula).
        auto s = sample(b, 0, 4001, 99);
        std::nth_element(s.begin(), s.begin() + 2000, s.end());
        QVERIFY(std::abs(s[2000] - 2000.0) < 500.0);
        // Polly changes a delay only through a DelayGenerator: Retry-After is not read.
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::Ignore);
    }

    void resilience4jPresets_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<double>("extra");
        // IntervalFunctionCompanion.randomize, 2.3 and later: min + random * (max - min)
        QTest::addRow("2.3") << u"resilience4j"_s << 0.0;
        // IntervalFunctionCompanion.randomize up to 2.2: min + (Math.random() * (max - min + 1))
        QTest::addRow("2.2") << u"resilience4j-2.2"_s << 1.0;
    }
    void resilience4jPresets()
    {
        QFETCH(QString, id);
        QFETCH(double, extra);
        const auto preset = findPreset(id);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(14);
        RandomSource mine(14);
        BackoffState state;
        // IntervalFunction.ofExponentialRandomBackoff: of(initial, x -> (long) (x * multiplier))
        // gives 500, 750, 1125, 1687, 2530, 3795 whole ms; then (long) randomize(i, 0.5).
        const double intervals[] = {500, 750, 1125, 1687, 2530, 3795};
        for (int n = 0; n < 6; ++n) {
            const double i = intervals[n];
            const double expected = std::floor(i * 0.5 + mine.uniform() * (i + extra)) * 1000.0;
            QCOMPARE(us(b.delay(n, state, lib)), expected);
        }
        QCOMPARE(preset->policy.retry.maxAttempts, 3);
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::Ignore);
        QCOMPARE(preset->policy.breaker.failureRateThreshold, 0.5);
        QCOMPARE(preset->policy.breaker.windowCalls, 100);
        QCOMPARE(preset->policy.breaker.halfOpenProbes, 10);
    }

    void envoyPresets_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QList<double>>("ranges");
        QTest::addColumn<double>("clamp");
        // backoff_strategy.cc, JitteredExponentialBackOffStrategy::nextBackOffMs:
        //   const uint64_t backoff = next_interval_;
        //   next_interval_ = (next_interval_ < doubling_limit_) ? next_interval_ * 2u
        //                                                       : max_interval_;
        //   return random_.random() % backoff;
        QTest::addRow("current") << u"envoy"_s << QList<double>{25, 50, 100, 200, 250, 250}
                                 << 250.0;
        // The older JitteredBackOffStrategy::nextBackOffMs:
        //   base_backoff = ((1 << current_retry_) - 1) * base_interval_;
        //   if (base_backoff <= max_interval_) current_retry_++;
        //   return std::min(random_.random() % base_backoff, max_interval_);
        QTest::addRow("legacy") << u"envoy-legacy"_s << QList<double>{25, 75, 175, 375, 375, 375}
                                << 250.0;
    }
    void envoyPresets()
    {
        QFETCH(QString, id);
        QFETCH(QList<double>, ranges);
        QFETCH(double, clamp);
        const auto preset = findPreset(id);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(15);
        RandomSource mine(15);
        BackoffState state;
        for (int n = 0; n < ranges.size(); ++n) {
            // random % range is uniform over the whole milliseconds 0 .. range − 1.
            const double expected = std::min(clamp, std::floor(mine.uniform() * ranges[n])) * 1000;
            QCOMPARE(us(b.delay(n, state, lib)), expected);
        }
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::Ignore);
        QCOMPARE(preset->policy.retry.retryAfterCap, Duration(300s)); // max_interval default
    }

    void grpcA6Presets_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("revised2024");
        // grpc-go stream.go, shouldRetry (A6 as revised in 2024):
        //   cur := min(float64(rp.InitialBackoff)*fact, float64(rp.MaxBackoff))
        //   cur *= 0.8 + 0.4*rand.Float64()
        QTest::addRow("2024") << u"grpc-a6-retry"_s << true;
        // A6 before 2024: "the n-th attempt will occur at
        //   random(0, min(initialBackoff*backoffMultiplier**(n-1), maxBackoff))"
        QTest::addRow("before 2024") << u"grpc-a6-retry-2017"_s << false;
    }
    void grpcA6Presets()
    {
        QFETCH(QString, id);
        QFETCH(bool, revised2024);
        const auto preset = findPreset(id);
        QVERIFY(preset);
        const Backoff b(preset->policy.retry.backoff);
        RandomSource lib(16);
        RandomSource mine(16);
        BackoffState state;
        for (int n = 0; n < 6; ++n) {
            const double e = std::min(0.1 * std::pow(2.0, n), 1.0) * 1e6;
            const double r = mine.uniform();
            const double expected = revised2024 ? e * (0.8 + 0.4 * r) : e * r;
            QVERIFY(std::abs(us(b.delay(n, state, lib)) - expected) <= 1.0);
        }
        QCOMPARE(preset->policy.retry.retryAfterMode, RetryAfterMode::GrpcPushback);
        QCOMPARE(preset->policy.budget.kind, BudgetKind::TokenBucket);
        QCOMPARE(preset->policy.budget.maxTokens, 10.0);
        QCOMPARE(preset->policy.budget.tokenRatio, 0.1);
    }

    // The first retry's exact range, from 20,000 seeded draws: every draw inside it, and the
    // draws reach both ends within 2% (so a range that is too wide or too narrow fails).
    void presetFirstRetryRange_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addRow("default") << u"default"_s << 0.0 << 100.0;
        QTest::addRow("aws-sdk-standard") << u"aws-sdk-standard"_s << 0.0 << 1000.0;
        QTest::addRow("aws-sdk-standard-2.1") << u"aws-sdk-standard-2.1"_s << 0.0 << 50.0;
        QTest::addRow("grpc-a6-retry") << u"grpc-a6-retry"_s << 80.0 << 120.0;
        QTest::addRow("grpc-a6-retry-2017") << u"grpc-a6-retry-2017"_s << 0.0 << 100.0;
        QTest::addRow("grpc-connection-backoff") << u"grpc-connection-backoff"_s << 800.0 << 1200.0;
        // 2 s / 1.4 × 2^t tanh(√(4t)) for t in [0, 1): up to 2 s / 1.4 × 2 tanh 2.
        QTest::addRow("polly-v8") << u"polly-v8"_s << 0.0 << 2000.0 / 1.4 * 2.0 * std::tanh(2.0);
        QTest::addRow("resilience4j") << u"resilience4j"_s << 250.0 << 749.0;
        QTest::addRow("resilience4j-2.2") << u"resilience4j-2.2"_s << 250.0 << 750.0;
        QTest::addRow("envoy") << u"envoy"_s << 0.0 << 24.0;
        QTest::addRow("envoy-legacy") << u"envoy-legacy"_s << 0.0 << 24.0;
        QTest::addRow("naive-3x") << u"naive-3x"_s << 0.0 << 0.0;
    }
    void presetFirstRetryRange()
    {
        QFETCH(QString, id);
        QFETCH(double, lo);
        QFETCH(double, hi);
        const auto preset = findPreset(id);
        QVERIFY(preset);
        const auto s = sample(Backoff(preset->policy.retry.backoff), 0, 20000, 0xF1257);
        const auto [mn, mx] = std::minmax_element(s.begin(), s.end());
        QVERIFY2(*mn >= lo && *mx <= hi,
                 qPrintable(
                     u"draws in [%1, %2], expected [%3, %4]"_s.arg(*mn).arg(*mx).arg(lo).arg(hi)));
        const double slack = std::max(1.0, 0.02 * (hi - lo));
        QVERIFY2(
            *mn <= lo + slack && *mx >= hi - slack,
            qPrintable(
                u"draws in [%1, %2] do not reach [%3, %4]"_s.arg(*mn).arg(*mx).arg(lo).arg(hi)));
        QVERIFY(Backoff(preset->policy.retry.backoff).upperBound(0) >=
                Duration(clampMicros(hi * 1000)));
    }

    // Every preset's distribution for retries 0, 1, 2 against its theory (KS, fixed seeds).
    void presetDistributionPerRetry_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("retry");
        for (const auto &p : policyPresets())
            for (int retry = 0; retry < 3; ++retry)
                QTest::addRow("%s retry %d", qPrintable(p.id), retry) << p.id << retry;
    }
    void presetDistributionPerRetry()
    {
        QFETCH(QString, id);
        QFETCH(int, retry);
        const Backoff b(findPreset(id)->policy.retry.backoff);
        const auto samples = sample(b, retry, 20000, 0xBEEF + static_cast<unsigned>(retry));
        const DelayDistribution theory = b.distribution(retry, 40000);
        if (theory.form() == DelayDistribution::Form::Point) {
            for (const double v : samples)
                QCOMPARE(v, theory.lowerBound());
            return;
        }
        const QString misfit = ksMisfit(b, retry, samples, theory);
        QVERIFY2(misfit.isEmpty(), qPrintable(misfit));
    }

    void everyPresetIsValid()
    {
        for (const auto &p : policyPresets())
            QVERIFY2(p.policy.validate().isEmpty(), qPrintable(p.id));
    }
};

QTEST_GUILESS_MAIN(TestBackoffPresets)
#include "tst_backoff_presets.moc"
