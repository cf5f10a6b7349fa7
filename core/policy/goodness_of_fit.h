// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "delay_distribution.h"

#include <functional>
#include <vector>

namespace retrylab {

// Kolmogorov–Smirnov statistics: how far measured delays are from a strategy's theoretical
// distribution. The jitter chart reports them, and the tests use them.
struct KsResult {
    double statistic = 0.0; // sup |F_n(x) − F(x)|
    double critical = 0.0;  // the statistic's rejection threshold at the given alpha
    std::size_t n = 0;
    bool rejects() const { return statistic > critical; }
};

// One sample against a distribution. `alpha` is the significance level.
KsResult ksTest(std::vector<double> samplesMs, const DelayDistribution &expected,
                double alpha = 1e-6);
// One sample against any distribution given by its CDF, P(X <= x) (a network model's).
KsResult ksTest(std::vector<double> samplesMs, const std::function<double(double)> &cdf,
                double alpha = 1e-6);

// Two samples against each other (for strategies whose distribution is itself sampled).
KsResult ksTwoSample(std::vector<double> a, std::vector<double> b, double alpha = 1e-6);

// The asymptotic Kolmogorov critical coefficient c(alpha) = sqrt(−ln(alpha / 2) / 2).
double ksCoefficient(double alpha);

} // namespace retrylab
