// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/outcome.h"
#include "policy/circuit_breaker.h"
#include "policy/retry_policy.h"

#include <QJsonObject>

#include <cstdint>

namespace retrylab {

// One attempt: the single fact that charts, tables, exports and summaries read. Compact on
// purpose (about 100 bytes): strings live once in the log's string table and are referred to
// by index. Times are microseconds since the run started.
struct AttemptRecord {
    std::uint32_t client = 0;
    std::uint32_t operation = 0; // per client, from 0
    std::uint16_t attempt = 1;   // 1 for the first
    OutcomeClass outcome = OutcomeClass::Success;
    DelaySource delaySource = DelaySource::Backoff; // why the wait before this attempt
    BreakerState breakerAtStart = BreakerState::Closed;
    StopReason stop = StopReason::None; // set on an operation's last attempt
    qint16 status = 0;                  // HTTP status, 0 when none
    std::uint32_t method = 0;           // index into the string table
    std::uint32_t url = 0;              // index into the string table
    std::uint32_t idempotencyKey = 0;   // index; 0 is "no key"
    std::uint32_t requestHeaders = 0;   // index: the scenario's own headers, "Name: value" lines
    std::uint32_t responseHeaders = 0;  // index: the response's headers (0: none or not kept)
    std::uint32_t detail = 0;           // index: why a transport failure happened (TLS reason...)
    qint64 scheduledUs = 0;             // when this attempt was planned to start
    qint64 startedUs = 0;               // when it was sent (or refused)
    qint64 finishedUs = 0;              // when its outcome was known
    qint64 plannedDelayUs = -1;         // the wait planned before it (-1: first attempt)
    qint64 actualDelayUs = -1;          // the wait that really passed
    qint64 retryAfterUs = -1;           // what this attempt's response asked for (-1: nothing)
    bool shortened = false;             // the planned wait was cut to fit the time budget
    bool insecure = false; // sent with an invalid certificate the person allowed for its host
    bool lastOfOperation = false;

    bool isRetry() const { return attempt > 1; }
};

// A breaker's change of state, as a record in the same stream.
struct BreakerRecord {
    std::uint32_t breaker = 0; // the client it belongs to, or 0 for a shared breaker
    qint64 atUs = 0;
    BreakerTransition transition;
};

} // namespace retrylab
