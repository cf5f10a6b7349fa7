// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/outcome.h"
#include "http/pushback.h"

#include <QDateTime>

#include <functional>

namespace retrylab {

// One attempt as it goes on the wire.
struct AttemptRequest {
    std::uint64_t id = 0;
    std::uint32_t client = 0;
    std::uint32_t operation = 0;
    int attempt = 1;
    QByteArray method;
    QString path;
    HeaderList headers; // includes X-Client-Id, X-Attempt, X-Operation-Id, Idempotency-Key
    QByteArray body;
    QString idempotencyKey;
};

struct AttemptResponse {
    OutcomeClass outcome = OutcomeClass::Success;
    int status = 0;
    HeaderList headers;
    QDateTime receivedAt;  // wall clock, for HTTP-dates in Retry-After
    QString error;         // a transport failure's reason, as the network stack gave it
    bool insecure = false; // the certificate was invalid and the person allowed it
};

// Sends attempts and reports how they ended. The real one speaks HTTP; the simulated one asks
// an in-process model of the built-in server, in virtual time.
class Transport
{
public:
    virtual ~Transport() = default;
    using Done = std::function<void(const AttemptResponse &)>;
    virtual void send(const AttemptRequest &request, Done done) = 0;
    // The engine gave up on it (its timeout fired): drop it, and never call its Done.
    virtual void cancel(std::uint64_t id) = 0;
};

} // namespace retrylab
