// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "duration.h"
#include "random_source.h"

#include <QJsonValue>
#include <QString>

#include <vector>

namespace retrylab {

// How long one message takes one way in simulated time: a fixed number of milliseconds or a
// distribution drawn afresh for every message (core/transport/README.md, "Network model").
// Real networks, and the AWS Architecture Blog's simulator, vary the delay of each message;
// a fixed delay makes unjittered clients move in lockstep.
class NetworkDelay
{
public:
    enum class Kind { Fixed, Normal, Lognormal, Uniform, Samples };

    NetworkDelay() = default;
    static NetworkDelay fixed(double ms);
    static NetworkDelay normal(double meanMs, double sdMs); // folded at 0: |x|
    static NetworkDelay lognormal(double medianMs, double sigma);
    static NetworkDelay uniform(double minMs, double maxMs);
    static NetworkDelay samples(std::vector<double> ms); // each as likely; not empty

    Kind kind() const { return m_kind; }
    // The parameters by kind: fixed {ms}; normal {meanMs, sdMs}; lognormal {medianMs, sigma};
    // uniform {minMs, maxMs}; samples: the list.
    double a() const { return m_a; }
    double b() const { return m_b; }
    const std::vector<double> &sampleList() const { return m_samples; }

    // One message's delay. Draws nothing for a fixed delay.
    Duration draw(RandomSource &rng) const;
    // P(delay <= ms), the distribution draw() follows (before rounding to microseconds).
    double cdf(double ms) const;
    double meanMs() const;
    bool isFixed() const { return m_kind == Kind::Fixed; }

    // A bare number for a fixed delay, {"kind": ...} otherwise: what the scenario file holds.
    QJsonValue toJson() const;
    // "10 ms", "|N(10 ms, 2 ms)|", "lognormal (median 10 ms, σ 0.3)", ...
    QString describe() const;

    static QString kindId(Kind kind);
    static QStringList kindIds();

    bool operator==(const NetworkDelay &) const = default;

private:
    Kind m_kind = Kind::Fixed;
    double m_a = 1.0; // ms
    double m_b = 0.0;
    std::vector<double> m_samples;
};

} // namespace retrylab
