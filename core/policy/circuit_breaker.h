// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "base/field_problem.h"

#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace retrylab {

enum class BreakerState { Closed, Open, HalfOpen, ForcedOpen, Disabled };
enum class TripRule { ConsecutiveFailures, FailureRate };
enum class WindowKind { Count, Time };

QString breakerStateId(BreakerState s);
QString tripRuleId(TripRule r);
std::optional<TripRule> tripRuleFromId(const QString &id);

// Parameters as resilience4j and Polly name them (core/policy/README.md, "Circuit breaker").
struct BreakerConfig {
    bool enabled = true;
    TripRule rule = TripRule::ConsecutiveFailures;
    int consecutiveFailures = 5;
    double failureRateThreshold = 0.5; // fraction of calls in the window, 0 < x <= 1
    WindowKind window = WindowKind::Count;
    int windowCalls = 100;                          // count-based: the last N calls
    Duration windowTime = std::chrono::seconds(30); // time-based: the last T
    int minimumCalls = 20;                          // the rate counts only from here on
    Duration openDuration = std::chrono::seconds(5);
    double openGrowth = 1.0; // each re-open from half-open multiplies the open time
    Duration maxOpenDuration = std::chrono::seconds(60);
    int halfOpenProbes = 1;

    bool operator==(const BreakerConfig &) const = default;
    FieldProblems validate() const; // field names are paths under "breaker"
};

// One state change with the numbers that caused it.
struct BreakerTransition {
    Duration at{0};
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    QString reason;
    int windowCalls = 0;
    int windowFailures = 0;
    int consecutiveFailures = 0;
    Duration openFor{0}; // set when `to` is Open
    double failureRate() const
    {
        return windowCalls > 0 ? static_cast<double>(windowFailures) / windowCalls : 0.0;
    }
};

// The circuit breaker state machine: closed → open → half-open → closed (or open again),
// plus forced-open and disabled. Time comes only from the injected clock.
class CircuitBreaker
{
public:
    using Listener = std::function<void(const BreakerTransition &)>;

    CircuitBreaker(const BreakerConfig &config, const Clock &clock);

    void setListener(Listener listener) { m_listener = std::move(listener); }
    const BreakerConfig &config() const { return m_config; }

    struct Permit {
        bool allowed = false;
        bool probe = false;  // a half-open probe: report its result
        Duration retryIn{0}; // when rejected: time until the breaker may allow a probe
    };
    // Asks to send a call now. Moves an expired open breaker to half-open first.
    Permit tryAcquire();
    void onSuccess();
    void onFailure();

    void forceOpen(); // reject everything until release()
    void release();   // leave forced-open or disabled: back to closed
    void disable();   // let everything through and record nothing
    void reset();     // closed, empty window, no history of re-opens

    // Applies time-driven changes (open → half-open) without asking for a call.
    void poll();

    BreakerState state() const { return m_state; }
    Duration openRemaining() const;
    int windowCalls() const;
    int windowFailures() const;
    int consecutiveFailures() const { return m_consecutive; }
    qint64 rejected() const { return m_rejected; }

private:
    void record(bool failure);
    void evictExpired();
    void clearWindow();
    void transition(BreakerState to, QString reason, Duration at);
    void trip(QString reason);
    Duration currentOpenDuration() const;

    BreakerConfig m_config;
    const Clock &m_clock;
    Listener m_listener;

    BreakerState m_state = BreakerState::Closed;
    Duration m_openUntil{0};
    Duration m_lastOpenFor{0};
    int m_reopens = 0;
    int m_consecutive = 0;
    qint64 m_rejected = 0;

    // Count-based window: a ring of outcomes. Time-based: (time, failed) pairs.
    std::vector<bool> m_ring;
    std::size_t m_ringNext = 0;
    int m_ringFilled = 0;
    int m_ringFailures = 0;
    std::deque<std::pair<Duration, bool>> m_timed;
    int m_timedFailures = 0;

    int m_probesIssued = 0;
    int m_probesSucceeded = 0;
};

} // namespace retrylab
