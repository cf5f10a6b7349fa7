// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/outcome.h"
#include "http/pushback.h"
#include "log/attempt_record.h"

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
    AttemptResponse() = default;
    // The answer's own fields, as the simulated stacks write them: {outcome, status, headers}.
    AttemptResponse(OutcomeClass o, int s, HeaderList h = {}, QDateTime at = {}, QString e = {},
                    bool allowedInsecure = false)
        : outcome(o)
        , status(s)
        , headers(std::move(h))
        , receivedAt(std::move(at))
        , error(std::move(e))
        , insecure(allowedInsecure)
    {}

    OutcomeClass outcome = OutcomeClass::Success;
    int status = 0;
    HeaderList headers;
    QDateTime receivedAt;         // wall clock, for HTTP-dates in Retry-After
    QString error;                // a transport failure's reason, as the network stack gave it
    bool insecure = false;        // the certificate was invalid and the person allowed it
    PhaseTimings phases;          // where the time went (all -1 when the stack cannot tell)
    QByteArray body;              // the first bytes of the body, up to the client's keepBodyBytes
    qint64 bodyBytes = -1;        // every body byte that arrived, kept or not (-1: no response)
    std::uint8_t httpVersion = 0; // of the answer: 10, 11 (HTTP/1.x) or 20 (HTTP/2); 0: none
    QByteArray requestHead;       // the request line and fields exactly as written (our own stack)
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
    // Where an attempt still in flight has spent its time so far: the phases it finished, and
    // the one it is in up to now. Called just before cancel(), so a timed-out attempt shows
    // how far it got. All -1 when the stack cannot tell.
    virtual PhaseTimings phasesSoFar(std::uint64_t id) const
    {
        Q_UNUSED(id);
        return {};
    }
};

} // namespace retrylab
