// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/retry_after.h"
#include "mock/fault_decider.h"

#include <QTest>
#include <QTimeZone>

#include <cmath>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kWall(QDate(2026, 11, 29), QTime(12, 0, 0, 250), QTimeZone::utc());

FaultProfile mix(QList<WeightedStatus> statuses)
{
    FaultProfile p;
    p.routes.front().statuses = statuses;
    return p;
}

MockRequest get(const QString &client = {}, const QString &key = {})
{
    return {u"GET"_s, u"/x"_s, client, key};
}

} // namespace

class TestFaultDecider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A weighted mix matches its weights: chi-square with 2 degrees of freedom, below the
    // 1e-6 critical value (27.6), under a fixed seed.
    void statusMixMatchesWeights()
    {
        FaultDecider d(mix({{200, 0.7}, {503, 0.2}, {429, 0.1}}), 42);
        QHash<int, int> counts;
        const int n = 20000;
        for (int i = 0; i < n; ++i) {
            const auto decision = d.decide(get(), 0ms, kWall);
            ++counts[decision.status];
            d.finished();
        }
        const double expected[] = {0.7 * n, 0.2 * n, 0.1 * n};
        const int observed[] = {counts[200], counts[503], counts[429]};
        double chi2 = 0;
        for (int i = 0; i < 3; ++i)
            chi2 += std::pow(observed[i] - expected[i], 2) / expected[i];
        QVERIFY2(chi2 < 27.6, qPrintable(u"chi² = %1 (%2, %3, %4)"_s.arg(chi2)
                                             .arg(observed[0])
                                             .arg(observed[1])
                                             .arg(observed[2])));
        QCOMPARE(counts.size(), 3);
    }

    void sameSeedSameDecisions()
    {
        const FaultProfile p = *FaultProfile::ready(u"flaky-503"_s);
        const auto run = [&p](std::uint64_t seed) {
            FaultDecider d(p, seed);
            QList<int> out;
            for (int i = 0; i < 200; ++i) {
                const auto x = d.decide(get(), 0ms, kWall);
                out << x.status * 1000 + static_cast<int>(x.latency.count() % 1000);
                d.finished();
            }
            return out;
        };
        QCOMPARE(run(5), run(5));
        QVERIFY(run(5) != run(6));
    }

    void retryAfterOnlyOnConfiguredStatuses()
    {
        FaultProfile p = mix({{503, 1}});
        p.routes.front().retryAfter.minSeconds = 2;
        p.routes.front().retryAfter.maxSeconds = 2;
        FaultDecider d(p, 1);
        auto x = d.decide(get(), 0ms, kWall);
        QCOMPARE(x.status, 503);
        QCOMPARE(headerValues(x.headers, "retry-after"), QList<QByteArray>{"2"});
        QCOMPARE(x.askedWait, Duration(2s));
        p.routes.front().retryAfter.on = {429};
        d.setProfile(p);
        x = d.decide(get(), 0ms, kWall);
        QVERIFY(x.headers.isEmpty());
        QVERIFY(!x.askedWait);
    }

    // Every form the server writes is read back by the client's parser as the same wait.
    void retryAfterFormsParseBack_data()
    {
        QTest::addColumn<QString>("form");
        QTest::addColumn<int>("parsedForm");
        QTest::addRow("seconds") << u"seconds"_s << int(RetryAfterForm::DelaySeconds);
        QTest::addRow("http-date") << u"http-date"_s << int(RetryAfterForm::ImfFixdate);
        QTest::addRow("rfc850") << u"rfc850"_s << int(RetryAfterForm::Rfc850);
        QTest::addRow("asctime") << u"asctime"_s << int(RetryAfterForm::Asctime);
    }
    void retryAfterFormsParseBack()
    {
        QFETCH(QString, form);
        QFETCH(int, parsedForm);
        RetryAfterSpec spec;
        spec.form = form;
        FaultDecider d;
        std::optional<Duration> asked;
        const HeaderList h = d.pushbackHeaders(spec, 7, kWall, &asked);
        QVERIFY(asked);
        // The client measures a date against the Date header, which is whole seconds too.
        QByteArray date = formatHttpDate(kWall);
        const RetryAfter r = parseRetryAfter(headerValues(h, "retry-after"), kWall, date);
        QVERIFY2(r.isValid(), qPrintable(r.error));
        QCOMPARE(int(r.form), parsedForm);
        QCOMPARE(*r.delay, Duration(7s));
        // What the server will hold the client to is never more than what the client reads.
        QVERIFY(*asked <= *r.delay);
        QVERIFY(*asked >= Duration(7s) - Duration(1s));
    }

    void awkwardValues_data()
    {
        QTest::addColumn<QString>("awkward");
        QTest::addColumn<bool>("clientAccepts");
        QTest::addRow("zero") << u"zero"_s << true;
        QTest::addRow("past-date") << u"past-date"_s << true;
        QTest::addRow("negative") << u"negative"_s << false;
        QTest::addRow("fraction") << u"fraction"_s << false;
        QTest::addRow("garbage") << u"garbage"_s << false;
        QTest::addRow("huge") << u"huge"_s << true; // valid, clamped by the client
        QTest::addRow("two-headers") << u"two-headers"_s << false;
    }
    void awkwardValues()
    {
        QFETCH(QString, awkward);
        QFETCH(bool, clientAccepts);
        RetryAfterSpec spec;
        spec.awkward = awkward;
        FaultDecider d;
        std::optional<Duration> asked;
        const HeaderList h = d.pushbackHeaders(spec, 3, kWall, &asked);
        const RetryAfter r = parseRetryAfter(headerValues(h, "retry-after"), kWall, {}, 1h);
        QCOMPARE(r.isValid(), clientAccepts);
        if (awkward == u"huge"_s)
            QVERIFY(r.clamped);
        if (awkward == u"zero"_s || awkward == u"past-date"_s)
            QCOMPARE(asked, Duration::zero());
    }

    void otherPushbackHeaders()
    {
        RetryAfterSpec spec;
        spec.send = false;
        spec.also = {u"ratelimit"_s, u"x-ratelimit-reset-epoch"_s, u"x-amz-retry-after"_s};
        FaultDecider d;
        std::optional<Duration> asked;
        const HeaderList h = d.pushbackHeaders(spec, 4, kWall, &asked);
        QVERIFY(headerValues(h, "retry-after").isEmpty());
        QCOMPARE(headerValues(h, "ratelimit").value(0), QByteArray("\"default\";r=0;t=4"));
        QCOMPARE(headerValues(h, "x-amz-retry-after").value(0), QByteArray("4000"));
        QCOMPARE(headerValues(h, "x-ratelimit-reset").value(0),
                 QByteArray::number(kWall.toSecsSinceEpoch() + 4));
        QCOMPARE(asked, Duration(4s));
        const auto read = readPushback(429, h, kWall);
        QVERIFY(read.wait);
        QCOMPARE(read.wait->delay, Duration(4s));
    }

    void outages()
    {
        FaultProfile p;
        p.outages = {{5s, 15s, 503}};
        FaultDecider d(p, 1);
        QCOMPARE(d.decide(get(), 4s, kWall).status, 200);
        d.finished();
        const auto x = d.decide(get(), 12s + 300ms, kWall);
        QCOMPARE(x.label, u"outage"_s);
        QCOMPARE(x.status, 503);
        QVERIFY(!x.admitted);
        QCOMPARE(headerValues(x.headers, "retry-after").value(0), QByteArray("3")); // 2.7 s left
        QCOMPARE(d.decide(get(), 15s, kWall).status, 200);
        d.finished();
        d.startOutage(20s, 2s);
        QCOMPARE(d.decide(get(), 21s, kWall).label, u"outage"_s);
        QCOMPARE(d.decide(get(), 22s, kWall).status, 200);
    }

    void concurrencyLimit()
    {
        FaultProfile p;
        p.capacity.maxConcurrent = 2;
        p.capacity.retryAfterSeconds = 4;
        FaultDecider d(p, 1);
        QVERIFY(d.decide(get(), 0ms, kWall).admitted);
        QVERIFY(d.decide(get(), 0ms, kWall).admitted);
        auto x = d.decide(get(), 0ms, kWall);
        QCOMPARE(x.label, u"overload"_s);
        QCOMPARE(x.status, 503);
        QCOMPARE(x.askedWait, Duration(4s));
        d.finished();
        QVERIFY(d.decide(get(), 0ms, kWall).admitted);
        QCOMPARE(d.inFlight(), 2);
    }

    void rateLimit()
    {
        FaultProfile p;
        p.capacity.ratePerSecond = 10;
        p.capacity.burst = 5;
        p.capacity.status = 429;
        FaultDecider d(p, 1);
        int admitted = 0;
        for (int i = 0; i < 20; ++i) {
            const auto x = d.decide(get(), 0ms, kWall);
            if (x.admitted) {
                ++admitted;
                d.finished();
            } else {
                QCOMPARE(x.status, 429);
            }
        }
        QCOMPARE(admitted, 5); // the burst
        // 10 per second: over the next second, 10 more get through.
        admitted = 0;
        for (int ms = 10; ms <= 1000; ms += 10) {
            const auto x = d.decide(get(), std::chrono::milliseconds(ms), kWall);
            if (x.admitted) {
                ++admitted;
                d.finished();
            }
        }
        QCOMPARE(admitted, 10);
    }

    void failFirstPerKeyAndClient()
    {
        FaultProfile p;
        p.routes.front().failFirst = {2, u"key"_s, 503};
        FaultDecider d(p, 1);
        for (const QString &key : {u"k1"_s, u"k2"_s}) {
            QCOMPARE(d.decide(get({}, key), 0ms, kWall).label, u"fail-first"_s);
            QCOMPARE(d.decide(get({}, key), 0ms, kWall).label, u"fail-first"_s);
            QCOMPARE(d.decide(get({}, key), 0ms, kWall).status, 200);
        }
        QCOMPARE(d.decide(get(), 0ms, kWall).status, 200); // no key: not counted
        p.routes.front().failFirst = {1, u"client"_s, 500};
        d.reset(1);
        d.setProfile(p);
        QCOMPARE(d.decide(get(u"c1"_s), 0ms, kWall).status, 500);
        QCOMPARE(d.decide(get(u"c1"_s), 0ms, kWall).status, 200);
    }

    void connectionFaultsByProbability()
    {
        FaultProfile p;
        auto &f = p.routes.front().faults;
        f.reset = 0.1;
        f.hang = 0.1;
        f.garbage = 0.1;
        FaultDecider d(p, 9);
        QHash<QString, int> labels;
        for (int i = 0; i < 10000; ++i) {
            ++labels[d.decide(get(), 0ms, kWall).label];
            d.finished();
        }
        for (const char *kind : {"reset", "hang", "garbage"})
            QVERIFY2(std::abs(labels[QLatin1String(kind)] - 1000) < 150, kind);
        QVERIFY(std::abs(labels[u"status-mix"_s] - 7000) < 300);
    }

    void latencyDistributions()
    {
        const auto sample = [](const LatencySpec &spec) {
            FaultProfile p;
            p.routes.front().latency = spec;
            FaultDecider d(p, 3);
            std::vector<double> v;
            for (int i = 0; i < 5000; ++i) {
                v.push_back(toMs(d.decide(get(), 0ms, kWall).latency));
                d.finished();
            }
            std::sort(v.begin(), v.end());
            return v;
        };
        LatencySpec normal;
        normal.kind = u"normal"_s;
        normal.meanMs = 100;
        normal.stddevMs = 20;
        auto v = sample(normal);
        double mean = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
        QVERIFY(std::abs(mean - 100) < 2);
        normal.meanMs = 5; // never below 0
        QVERIFY(sample(normal).front() >= 0.0);
        LatencySpec lognormal;
        lognormal.kind = u"lognormal"_s;
        lognormal.medianMs = 40;
        lognormal.sigma = 0.8;
        lognormal.maxMs = 300;
        v = sample(lognormal);
        QVERIFY(std::abs(v[v.size() / 2] - 40) < 3);
        QCOMPARE(v.back(), 300.0);
        LatencySpec uniform;
        uniform.kind = u"uniform"_s;
        uniform.minMs = 10;
        uniform.maxMs = 20;
        v = sample(uniform);
        QVERIFY(v.front() >= 10 && v.back() <= 20);
    }
};

QTEST_GUILESS_MAIN(TestFaultDecider)
#include "tst_fault_decider.moc"
