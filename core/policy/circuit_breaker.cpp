// SPDX-License-Identifier: GPL-3.0-or-later
#include "circuit_breaker.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

QString breakerStateId(BreakerState s)
{
    switch (s) {
    case BreakerState::Closed:
        return u"closed"_s;
    case BreakerState::Open:
        return u"open"_s;
    case BreakerState::HalfOpen:
        return u"half-open"_s;
    case BreakerState::ForcedOpen:
        return u"forced-open"_s;
    case BreakerState::Disabled:
        return u"disabled"_s;
    }
    return {};
}

QString tripRuleId(TripRule r)
{
    return r == TripRule::ConsecutiveFailures ? u"consecutive-failures"_s : u"failure-rate"_s;
}

std::optional<TripRule> tripRuleFromId(const QString &id)
{
    if (id == u"consecutive-failures"_s)
        return TripRule::ConsecutiveFailures;
    if (id == u"failure-rate"_s)
        return TripRule::FailureRate;
    return std::nullopt;
}

FieldProblems BreakerConfig::validate() const
{
    FieldProblems p;
    if (!enabled)
        return p;
    if (rule == TripRule::ConsecutiveFailures && consecutiveFailures < 1)
        p.append({u"consecutiveFailures"_s, u"at least 1 failure must trip the breaker"_s});
    if (rule == TripRule::FailureRate) {
        if (!(failureRateThreshold > 0.0) || failureRateThreshold > 1.0)
            p.append({u"failureRateThreshold"_s,
                      u"the failure rate threshold must be above 0% and at most 100%"_s});
        if (window == WindowKind::Count && windowCalls < 1)
            p.append({u"windowCalls"_s, u"the window must hold at least 1 call"_s});
        if (window == WindowKind::Time && windowTime <= Duration::zero())
            p.append({u"windowTimeMs"_s, u"the window must last longer than 0"_s});
        if (minimumCalls < 1)
            p.append({u"minimumCalls"_s, u"the minimum number of calls must be at least 1"_s});
        else if (window == WindowKind::Count && minimumCalls > windowCalls)
            p.append({u"minimumCalls"_s,
                      u"the minimum (%1 calls) is larger than the window (%2 calls): the "
                      "breaker could never trip"_s.arg(minimumCalls)
                          .arg(windowCalls)});
    }
    if (openDuration <= Duration::zero())
        p.append({u"openDurationMs"_s, u"the open duration must be above 0"_s});
    if (!(openGrowth >= 1.0) || openGrowth > 100.0)
        p.append({u"openGrowth"_s, u"the growth factor must be between 1 and 100"_s});
    if (maxOpenDuration < openDuration)
        p.append(
            {u"maxOpenDurationMs"_s, u"the longest open duration is below the open duration"_s});
    if (halfOpenProbes < 1)
        p.append({u"halfOpenProbes"_s, u"half-open needs at least 1 probe call"_s});
    return p;
}

CircuitBreaker::CircuitBreaker(const BreakerConfig &config, const Clock &clock)
    : m_config(config)
    , m_clock(clock)
{
    if (!m_config.enabled)
        m_state = BreakerState::Disabled;
    if (m_config.rule == TripRule::FailureRate && m_config.window == WindowKind::Count)
        m_ring.assign(static_cast<std::size_t>(std::max(1, m_config.windowCalls)), false);
}

Duration CircuitBreaker::currentOpenDuration() const
{
    const double grown = static_cast<double>(m_config.openDuration.count()) *
                         std::pow(std::max(1.0, m_config.openGrowth), m_reopens);
    const double max = static_cast<double>(m_config.maxOpenDuration.count());
    return clampMicros(
        std::min(grown, std::max(max, static_cast<double>(m_config.openDuration.count()))));
}

int CircuitBreaker::windowCalls() const
{
    return m_config.window == WindowKind::Count ? m_ringFilled : static_cast<int>(m_timed.size());
}

int CircuitBreaker::windowFailures() const
{
    return m_config.window == WindowKind::Count ? m_ringFailures : m_timedFailures;
}

Duration CircuitBreaker::openRemaining() const
{
    if (m_state == BreakerState::Open)
        return std::max(Duration::zero(), m_openUntil - m_clock.now());
    return Duration::zero();
}

void CircuitBreaker::transition(BreakerState to, QString reason, Duration at)
{
    BreakerTransition t;
    t.at = at;
    t.from = m_state;
    t.to = to;
    t.reason = std::move(reason);
    t.windowCalls = windowCalls();
    t.windowFailures = windowFailures();
    t.consecutiveFailures = m_consecutive;
    m_state = to;
    if (to == BreakerState::Open)
        t.openFor = m_lastOpenFor;
    // A fresh window for each closed period, as resilience4j does.
    if (to != BreakerState::HalfOpen)
        clearWindow();
    m_probesIssued = m_probesSucceeded = 0;
    if (m_listener)
        m_listener(t);
}

void CircuitBreaker::trip(QString reason)
{
    m_lastOpenFor = currentOpenDuration();
    const Duration now = m_clock.now();
    m_openUntil = now + m_lastOpenFor;
    transition(BreakerState::Open, std::move(reason), now);
}

void CircuitBreaker::poll()
{
    if (m_state == BreakerState::Open && m_clock.now() >= m_openUntil)
        transition(BreakerState::HalfOpen,
                   u"open for %1: letting %2 probe call(s) through"_s
                       .arg(formatDurationReadable(m_lastOpenFor))
                       .arg(m_config.halfOpenProbes),
                   m_openUntil);
}

CircuitBreaker::Permit CircuitBreaker::tryAcquire()
{
    poll();
    switch (m_state) {
    case BreakerState::Closed:
    case BreakerState::Disabled:
        return {true, false, {}};
    case BreakerState::HalfOpen:
        if (m_probesIssued < m_config.halfOpenProbes) {
            ++m_probesIssued;
            return {true, true, {}};
        }
        ++m_rejected;
        return {false, false, Duration::zero()};
    case BreakerState::Open:
        ++m_rejected;
        return {false, false, openRemaining()};
    case BreakerState::ForcedOpen:
        ++m_rejected;
        return {false, false, kMaxDuration};
    }
    return {};
}

void CircuitBreaker::evictExpired()
{
    const Duration horizon = m_clock.now() - m_config.windowTime;
    while (!m_timed.empty() && m_timed.front().first <= horizon) {
        if (m_timed.front().second)
            --m_timedFailures;
        m_timed.pop_front();
    }
}

void CircuitBreaker::record(bool failure)
{
    m_consecutive = failure ? m_consecutive + 1 : 0;
    if (m_config.rule != TripRule::FailureRate)
        return;
    if (m_config.window == WindowKind::Count) {
        if (m_ringFilled == static_cast<int>(m_ring.size())) {
            if (m_ring[m_ringNext])
                --m_ringFailures;
        } else {
            ++m_ringFilled;
        }
        m_ring[m_ringNext] = failure;
        if (failure)
            ++m_ringFailures;
        m_ringNext = (m_ringNext + 1) % m_ring.size();
    } else {
        evictExpired();
        m_timed.emplace_back(m_clock.now(), failure);
        if (failure)
            ++m_timedFailures;
    }
}

void CircuitBreaker::onSuccess()
{
    poll();
    switch (m_state) {
    case BreakerState::Closed:
        record(false);
        return;
    case BreakerState::HalfOpen:
        ++m_probesSucceeded;
        if (m_probesSucceeded >= m_config.halfOpenProbes) {
            m_reopens = 0;
            transition(BreakerState::Closed,
                       u"%1 of %1 probe call(s) succeeded"_s.arg(m_config.halfOpenProbes),
                       m_clock.now());
        }
        return;
    default:
        return; // a late result from before the breaker opened, or disabled
    }
}

void CircuitBreaker::onFailure()
{
    poll();
    switch (m_state) {
    case BreakerState::Closed: {
        record(true);
        if (m_config.rule == TripRule::ConsecutiveFailures) {
            if (m_consecutive >= m_config.consecutiveFailures)
                trip(u"%1 consecutive failures (threshold %2)"_s.arg(m_consecutive)
                         .arg(m_config.consecutiveFailures));
            return;
        }
        if (m_config.window == WindowKind::Time)
            evictExpired();
        const int calls = windowCalls();
        const int failures = windowFailures();
        if (calls >= m_config.minimumCalls &&
            static_cast<double>(failures) >= m_config.failureRateThreshold * calls) {
            trip(u"failure rate %1% (%2 of %3 calls) reached the threshold of %4%"_s
                     .arg(QString::number(100.0 * failures / calls, 'f', 1))
                     .arg(failures)
                     .arg(calls)
                     .arg(QString::number(100.0 * m_config.failureRateThreshold, 'g', 4)));
        }
        return;
    }
    case BreakerState::HalfOpen:
        ++m_reopens;
        trip(u"a probe call failed"_s);
        return;
    default:
        return;
    }
}

void CircuitBreaker::forceOpen()
{
    if (m_state != BreakerState::ForcedOpen)
        transition(BreakerState::ForcedOpen, u"forced open by hand"_s, m_clock.now());
}

void CircuitBreaker::release()
{
    if (m_state == BreakerState::ForcedOpen || m_state == BreakerState::Disabled) {
        m_reopens = 0;
        transition(BreakerState::Closed, u"released by hand"_s, m_clock.now());
    }
}

void CircuitBreaker::disable()
{
    if (m_state != BreakerState::Disabled)
        transition(BreakerState::Disabled, u"disabled by hand"_s, m_clock.now());
}

void CircuitBreaker::reset()
{
    m_reopens = 0;
    m_rejected = 0;
    const BreakerState target = m_config.enabled ? BreakerState::Closed : BreakerState::Disabled;
    if (m_state != target)
        transition(target, u"reset"_s, m_clock.now());
    clearWindow();
    m_probesIssued = m_probesSucceeded = 0;
}

void CircuitBreaker::clearWindow()
{
    std::fill(m_ring.begin(), m_ring.end(), false);
    m_ringNext = 0;
    m_ringFilled = m_ringFailures = 0;
    m_timed.clear();
    m_timedFailures = 0;
    m_consecutive = 0;
}

} // namespace retrylab
