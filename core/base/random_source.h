// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
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

    std::uint64_t next() { return m_engine(); }

private:
    std::mt19937_64 m_engine;
};

} // namespace retrylab
