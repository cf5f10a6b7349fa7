// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/random_source.h"
#include "fault_profile.h"
#include "http/pushback.h"

#include <QDateTime>
#include <QHash>

#include <optional>

namespace retrylab {

// What the decider needs to know about a request.
struct MockRequest {
    QString method;
    QString path;
    QString clientId;       // X-Client-Id
    QString idempotencyKey; // parsed Idempotency-Key
    int attempt = 0;        // of its operation (ClientChains), for a route's script
};

enum class FaultKind {
    Respond,        // an HTTP response (any status)
    Reset,          // RST, nothing sent
    Close,          // FIN, nothing sent
    Hang,           // nothing sent, socket kept open
    Truncate,       // headers and part of the body, then close
    Garbage,        // bytes that are not HTTP, then close
    SlowBody,       // the response dribbled in chunks
    CommitThenLose, // the effect happens, then RST before the response
};

QString faultKindId(FaultKind k);

// The fate of one request: shared by the built-in server and the simulated one, so that a
// profile means the same in real and in virtual time.
struct FaultDecision {
    FaultKind kind = FaultKind::Respond;
    QString label = QStringLiteral("status-mix"); // why: status-mix, outage, overload, fail-first,
                                                  // reset, close, hang, ...
    int status = 200;
    Duration latency{0};
    HeaderList headers;                // Retry-After and the other pushback headers
    std::optional<Duration> askedWait; // the wait those headers ask for, when they are valid
    bool admitted = true;              // counts against capacity; call finished() when done
    int slowBodyChunks = 0;
    Duration slowBodyOver{0};
};

// Decides, from the profile and a seeded random source, what happens to each request:
// outages, capacity limits, "fail the first N", connection faults, the status mix, the
// Retry-After to send, and the latency.
class FaultDecider
{
public:
    explicit FaultDecider(const FaultProfile &profile = {}, std::uint64_t seed = 1);

    const FaultProfile &profile() const { return m_profile; }
    // Takes a new profile; counters and the outage state carry over.
    void setProfile(const FaultProfile &profile);
    // Forgets counters, outages and capacity state; reseeds.
    void reset(std::uint64_t seed);

    FaultDecision decide(const MockRequest &request, Duration now, const QDateTime &wallNow);
    // An admitted request is over (response sent or connection gone).
    void finished();

    // Everything answers 503 from now for `length` (the "take down" button).
    void startOutage(Duration now, Duration length);
    // The outage in force at `now` (scheduled or started by hand), if any.
    std::optional<OutageWindow> outageAt(Duration now) const;
    int inFlight() const { return m_inFlight; }

    // Retry-After (and friends) for a wait of `seconds`, as `spec` says to write them.
    HeaderList pushbackHeaders(const RetryAfterSpec &spec, int seconds, const QDateTime &wallNow,
                               std::optional<Duration> *askedWait);

    // One draw of a route's latency (its service time) from `rng`.
    static Duration sampleLatency(const LatencySpec &spec, RandomSource &rng);

private:
    bool takeToken(Duration now);
    void applyScript(const ScriptStep &step, const RouteProfile &route, const QDateTime &wallNow,
                     FaultDecision &d);
    int pickStatus(const RouteProfile &route);
    // The route's "fail the first N" rule: true (and `d` filled) while this client or key has
    // not yet been failed N times.
    bool failsFirst(const MockRequest &req, const RouteProfile &route, const QDateTime &wallNow,
                    FaultDecision &d);

    FaultProfile m_profile;
    RandomSource m_rng;
    QHash<QString, int> m_failFirstSeen;
    std::optional<OutageWindow> m_manualOutage;
    int m_inFlight = 0;
    double m_tokens = -1; // < 0: not yet filled
    Duration m_tokensAt{0};
};

} // namespace retrylab
