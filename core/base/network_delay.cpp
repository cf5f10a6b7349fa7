// SPDX-License-Identifier: GPL-3.0-or-later
#include "network_delay.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

double phi(double z)
{
    return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// P(X <= x) for X ~ N(mean, sd), a step at the mean when sd is 0.
double normalCdf(double x, double mean, double sd)
{
    if (sd <= 0.0)
        return x >= mean ? 1.0 : 0.0;
    return phi((x - mean) / sd);
}

QString ms(double v)
{
    return QString::number(v, 'g', 6) + u" ms"_s;
}

} // namespace

NetworkDelay NetworkDelay::fixed(double ms)
{
    NetworkDelay d;
    d.m_kind = Kind::Fixed;
    d.m_a = ms;
    return d;
}

NetworkDelay NetworkDelay::normal(double meanMs, double sdMs)
{
    NetworkDelay d;
    d.m_kind = Kind::Normal;
    d.m_a = meanMs;
    d.m_b = sdMs;
    return d;
}

NetworkDelay NetworkDelay::lognormal(double medianMs, double sigma)
{
    NetworkDelay d;
    d.m_kind = Kind::Lognormal;
    d.m_a = medianMs;
    d.m_b = sigma;
    return d;
}

NetworkDelay NetworkDelay::uniform(double minMs, double maxMs)
{
    NetworkDelay d;
    d.m_kind = Kind::Uniform;
    d.m_a = minMs;
    d.m_b = maxMs;
    return d;
}

NetworkDelay NetworkDelay::samples(std::vector<double> ms)
{
    NetworkDelay d;
    d.m_kind = Kind::Samples;
    d.m_samples = std::move(ms);
    if (d.m_samples.empty())
        d.m_samples.push_back(0.0);
    return d;
}

Duration NetworkDelay::draw(RandomSource &rng) const
{
    double v = m_a;
    switch (m_kind) {
    case Kind::Fixed:
        break;
    case Kind::Normal:
        v = std::abs(m_a + m_b * rng.normal());
        break;
    case Kind::Lognormal:
        v = m_a * std::exp(m_b * rng.normal());
        break;
    case Kind::Uniform:
        v = rng.uniform(m_a, m_b);
        break;
    case Kind::Samples: {
        const auto n = m_samples.size();
        v = m_samples[std::min(n - 1, static_cast<std::size_t>(rng.uniform() * double(n)))];
        break;
    }
    }
    return clampMicros(v * 1000.0);
}

double NetworkDelay::cdf(double x) const
{
    switch (m_kind) {
    case Kind::Fixed:
        return x >= m_a ? 1.0 : 0.0;
    case Kind::Normal:
        // |X| <= x  ⇔  −x <= X <= x.
        return x < 0.0 ? 0.0 : normalCdf(x, m_a, m_b) - normalCdf(-x, m_a, m_b);
    case Kind::Lognormal:
        if (x <= 0.0)
            return 0.0;
        return m_b <= 0.0 ? (x >= m_a ? 1.0 : 0.0) : phi(std::log(x / m_a) / m_b);
    case Kind::Uniform:
        if (m_b <= m_a)
            return x >= m_a ? 1.0 : 0.0;
        return std::clamp((x - m_a) / (m_b - m_a), 0.0, 1.0);
    case Kind::Samples:
        return static_cast<double>(std::count_if(m_samples.begin(), m_samples.end(),
                                                 [x](double s) { return s <= x; })) /
               static_cast<double>(m_samples.size());
    }
    return 0.0;
}

double NetworkDelay::meanMs() const
{
    switch (m_kind) {
    case Kind::Fixed:
        return m_a;
    case Kind::Normal: {
        // The folded normal's mean.
        if (m_b <= 0.0)
            return std::abs(m_a);
        const double z = m_a / m_b;
        return m_b * std::sqrt(2.0 / std::numbers::pi) * std::exp(-z * z / 2.0) +
               m_a * (1.0 - 2.0 * phi(-z));
    }
    case Kind::Lognormal:
        return m_a * std::exp(m_b * m_b / 2.0);
    case Kind::Uniform:
        return (m_a + m_b) / 2.0;
    case Kind::Samples:
        return std::accumulate(m_samples.begin(), m_samples.end(), 0.0) /
               static_cast<double>(m_samples.size());
    }
    return 0.0;
}

QJsonValue NetworkDelay::toJson() const
{
    switch (m_kind) {
    case Kind::Fixed:
        return m_a;
    case Kind::Normal:
        return QJsonObject{{u"kind"_s, u"normal"_s}, {u"meanMs"_s, m_a}, {u"sdMs"_s, m_b}};
    case Kind::Lognormal:
        return QJsonObject{{u"kind"_s, u"lognormal"_s}, {u"medianMs"_s, m_a}, {u"sigma"_s, m_b}};
    case Kind::Uniform:
        return QJsonObject{{u"kind"_s, u"uniform"_s}, {u"minMs"_s, m_a}, {u"maxMs"_s, m_b}};
    case Kind::Samples: {
        QJsonArray list;
        for (const double v : m_samples)
            list.append(v);
        return QJsonObject{{u"kind"_s, u"samples"_s}, {u"ms"_s, list}};
    }
    }
    return m_a;
}

QString NetworkDelay::describe() const
{
    switch (m_kind) {
    case Kind::Fixed:
        return ms(m_a);
    case Kind::Normal:
        return u"|N(%1, %2)|"_s.arg(ms(m_a), ms(m_b));
    case Kind::Lognormal:
        return u"lognormal (median %1, σ %2)"_s.arg(ms(m_a)).arg(m_b);
    case Kind::Uniform:
        return u"U(%1, %2)"_s.arg(ms(m_a), ms(m_b));
    case Kind::Samples:
        return u"%1 measured samples (mean %2)"_s.arg(m_samples.size()).arg(ms(meanMs()));
    }
    return {};
}

QString NetworkDelay::kindId(Kind kind)
{
    return kindIds().at(static_cast<int>(kind));
}

QStringList NetworkDelay::kindIds()
{
    return {u"fixed"_s, u"normal"_s, u"lognormal"_s, u"uniform"_s, u"samples"_s};
}

} // namespace retrylab
