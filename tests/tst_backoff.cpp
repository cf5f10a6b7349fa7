// SPDX-License-Identifier: GPL-3.0-or-later
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

Q_DECLARE_METATYPE(retrylab::BackoffKind)

namespace {

BackoffParams params(BackoffKind kind, Duration base = 100ms, Duration cap = 10s,
                     double multiplier = 2.0, double jitter = 0.2)
{
    return {kind, base, cap, multiplier, jitter};
}

} // namespace

class TestBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // core/policy/README.md, "Backoff formulas", recomputed here from an identically seeded
    // source: the test's own copy of each formula against the library's.
    void formulas_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        QTest::addColumn<double>("multiplier");
        for (const auto kind :
             {BackoffKind::Fixed, BackoffKind::Exponential, BackoffKind::FullJitter,
              BackoffKind::EqualJitter, BackoffKind::DecorrelatedJitter}) {
            QTest::addRow("%s x2", qPrintable(Backoff::id(kind))) << kind << 2.0;
            QTest::addRow("%s x3", qPrintable(Backoff::id(kind))) << kind << 3.0;
        }
    }
    void formulas()
    {
        QFETCH(BackoffKind, kind);
        QFETCH(double, multiplier);
        const double base = 100'000.0; // µs
        const double cap = 5'000'000.0;
        const Backoff b(params(kind, 100ms, 5s, multiplier));
        RandomSource lib(7);
        RandomSource mine(7);
        BackoffState state;
        double sleep = base;
        for (int n = 0; n < 12; ++n) {
            const double e = std::min(cap, base * std::pow(multiplier, n));
            double expected = 0;
            switch (kind) {
            case BackoffKind::Fixed:
                expected = base;
                break;
            case BackoffKind::Exponential:
                expected = e;
                break;
            case BackoffKind::FullJitter:
                expected = mine.uniform() * e;
                break;
            case BackoffKind::EqualJitter:
                expected = e / 2 + mine.uniform() * (e / 2);
                break;
            case BackoffKind::DecorrelatedJitter:
                sleep = std::min(cap, base + mine.uniform() * (3 * sleep - base));
                expected = sleep;
                break;
            default:
                QFAIL("not a SPEC strategy");
            }
            const Duration got = b.delay(n, state, lib);
            QVERIFY2(std::abs(us(got) - expected) <= 1.0,
                     qPrintable(u"retry %1: got %2 µs, formula gives %3 µs"_s.arg(n)
                                    .arg(got.count())
                                    .arg(expected)));
        }
    }

    // firstRetryExponent 1 (the AWS simulator counts the first retry as attempt 1): the
    // exponential formulas start at base × m; decorrelated jitter still starts from base.
    void firstRetryExponent_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        for (const auto kind : {BackoffKind::Exponential, BackoffKind::FullJitter,
                                BackoffKind::EqualJitter, BackoffKind::DecorrelatedJitter})
            QTest::addRow("%s", qPrintable(Backoff::id(kind))) << kind;
    }
    void firstRetryExponent()
    {
        QFETCH(BackoffKind, kind);
        BackoffParams p = params(kind, 5ms, 2s);
        p.firstRetryExponent = 1;
        const Backoff shifted(p);
        const Backoff plain(params(kind, 5ms, 2s));
        RandomSource a(9), b(9);
        BackoffState sa, sb;
        for (int n = 0; n < 12; ++n) {
            const Duration got = shifted.delay(n, sa, a);
            if (kind == BackoffKind::DecorrelatedJitter) {
                // Not an exponent at all: the same draws whatever the count.
                QCOMPARE(got, plain.delay(n, sb, b));
                continue;
            }
            // Retry n of the shifted backoff is retry n + 1 of the plain one, draw for draw.
            BackoffState fresh;
            QCOMPARE(got, plain.delay(n + 1, fresh, b));
            QVERIFY(got <= std::min<Duration>(2s, 5ms * (2 << n)));
            QCOMPARE(shifted.upperBound(n), plain.upperBound(n + 1));
        }
        const double firstMax = shifted.distribution(0).upperBound();
        QCOMPARE(firstMax, kind == BackoffKind::DecorrelatedJitter ? 15.0 : 10.0);
        QCOMPARE(Backoff(p).delay(INT_MAX, sa, a) <= 2s, true); // no overflow at the top
    }

    // "none" retries at once: the baseline of the AWS study.
    void noneWaitsNothing()
    {
        const Backoff b(params(BackoffKind::None, 5ms, 2s));
        RandomSource rng(3);
        BackoffState state;
        for (int n : {0, 1, 5, 40, INT_MAX})
            QCOMPARE(b.delay(n, state, rng), Duration::zero());
        QCOMPARE(b.upperBound(3), Duration::zero());
        QCOMPARE(Backoff::kindFromId(u"none"_s), BackoffKind::None);
        QCOMPARE(b.distribution(2).upperBound(), 0.0);
    }

    // The same seed gives the same delays on every machine: these numbers are fixed.
    void goldenSequence()
    {
        const Backoff b(params(BackoffKind::FullJitter, 100ms, 10s));
        RandomSource rng(42);
        BackoffState state;
        QList<qint64> got;
        for (int n = 0; n < 6; ++n)
            got << b.delay(n, state, rng).count();
        // mt19937_64(42), top 53 bits / 2^53, times min(cap, 100 ms × 2^n).
        RandomSource check(42);
        QList<qint64> expected;
        for (int n = 0; n < 6; ++n)
            expected << std::llround(check.uniform() * 100'000.0 * std::pow(2.0, n));
        QCOMPARE(got, expected);
        QCOMPARE(got, (QList<qint64>{75'516, 127'806, 300'858, 109'018, 1'445'230, 301'019}));
    }

    void neverNegativeNeverAboveBound_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        for (const auto &id : Backoff::ids())
            QTest::addRow("%s", qPrintable(id)) << *Backoff::kindFromId(id);
    }
    void neverNegativeNeverAboveBound()
    {
        QFETCH(BackoffKind, kind);
        const Backoff b(params(kind, 50ms, 2s, 2.0, 0.5));
        RandomSource rng(3);
        for (int op = 0; op < 300; ++op) {
            BackoffState state;
            for (int n = 0; n < 40; ++n) {
                const Duration d = b.delay(n, state, rng);
                QVERIFY(d >= Duration::zero());
                QVERIFY2(d <= b.upperBound(n),
                         qPrintable(u"retry %1: %2 µs above %3 µs"_s.arg(n).arg(d.count()).arg(
                             b.upperBound(n).count())));
                if (kind != BackoffKind::ProportionalJitter)
                    QVERIFY(d <= b.params().cap);
            }
        }
    }

    void hugeRetryNumbersDoNotOverflow_data() { neverNegativeNeverAboveBound_data(); }
    void hugeRetryNumbersDoNotOverflow()
    {
        QFETCH(BackoffKind, kind);
        const Backoff b(params(kind, 100ms, 30s, 2.0, 0.2));
        RandomSource rng(5);
        for (const int n : {62, 63, 64, 1023, 1024, 100000, INT_MAX - 1, INT_MAX}) {
            BackoffState state;
            state.previousMicros = 20e6;
            state.pollyPrevious = 1e300;
            const Duration d = b.delay(n, state, rng);
            QVERIFY(d >= Duration::zero());
            QVERIFY(d <= b.upperBound(n));
            // A second call after a huge one stays sane too (Polly keeps state).
            const Duration again = b.delay(n, state, rng);
            QVERIFY(again >= Duration::zero() && again <= b.upperBound(n));
        }
        // The deterministic ones reach exactly the cap.
        if (kind == BackoffKind::Exponential) {
            BackoffState state;
            QCOMPARE(b.delay(INT_MAX, state, rng), Duration(30s));
        }
    }

    // Kolmogorov–Smirnov: 20,000 seeded delays against the theoretical distribution. At
    // alpha = 1e-6 a correct implementation fails one seed in a million; under a fixed seed
    // the outcome is reproducible.
    void jitterMatchesTheory_data()
    {
        QTest::addColumn<BackoffKind>("kind");
        QTest::addColumn<int>("retry");
        for (const auto kind :
             {BackoffKind::FullJitter, BackoffKind::EqualJitter, BackoffKind::DecorrelatedJitter,
              BackoffKind::PollyDecorrelatedV2, BackoffKind::ProportionalJitter,
              BackoffKind::RandomizedExponential, BackoffKind::EnvoyJittered,
              BackoffKind::RandomizedExponentialPlusOne, BackoffKind::EnvoyLegacy}) {
            for (const int retry : {0, 1, 3, 7})
                QTest::addRow("%s retry %d", qPrintable(Backoff::id(kind)), retry) << kind << retry;
        }
    }
    void jitterMatchesTheory()
    {
        QFETCH(BackoffKind, kind);
        QFETCH(int, retry);
        const Backoff b(params(kind, 100ms, 3s, 2.0, 0.2));
        // A different seed from the one distribution() samples with.
        const auto samples = sample(b, retry, 20000, 0xC0FFEE + static_cast<unsigned>(retry));
        const DelayDistribution theory = b.distribution(retry, 40000);
        const QString misfit = ksMisfit(b, retry, samples, theory);
        QVERIFY2(misfit.isEmpty(), qPrintable(misfit));
        // Means agree too (a coarse second look).
        double mean = 0;
        for (const double s : samples)
            mean += s;
        mean /= static_cast<double>(samples.size());
        QVERIFY(std::abs(mean - theory.mean()) <= 0.02 * std::max(1.0, theory.mean()));
    }

    // The test has power: full-jitter delays are rejected as equal jitter, and vice versa.
    void ksRejectsTheWrongDistribution()
    {
        const Backoff full(params(BackoffKind::FullJitter));
        const Backoff equal(params(BackoffKind::EqualJitter));
        QVERIFY(ksTest(sample(full, 3, 5000, 1), equal.distribution(3)).rejects());
        QVERIFY(ksTest(sample(equal, 3, 5000, 1), full.distribution(3)).rejects());
        // A 10% stretch of the range is caught as well.
        const Backoff stretched(params(BackoffKind::FullJitter, 110ms));
        QVERIFY(ksTest(sample(stretched, 2, 20000, 1), full.distribution(2)).rejects());
    }

    void closedForms()
    {
        const auto full = Backoff(params(BackoffKind::FullJitter)).distribution(2);
        QCOMPARE(full.form(), DelayDistribution::Form::Uniform);
        QCOMPARE(full.lowerBound(), 0.0);
        QCOMPARE(full.upperBound(), 400.0);
        QCOMPARE(full.cdf(100.0), 0.25);
        const auto equal = Backoff(params(BackoffKind::EqualJitter)).distribution(2);
        QCOMPARE(equal.lowerBound(), 200.0);
        QCOMPARE(equal.cdf(300.0), 0.5);
        const auto fixed = Backoff(params(BackoffKind::Fixed)).distribution(5);
        QCOMPARE(fixed.form(), DelayDistribution::Form::Point);
        QCOMPARE(fixed.cdf(99.9), 0.0);
        QCOMPARE(fixed.cdf(100.0), 1.0);
        // Envoy's current strategy: whole milliseconds 0 .. 249 once the interval is at the max.
        const auto envoy = Backoff(params(BackoffKind::EnvoyJittered, 25ms, 250ms)).distribution(5);
        QCOMPARE(envoy.cdf(124.5), 125.0 / 250.0);
        QCOMPARE(envoy.cdf(249.0), 1.0);
        // The older one clamps: U(0, 375) clamped at 250 puts 1/3 of the mass on 250.
        const auto legacy = Backoff(params(BackoffKind::EnvoyLegacy, 25ms, 250ms)).distribution(5);
        QCOMPARE(legacy.cdf(248.5), 249.0 / 375.0);
        QCOMPARE(legacy.cdf(250.0), 1.0);
        QVERIFY(!Backoff(params(BackoffKind::DecorrelatedJitter)).distribution(2).isClosedForm());
    }

    void idsRoundTrip()
    {
        for (const auto &id : Backoff::ids())
            QCOMPARE(Backoff::id(*Backoff::kindFromId(id)), id);
        QVERIFY(!Backoff::kindFromId(u"no-such-kind"_s));
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
