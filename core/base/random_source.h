// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace retrylab {

// Seeded source of uniform numbers. std::mt19937_64's output sequence is fixed by the C++
// standard, and uniform() maps its bits by hand (not with std::uniform_real_distribution,
// whose algorithm differs between standard libraries), so a seed reproduces the same delays
// on every machine.
class RandomSource
{
public:
    explicit RandomSource(std::uint64_t seed = 1)
        : m_engine(seed)
    {}

    void reseed(std::uint64_t seed) { m_engine.seed(seed); }

    // Uniform in [0, 1), 53 bits of precision.
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }

    // Uniform in [a, b) (or [b, a) when b < a).
    double uniform(double a, double b) { return a + (b - a) * uniform(); }

    // Standard normal, by Box–Muller from two uniforms (by hand, for the same reason as
    // uniform()): the latencies and network delays of simulated time replay with the seed.
    double normal()
    {
        const double u1 = 1.0 - uniform(); // (0, 1]: log(0) never happens
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    std::uint64_t next() { return m_engine(); }

private:
    std::mt19937_64 m_engine;
};

} // namespace retrylab
