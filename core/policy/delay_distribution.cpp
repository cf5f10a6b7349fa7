// SPDX-License-Identifier: GPL-3.0-or-later
#include "delay_distribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;

namespace retrylab {

DelayDistribution DelayDistribution::point(double ms)
{
    DelayDistribution d;
    d.m_form = Form::Point;
    d.m_lo = d.m_hi = ms;
    return d;
}

DelayDistribution DelayDistribution::uniform(double loMs, double hiMs, double clampMs,
                                             double stepMs)
{
    if (hiMs < loMs)
        std::swap(loMs, hiMs);
    if (hiMs <= loMs || clampMs <= loMs)
        return point(std::min(loMs, clampMs));
    DelayDistribution d;
    d.m_form = Form::Uniform;
    d.m_lo = loMs;
    d.m_hi = hiMs;
    d.m_clamp = clampMs;
    d.m_step = std::max(0.0, stepMs);
    return d;
}

DelayDistribution DelayDistribution::empirical(std::vector<double> samplesMs)
{
    if (samplesMs.empty())
        return point(0.0);
    std::sort(samplesMs.begin(), samplesMs.end());
    DelayDistribution d;
    d.m_form = Form::Empirical;
    d.m_lo = samplesMs.front();
    d.m_hi = samplesMs.back();
    d.m_samples = std::move(samplesMs);
    return d;
}

double DelayDistribution::cdf(double ms) const
{
    switch (m_form) {
    case Form::Point:
        return ms >= m_lo ? 1.0 : 0.0;
    case Form::Uniform:
        if (ms >= m_clamp)
            return 1.0;
        // Truncated draws: X <= ms exactly when the continuous draw is below the next step.
        if (m_step > 0.0)
            ms = std::floor(ms / m_step) * m_step + m_step;
        if (ms <= m_lo)
            return 0.0;
        return std::min(1.0, (ms - m_lo) / (m_hi - m_lo));
    case Form::Empirical: {
        const auto it = std::upper_bound(m_samples.begin(), m_samples.end(), ms);
        return static_cast<double>(it - m_samples.begin()) / static_cast<double>(m_samples.size());
    }
    }
    return 0.0;
}

double DelayDistribution::lowerBound() const
{
    return m_lo;
}

double DelayDistribution::upperBound() const
{
    return m_form == Form::Uniform ? std::min(m_hi, m_clamp) : m_hi;
}

double DelayDistribution::mean() const
{
    switch (m_form) {
    case Form::Point:
        return m_lo;
    case Form::Uniform: {
        if (m_clamp >= m_hi)
            return (m_lo + m_hi) / 2.0 - m_step / 2.0;
        // Mass below the clamp is uniform on [lo, clamp); the rest sits on the clamp.
        const double below = (m_clamp - m_lo) / (m_hi - m_lo);
        return below * (m_lo + m_clamp) / 2.0 + (1.0 - below) * m_clamp;
    }
    case Form::Empirical:
        return std::accumulate(m_samples.begin(), m_samples.end(), 0.0) /
               static_cast<double>(m_samples.size());
    }
    return 0.0;
}

QString DelayDistribution::describe() const
{
    const auto ms = [](double v) -> QString {
        return QString::number(v, 'g', 5) + u" ms"_s;
    };
    switch (m_form) {
    case Form::Point:
        return u"always %1"_s.arg(ms(m_lo));
    case Form::Uniform: {
        // Truncated draws are said as the whole values they take: ⌊U(250, 750)⌋ is 250 to 749.
        QString text = m_step > 0.0 ? u"⌊U(%1, %2)⌋"_s.arg(ms(m_lo), ms(m_hi))
                                    : u"U(%1, %2)"_s.arg(ms(m_lo), ms(m_hi));
        if (m_clamp < m_hi)
            text += u", capped at %1"_s.arg(ms(m_clamp));
        return text;
    }
    case Form::Empirical:
        return u"sampled (%1 draws), %2 to %3"_s.arg(m_samples.size()).arg(ms(m_lo), ms(m_hi));
    }
    return {};
}

} // namespace retrylab
