// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/outcome.h"
#include "policy/circuit_breaker.h"
#include "policy/retry_policy.h"

#include <QJsonObject>

#include <algorithm>
#include <climits>
#include <cstdint>

namespace retrylab {

// Where an attempt's time went on the wire, in microseconds each, in the order they happen
// (log/README.md, "Phase timings"). -1: the phase did not happen, as on a reused connection
// (no DNS, connect or TLS), over plain HTTP (no TLS), or after the attempt failed earlier.
// 32 bits hold 35 minutes; a longer phase is clamped.
struct PhaseTimings {
    qint32 blockedUs = -1; // queued for a connection (maxConnectionsPerHost reached)
    qint32 dnsUs = -1;
    qint32 connectUs = -1; // TCP only
    qint32 tlsUs = -1;
    qint32 sendUs = -1;    // the request written to the socket
    qint32 waitUs = -1;    // from the request sent to the first byte of the answer
    qint32 receiveUs = -1; // from the first byte to the last
    // Not a phase of the exchange: from the answer's last byte reaching this machine (the
    // kernel's stamp) to the client having read it, the client's own delay. The attempt's
    // `finishedUs` includes it; wait and receive do not. -1 where the stack cannot tell.
    qint32 lagUs = -1;
    bool reused = false; // the attempt went on a connection an earlier attempt opened

    bool known() const { return sendUs >= 0 || connectUs >= 0 || dnsUs >= 0 || blockedUs >= 0; }
    static qint32 clamp(qint64 us) { return qint32(std::clamp<qint64>(us, -1, INT32_MAX)); }
    bool operator==(const PhaseTimings &) const = default;
};

// One attempt: the single fact that charts, tables, exports and summaries read. Compact on
// purpose (about 150 bytes, asserted below): strings live once in the log's string table and are
// referred to by index. Times are microseconds since the run started.
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
    std::uint32_t requestSent = 0;      // index: the request head as written (0: not kept)
    std::uint32_t responseBody = 0;     // index: the body's first bytes as text (0: not kept)
    qint64 scheduledUs = 0;             // when this attempt was planned to start
    qint64 startedUs = 0;               // when it was sent (or refused)
    qint64 finishedUs = 0;              // when its outcome was known
    qint64 plannedDelayUs = -1;         // the wait planned before it (-1: first attempt)
    qint64 actualDelayUs = -1;          // the wait that really passed
    qint64 retryAfterUs = -1;           // what this attempt's response asked for (-1: nothing)
    bool shortened = false;             // the planned wait was cut to fit the time budget
    bool insecure = false; // sent with an invalid certificate the person allowed for its host
    bool lastOfOperation = false;
    std::uint8_t httpVersion = 0; // of the answer: 10, 11 or 20; 0 when there was none
    PhaseTimings phases;          // on the wire (all -1 in simulated time and when never sent)
    qint64 responseBytes = -1;    // body bytes received (-1: no response); kept or not

    bool isRetry() const { return attempt > 1; }
    // When the outcome reached this machine: the finish, less the client's lag where the stack
    // measured it (core/transport/README.md, "When bytes arrived").
    qint64 arrivedUs() const { return finishedUs - std::max<qint32>(0, phases.lagUs); }
};

static_assert(sizeof(AttemptRecord) < 200, "the attempt record stays compact");

// A breaker's change of state, as a record in the same stream.
struct BreakerRecord {
    std::uint32_t breaker = 0; // the client it belongs to, or 0 for a shared breaker
    qint64 atUs = 0;
    BreakerTransition transition;
};

} // namespace retrylab
