// SPDX-License-Identifier: GPL-3.0-or-later
// The network model of simulated time: each distribution's draws against its CDF (a
// Kolmogorov–Smirnov test under a fixed seed), and how a scenario file gives it.
#include "base/network_delay.h"
#include "policy/goodness_of_fit.h"
#include "scenario/scenario.h"

#include <QJsonDocument>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::NetworkDelay)

namespace {

std::vector<double> draws(const NetworkDelay &d, int n, std::uint64_t seed)
{
    RandomSource rng(seed);
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        out.push_back(toMs(d.draw(rng)));
    return out;
}

QJsonObject withSimulation(const QByteArray &simulation)
{
    const QByteArray json =
        R"({"version": 1, "clock": "simulated", "simulation": )" + simulation + "}";
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestNetworkDelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void distributions_data()
    {
        QTest::addColumn<NetworkDelay>("delay");
        QTest::addColumn<double>("mean");
        QTest::addRow("normal, the AWS simulator's |N(10, 2)|")
            << NetworkDelay::normal(10, 2) << 10.0;
        // Folding matters when the mean is near 0: |N(1, 2)| has mean ≈ 1.79, not 1.
        QTest::addRow("normal folded at 0") << NetworkDelay::normal(1, 2) << 1.79119;
        QTest::addRow("lognormal") << NetworkDelay::lognormal(10, 0.3) << 10.0 * std::exp(0.045);
        QTest::addRow("uniform") << NetworkDelay::uniform(5, 15) << 10.0;
        QTest::addRow("samples") << NetworkDelay::samples({4, 6, 6, 9, 25}) << 10.0;
    }
    // 20,000 draws are not rejected by the KS test at α = 1e-6 (the statistic would be near
    // 0.017 for a wrong shape), and their mean is the distribution's.
    void distributions()
    {
        QFETCH(NetworkDelay, delay);
        QFETCH(double, mean);
        const auto sample = draws(delay, 20000, 2015);
        const auto ks = ksTest(sample, [&delay](double x) { return delay.cdf(x); });
        QVERIFY2(!ks.rejects(),
                 qPrintable(u"D = %1, critical %2"_s.arg(ks.statistic).arg(ks.critical)));
        QVERIFY(std::all_of(sample.begin(), sample.end(), [](double v) { return v >= 0; }));
        double sum = 0;
        for (const double v : sample)
            sum += v;
        QVERIFY2(std::abs(sum / sample.size() - mean) < 0.03 * mean,
                 qPrintable(QString::number(sum / sample.size())));
        QVERIFY(std::abs(delay.meanMs() - mean) < 1e-3 * mean);
    }

    // The KS test can tell: draws of |N(10, 2)| are rejected as U(5, 15) and as N(10, 3).
    void ksTellsThemApart()
    {
        const auto sample = draws(NetworkDelay::normal(10, 2), 20000, 7);
        QVERIFY(
            ksTest(sample, [](double x) { return NetworkDelay::uniform(5, 15).cdf(x); }).rejects());
        QVERIFY(
            ksTest(sample, [](double x) { return NetworkDelay::normal(10, 3).cdf(x); }).rejects());
    }

    void fixedDrawsNothing()
    {
        RandomSource rng(1), untouched(1);
        QCOMPARE(NetworkDelay::fixed(2.5).draw(rng), Duration(2500));
        QCOMPARE(rng.next(), untouched.next());
    }

    void sameSeedSameDraws()
    {
        QCOMPARE(draws(NetworkDelay::lognormal(10, 0.5), 50, 3),
                 draws(NetworkDelay::lognormal(10, 0.5), 50, 3));
    }

    void scenarioForms_data()
    {
        QTest::addColumn<QByteArray>("simulation");
        QTest::addColumn<NetworkDelay>("expected");
        QTest::addRow("old networkDelayMs")
            << QByteArray(R"({"networkDelayMs": 7})") << NetworkDelay::fixed(7);
        QTest::addRow("a number") << QByteArray(R"({"networkDelay": 3.5})")
                                  << NetworkDelay::fixed(3.5);
        QTest::addRow("fixed") << QByteArray(R"({"networkDelay": {"kind": "fixed", "ms": 10}})")
                               << NetworkDelay::fixed(10);
        QTest::addRow("normal")
            << QByteArray(R"({"networkDelay": {"kind": "normal", "meanMs": 10, "sdMs": 2}})")
            << NetworkDelay::normal(10, 2);
        QTest::addRow("lognormal")
            << QByteArray(
                   R"({"networkDelay": {"kind": "lognormal", "medianMs": 10, "sigma": 0.3}})")
            << NetworkDelay::lognormal(10, 0.3);
        QTest::addRow("uniform")
            << QByteArray(R"({"networkDelay": {"kind": "uniform", "minMs": 5, "maxMs": 15}})")
            << NetworkDelay::uniform(5, 15);
        QTest::addRow("samples")
            << QByteArray(R"({"networkDelay": {"kind": "samples", "ms": [3, 4.5, 12]}})")
            << NetworkDelay::samples({3, 4.5, 12});
    }
    // Each form loads, and saving writes it back in the same form.
    void scenarioForms()
    {
        QFETCH(QByteArray, simulation);
        QFETCH(NetworkDelay, expected);
        FieldProblems problems;
        const auto s = Scenario::fromJson(withSimulation(simulation), &problems);
        QVERIFY2(s, problems.isEmpty() ? "" : qPrintable(problems.first().message));
        QCOMPARE(s->networkDelay, expected);
        const auto again = Scenario::fromJson(s->toJson(), &problems);
        QVERIFY(again);
        QCOMPARE(again->networkDelay, expected);
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("simulation");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::addRow("missing sd")
            << QByteArray(R"({"networkDelay": {"kind": "normal", "meanMs": 10}})")
            << u"simulation.networkDelay.sdMs"_s << u"missing"_s;
        QTest::addRow("unknown kind") << QByteArray(R"({"networkDelay": {"kind": "weibull"}})")
                                      << u"simulation.networkDelay.kind"_s << u"lognormal"_s;
        QTest::addRow("no kind") << QByteArray(R"({"networkDelay": {"ms": 3}})")
                                 << u"simulation.networkDelay.kind"_s << u"missing"_s;
        QTest::addRow("negative") << QByteArray(R"({"networkDelay": -1})")
                                  << u"simulation.networkDelay"_s << u"from 0"_s;
        QTest::addRow("a string") << QByteArray(R"({"networkDelay": "10ms"})")
                                  << u"simulation.networkDelay"_s << u"distribution"_s;
        QTest::addRow("field of another kind")
            << QByteArray(
                   R"({"networkDelay": {"kind": "uniform", "minMs": 1, "maxMs": 2, "sdMs": 1}})")
            << u"simulation.networkDelay.sdMs"_s << u"unknown"_s;
        QTest::addRow("max below min")
            << QByteArray(R"({"networkDelay": {"kind": "uniform", "minMs": 9, "maxMs": 2}})")
            << u"simulation.networkDelay.maxMs"_s << u"below minMs"_s;
        QTest::addRow("empty samples")
            << QByteArray(R"({"networkDelay": {"kind": "samples", "ms": []}})")
            << u"simulation.networkDelay.ms"_s << u"at least one"_s;
        QTest::addRow("bad sample")
            << QByteArray(R"({"networkDelay": {"kind": "samples", "ms": [1, "x"]}})")
            << u"simulation.networkDelay.ms[1]"_s << u"milliseconds"_s;
        QTest::addRow("both names") << QByteArray(R"({"networkDelay": 1, "networkDelayMs": 1})")
                                    << u"simulation.networkDelayMs"_s << u"once"_s;
    }
    void errorsNameTheField()
    {
        QFETCH(QByteArray, simulation);
        QFETCH(QString, field);
        QFETCH(QString, says);
        FieldProblems problems;
        QVERIFY(!Scenario::fromJson(withSimulation(simulation), &problems));
        const bool named = std::any_of(problems.begin(), problems.end(), [&](const auto &p) {
            return p.field == field && p.message.contains(says);
        });
        QStringList all;
        for (const auto &p : problems)
            all << p.field + u": "_s + p.message;
        QVERIFY2(named, qPrintable(all.join(u"; "_s)));
    }
};

QTEST_GUILESS_MAIN(TestNetworkDelay)
#include "tst_network_delay.moc"
