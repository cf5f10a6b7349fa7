// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The 503-then-success scenario: the built-in server fails each key's first request with a
// 503 and answers its retry with a 200, so every operation takes exactly two attempts whatever
// the timing, and two runs of it make the same attempts. tst_engine_shards runs it fast;
// bench_engine's `real` (tests/bench/wait_precision.sh) runs it as given here: a full-jitter
// wait of up to 100 ms before the retry, first operations spread over 1 s.
#include "scenario/scenario.h"

inline retrylab::Scenario failFirstScenario(int clients, int operations)
{
    using namespace std::chrono_literals;
    using namespace Qt::StringLiterals;
    retrylab::Scenario s;
    s.name = u"503 then success"_s;
    s.path = u"/items"_s;
    s.keys = retrylab::KeyMode::PerOperation;
    retrylab::RouteProfile route;
    route.failFirst.count = 1;
    s.profile.routes = {route};
    s.profile.name = u"503-then-success"_s;
    s.clients = clients;
    s.operationsPerClient = operations;
    s.stagger = 1s;
    s.policy.retry.maxAttempts = 3;
    s.policy.retry.backoff = {retrylab::BackoffKind::FullJitter, 100ms, 1s, 2.0, 0.0};
    s.policy.retry.totalBudget = 0s;
    s.policy.breaker.enabled = false;
    s.seed = 1;
    return s;
}
