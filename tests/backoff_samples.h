// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What tst_backoff and tst_backoff_presets both draw: delays as plain numbers, and samples of
// one retry's delay from fresh operations.
#include "policy/backoff.h"

#include <vector>

inline double us(retrylab::Duration d)
{
    return static_cast<double>(d.count());
}

// Draws `count` delays for retry n, each from a fresh operation (stateful strategies replay
// retries 0..n-1 first), in milliseconds.
inline std::vector<double> sample(const retrylab::Backoff &b, int retry, int count,
                                  std::uint64_t seed)
{
    retrylab::RandomSource rng(seed);
    std::vector<double> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        retrylab::BackoffState state;
        retrylab::Duration d{};
        for (int n = 0; n <= retry; ++n)
            d = b.delay(n, state, rng);
        out.push_back(us(d) / 1000.0);
    }
    return out;
}
