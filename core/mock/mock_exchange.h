// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fault_decider.h"

#include <QByteArray>
#include <QString>

namespace retrylab {

// One request as the built-in server's model sees it, whichever clock carried it.
struct ServiceRequest {
    QByteArray method;
    QByteArray target; // the path with its query, as sent
    HeaderList headers;
    QByteArray body;
    QByteArray peer; // the client's address (empty in simulated time)
};

// What becomes of one request. MockService fills it when the request arrives; the shell (the
// socket server or the simulation) waits `latency`, calls MockService::process(), carries out
// `kind` byte for byte or in virtual time, and calls MockService::finish() when the exchange
// is over.
struct MockExchange {
    qint64 journalId = 0; // 0: not journaled (the admin API)
    FaultKind kind = FaultKind::Respond;
    QString label;      // the decision: status-mix, outage, replay, key-reused, ...
    int status = 200;   // the status sent (Respond, Truncate, SlowBody)
    HeaderList headers; // Retry-After, Idempotent-Replayed, Allow, ...: beyond the framing ones
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json"); // static: no allocation
    Duration latency{0};
    int slowBodyChunks = 1;
    Duration slowBodyOver{0};
    bool keepAlive = true;
    bool headRequest = false;

    // MockService's own bookkeeping between arrive(), process() and finish().
    enum class Effect { None, Charge, Release };
    Effect effect = Effect::None;
    QString operation;
    qint64 amount = 0;
    QString currency;
    QString key;
    QString chainKey; // ClientChains' key, told the answer in process()
    int chainAttempt = 0;
    std::optional<Duration> askedWait;
    bool admitted = false;  // holds a capacity slot until finish()
    bool processed = false; // the outcome is journaled
    bool finished = false;
    bool resetClock = false; // the admin API reset the server: its shell restarts time at 0
};

} // namespace retrylab
