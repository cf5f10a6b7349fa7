# SPDX-License-Identifier: GPL-3.0-or-later
"""std::mt19937_64 and Retry Lab's RandomSource (core/base/random_source.h).

The C++ standard fixes mt19937_64's output sequence, and RandomSource maps it to [0, 1) by
hand, so this pure-Python copy draws the very same numbers from the same seed.
"""

_MASK = (1 << 64) - 1
_N = 312
_M = 156
_MATRIX_A = 0xB5026F5AA96619E9
_UPPER = 0xFFFFFFFF80000000
_LOWER = 0x7FFFFFFF


class RandomSource:
    def __init__(self, seed=1):
        self.reseed(seed)

    def reseed(self, seed):
        mt = [0] * _N
        mt[0] = seed & _MASK
        for i in range(1, _N):
            prev = mt[i - 1]
            mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & _MASK
        self._mt = mt
        self._index = _N

    def _twist(self):
        mt = self._mt
        for i in range(_N):
            y = (mt[i] & _UPPER) | (mt[(i + 1) % _N] & _LOWER)
            v = mt[(i + _M) % _N] ^ (y >> 1)
            if y & 1:
                v ^= _MATRIX_A
            mt[i] = v
        self._index = 0

    def next(self):
        """The engine's next 64-bit output."""
        if self._index >= _N:
            self._twist()
        x = self._mt[self._index]
        self._index += 1
        x ^= (x >> 29) & 0x5555555555555555
        x ^= (x << 17) & 0x71D67FFFEDA60000
        x ^= (x << 37) & 0xFFF7EEE000000000
        x ^= x >> 43
        return x & _MASK

    def uniform(self, a=None, b=None):
        """Uniform in [0, 1) with 53 bits, or in [a, b) when both are given."""
        u = float(self.next() >> 11) * (2.0 ** -53)
        if a is None:
            return u
        return a + (b - a) * u


def splitmix(x):
    """SplitMix64, as the engine derives each client's seed from the scenario's."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def client_seed(scenario_seed, client):
    """The seed of client `client`'s random source (core/engine/run_engine.cpp)."""
    return splitmix((scenario_seed + client * 0x9E37) & _MASK)
