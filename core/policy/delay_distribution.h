// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <limits>
#include <vector>

namespace retrylab {

// The theoretical distribution of one retry's delay, in milliseconds: a point, a uniform range
// (optionally clamped at a cap, which puts the clamped mass on the cap), or, where no closed form
// exists, the empirical distribution of a seeded sample. Charts overlay it on measured delays and
// tests compare samples against it.
class DelayDistribution
{
public:
    enum class Form { Point, Uniform, Empirical };

    static DelayDistribution point(double ms);
    // U(lo, hi), then min(clamp). With stepMs > 0 the draw is truncated down to a whole
    // multiple of stepMs first (resilience4j works in whole milliseconds).
    static DelayDistribution uniform(double loMs, double hiMs,
                                     double clampMs = std::numeric_limits<double>::infinity(),
                                     double stepMs = 0.0);
    static DelayDistribution empirical(std::vector<double> samplesMs);

    Form form() const { return m_form; }
    bool isClosedForm() const { return m_form != Form::Empirical; }

    // P(delay <= ms).
    double cdf(double ms) const;
    double lowerBound() const;
    double upperBound() const;
    double mean() const;
    // "U(0 ms, 400 ms)", "point at 100 ms", "sampled (20000 draws)".
    QString describe() const;

private:
    Form m_form = Form::Point;
    double m_lo = 0.0;
    double m_hi = 0.0;
    double m_clamp = std::numeric_limits<double>::infinity();
    double m_step = 0.0;
    std::vector<double> m_samples; // sorted
};

} // namespace retrylab
