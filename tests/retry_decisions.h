// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The policy and the answers tst_retry_policy and tst_retry_after_modes decide on: a fixed
// 200 ms backoff, four attempts, a 10 s budget; a status (with the server's wait), or a
// transport failure; one decision from a fresh state under seed 1.
#include "policy/retry_policy.h"

inline retrylab::RetryPolicy fixedPolicy()
{
    retrylab::RetryPolicy p;
    p.backoff = {retrylab::BackoffKind::Fixed, std::chrono::milliseconds(200),
                 std::chrono::seconds(10), 2.0, 0.0};
    p.maxAttempts = 4;
    p.totalBudget = std::chrono::seconds(10);
    return p;
}

inline retrylab::AttemptResult status(int s, std::optional<retrylab::Duration> serverWait = {})
{
    retrylab::AttemptResult r{retrylab::outcome::fromStatus(s), s, std::nullopt, std::nullopt};
    if (serverWait)
        r.pushback =
            retrylab::Pushback{*serverWait, retrylab::PushbackSource::RetryAfter, false, false, {}};
    return r;
}

inline retrylab::AttemptResult failure(retrylab::OutcomeClass c)
{
    return {c, 0, std::nullopt, std::nullopt};
}

inline retrylab::RetryDecision decide(const retrylab::RetryPolicy &p,
                                      const retrylab::AttemptResult &r,
                                      retrylab::AttemptContext ctx = {})
{
    retrylab::BackoffState state;
    retrylab::RandomSource rng(1);
    return p.decide(ctx, r, state, rng);
}
