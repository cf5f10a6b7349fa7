// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/network_delay.h"
#include "mock/fault_profile.h"
#include "policy/retry_policy.h"

#include <vector>

namespace retrylab {

struct Scenario;

// The contention experiment of the AWS Architecture Blog ("Exponential Backoff And Jitter"),
// lean: N clients each make one optimistic-concurrency write to one resource (read its
// version, then write it conditionally) and retry a lost race with the scenario's retry
// policy. The same model as SimulatedTransport's contention mode, without the engine's
// per-attempt URLs, headers, log records and callbacks, so that a study's thousands of trials
// run in seconds. The decisions are RetryPolicy::decide's, the engine's own.
struct ContentionModel {
    int clients = 1;
    RetryPolicy policy;
    NetworkDelay network; // every one-way message
    LatencySpec service;  // the server's time for a read and for a write
    // The route's status mix: a request drawn as anything but 2xx fails with that status and
    // changes nothing (empty: every request is answered normally).
    QList<WeightedStatus> statuses;
    RetryAfterSpec retryAfter; // what such a failure's Retry-After says
    int maxConcurrent = 0;     // requests being served at once; 0: no limit
    int overloadStatus = 503;
    int overloadRetryAfterSeconds = 1;
    bool idempotent = true; // the request's method
    bool keyed = false;     // carries an Idempotency-Key

    // The model of a scenario: its clients, policy (409 retried, as a lost race must be),
    // network delay, and the service time and capacity of the route its request matches.
    static ContentionModel fromScenario(const Scenario &scenario);
};

// What one trial measured. Calls are conditional writes that reached the resource.
struct TrialResult {
    qint64 calls = 0;
    qint64 reads = 0;
    qint64 makespanUs = 0;    // until the last client had its final answer
    double meanLatencyUs = 0; // per client, from the start to its final answer
    int gaveUp = 0;           // clients whose policy stopped before their write won
    int mostAttempts = 0;     // by one client
    qint64 overloaded = 0;    // requests refused by the capacity limit
};

// Runs one trial under `seed`. With `writeTimesUs`, appends the time of every write.
TrialResult runContentionTrial(const ContentionModel &model, std::uint64_t seed,
                               std::vector<qint64> *writeTimesUs = nullptr);

} // namespace retrylab
