// SPDX-License-Identifier: GPL-3.0-or-later
#include "goodness_of_fit.h"

#include <algorithm>
#include <cmath>

namespace retrylab {

double ksCoefficient(double alpha)
{
    return std::sqrt(-std::log(alpha / 2.0) / 2.0);
}

KsResult ksTest(std::vector<double> samples, const DelayDistribution &expected, double alpha)
{
    return ksTest(
        std::move(samples), [&expected](double x) { return expected.cdf(x); }, alpha);
}

KsResult ksTest(std::vector<double> samples, const std::function<double(double)> &cdf, double alpha)
{
    KsResult r;
    r.n = samples.size();
    if (samples.empty())
        return r;
    std::sort(samples.begin(), samples.end());
    const double n = static_cast<double>(samples.size());
    double d = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        // Compare just below and at each step of the empirical CDF; ties are one step.
        if (i + 1 < samples.size() && samples[i + 1] == samples[i])
            continue;
        const double f = cdf(samples[i]);
        const double above = static_cast<double>(i + 1) / n;
        const auto first = std::lower_bound(samples.begin(), samples.end(), samples[i]);
        const double below = static_cast<double>(first - samples.begin()) / n;
        // F(x−) for the distribution: a point mass at x belongs to the step itself.
        const double fBelow = cdf(std::nextafter(samples[i], -INFINITY));
        d = std::max({d, std::abs(above - f), std::abs(fBelow - below)});
    }
    r.statistic = d;
    r.critical = ksCoefficient(alpha) / std::sqrt(n);
    return r;
}

KsResult ksTwoSample(std::vector<double> a, std::vector<double> b, double alpha)
{
    KsResult r;
    r.n = a.size();
    if (a.empty() || b.empty())
        return r;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const double na = static_cast<double>(a.size());
    const double nb = static_cast<double>(b.size());
    std::size_t i = 0;
    std::size_t j = 0;
    double d = 0.0;
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= x)
            ++i;
        while (j < b.size() && b[j] <= x)
            ++j;
        d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
    }
    r.statistic = d;
    r.critical = ksCoefficient(alpha) * std::sqrt((na + nb) / (na * nb));
    return r;
}

} // namespace retrylab
