// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "backoff.h"
#include "base/field_problem.h"
#include "http/outcome.h"
#include "http/pushback.h"

#include <QList>
#include <QSet>

namespace retrylab {

// What to do with a server's request to wait (Retry-After and the other pushback headers).
// The first four read whichever pushback header a response carries (Retry-After first); the
// others are what one library does with its own header, and read only that header.
enum class RetryAfterMode {
    Ignore,           // backoff only
    Honour,           // wait what the server asked
    HonourCapped,     // wait what the server asked, but never more than retryAfterCap
    LargerOfBoth,     // max(backoff, server's wait)
    GrpcPushback,     // gRPC A6: grpc-retry-pushback-ms exactly; negative stops; backoff restarts
    AmzRetryAfter,    // botocore standard 2.1: x-amz-retry-after bounded to [t, t + 5 s]
    EnvoyRateLimited, // Envoy rate_limited_retry_back_off: U(d, 1.5 d), d ≤ retryAfterCap
};

// What to do when the planned wait would cross the total time budget.
enum class OverrunMode {
    Shorten, // wait only until minAttemptWindow before the deadline, then try once more
    Stop,    // give up now: "budget exhausted"
};

enum class StopReason {
    None,                 // not stopping: retry
    Succeeded,            // a 2xx answer
    FinalAnswer,          // a final answer that is not a success: 3xx (not followed) or 1xx
    NotRetryable,         // the failure is not in the retryable set
    NonIdempotent,        // POST/PATCH without an idempotency key
    MaxAttempts,          // attempts used up
    TimeBudgetExhausted,  // no time left for another attempt
    PushbackBeyondBudget, // the server asked to wait past the deadline
    ServerSaidNoRetry,    // grpc-retry-pushback-ms < 0
    Rejected,             // refused locally (retry budget, breaker without waiting)
    Stopped,              // the run was stopped
};

enum class DelaySource {
    Backoff,
    Server,  // Retry-After or another pushback header
    Breaker, // waiting for an open breaker to allow a probe
};

QString stopReasonId(StopReason r);
QString delaySourceId(DelaySource s);
QString retryAfterModeId(RetryAfterMode m);
std::optional<RetryAfterMode> retryAfterModeFromId(const QString &id);
QString retryAfterModeTitle(RetryAfterMode m); // for people: "gRPC grpc-retry-pushback-ms"
QList<RetryAfterMode> retryAfterModes();

// Where an operation stands when its latest attempt has finished.
struct AttemptContext {
    int attemptsMade = 1;         // including the one that just finished
    Duration elapsed{0};          // since the operation started, now
    bool idempotentMethod = true; // RFC 9110 §9.2.2
    bool hasIdempotencyKey = false;
    Duration lastAttemptDuration{0}; // how long the attempt that just finished took
};

// How the latest attempt ended.
struct AttemptResult {
    OutcomeClass outcome = OutcomeClass::Success;
    int httpStatus = 0;
    std::optional<Pushback> pushback;
    std::optional<Duration> breakerOpenFor; // with RejectedByBreaker: time until a probe
};

struct RetryDecision {
    bool retry = false;
    StopReason stop = StopReason::None;
    Duration delay{0}; // the planned wait before the next attempt
    DelaySource source = DelaySource::Backoff;
    Duration backoffDelay{0};            // what the backoff formula alone gave
    std::optional<Duration> serverDelay; // what the server asked for
    bool serverDelayCapped = false;      // HonourCapped cut the server's wait
    bool shortened = false;              // cut to fit the total time budget
    QString explanation;                 // one sentence for logs and tooltips
};

// 408, 429, 500, 502, 503, 504; and timeout, reset, refused (core/policy/README.md).
QList<int> defaultRetryableStatuses();
QSet<OutcomeClass> defaultRetryableFailures();

// The retry policy: one value type that the scenario file and the editors both edit, and that
// answers "retry or stop, why, and after what delay" for one operation at a time.
struct RetryPolicy {
    BackoffParams backoff;
    int maxAttempts = 4;                               // including the first; 1 = no retries
    Duration totalBudget = std::chrono::seconds(30);   // 0 = unlimited
    Duration attemptTimeout = std::chrono::seconds(5); // 0 = unlimited
    Duration minAttemptWindow = std::chrono::milliseconds(50);
    OverrunMode overrun = OverrunMode::Shorten;
    QList<int> retryableStatuses = defaultRetryableStatuses();
    QSet<OutcomeClass> retryableFailures = defaultRetryableFailures();
    RetryAfterMode retryAfterMode = RetryAfterMode::Honour;
    Duration retryAfterCap = std::chrono::seconds(60);
    bool retryNonIdempotentWithKey = true;     // POST/PATCH with an Idempotency-Key
    bool retryNonIdempotentWithoutKey = false; // unsafe; for demos of duplicates
    bool retryInFlightConflict = true;         // 409 to a keyed request: the first is in flight
    bool waitForBreaker = false;               // after a breaker rejection, wait for the probe
    // gRPC connection backoff: the wait is measured from the failed attempt's start, so an
    // attempt that took longer than its backoff is followed at once.
    bool backoffFromAttemptStart = false;

    bool operator==(const RetryPolicy &) const = default;

    // Problems that make the policy unusable. Field names are JSON paths under "policy".
    FieldProblems validate() const;
    // Valid but probably not what was meant.
    FieldProblems advise() const;

    // Whether a failure of this kind may be retried at all (ignoring attempts and time).
    bool isRetryable(const AttemptResult &result, bool keyed) const;

    // What breakers count as a failure of the service: transport failures, 5xx, and the 4xx
    // listed as retryable (429). Other 4xx are the caller's fault.
    bool isServiceFailure(OutcomeClass outcome, int status) const;

    // What a retry budget counts as a failure: gRPC's throttle takes a token only for a
    // retryable failure or a pushback that says "do not retry".
    bool countsAgainstBudget(const AttemptResult &result, bool keyed) const;

    // The server's wait as this policy reads it: the first valid pushback header (`generic`,
    // from readPushback) for the Retry Lab modes; only the library's own header otherwise.
    std::optional<Pushback> serverWait(const PushbackReading &generic, int httpStatus,
                                       const HeaderList &headers,
                                       const QDateTime &receivedAt) const;

    // Whether a server's wait also holds the client's new operations (Retry Lab's modes do;
    // a library's own header handling concerns one call only).
    bool holdsClientOnPushback() const;

    // The timeout to give the next attempt: never past the total budget's deadline.
    Duration effectiveAttemptTimeout(Duration elapsed) const;

    // The heart of it. `state` and `rng` carry the backoff's memory and randomness for this
    // operation; they are advanced only when a backoff delay is drawn.
    RetryDecision decide(const AttemptContext &context, const AttemptResult &result,
                         BackoffState &state, RandomSource &rng) const;
};

// A dry run of one operation whose every attempt fails with `failure` after taking
// `attemptDuration`: the decisions in order, the last one the stop. What the editor's preview
// and the jitter preview show before anything is sent.
QList<RetryDecision>
rehearse(const RetryPolicy &policy, std::uint64_t seed, Duration attemptDuration = Duration::zero(),
         AttemptResult failure = {OutcomeClass::ServerError, 503, std::nullopt, std::nullopt});

} // namespace retrylab
