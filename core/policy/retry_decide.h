// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "retry_policy.h"

namespace retrylab {

// What RetryPolicy::decide answers; with `explain` false the explanation stays empty, so a
// study's millions of decisions write no sentences (the decision is otherwise the same).
RetryDecision decideRetry(const RetryPolicy &policy, const AttemptContext &context,
                          const AttemptResult &result, BackoffState &state, RandomSource &rng,
                          bool explain);

} // namespace retrylab
