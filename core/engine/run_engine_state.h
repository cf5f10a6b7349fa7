// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// RunEngine's own state, shared by its three source files: run_engine.cpp (operations from
// their start to their end), run_engine_attempt.cpp (an attempt built and sent) and
// run_engine_answer.cpp (an answer recorded and the next step decided). Only those include it.

#include "run_engine.h"

namespace retrylab::engine_detail {

inline qint64 us(Duration d)
{
    return d.count();
}

} // namespace retrylab::engine_detail

namespace retrylab {

class RunEngine::SchedulerClock final : public Clock
{
public:
    explicit SchedulerClock(const Scheduler &s)
        : m_s(s)
    {}
    Duration now() const override { return m_s.now(); }

private:
    const Scheduler &m_s;
};

struct RunEngine::Client {
    RandomSource rng;
    std::unique_ptr<CircuitBreaker> breaker;
    std::unique_ptr<RetryBudget> budget;
    std::uint32_t nextOperation = 0;
    Duration notBefore{0}; // a server asked this client to stay away until then
};

struct RunEngine::Op {
    std::uint64_t id = 0;
    std::uint32_t client = 0;
    std::uint32_t index = 0;
    Duration startedAt{0};
    Duration lastFinished{0};
    Duration nextScheduled{0};
    std::int64_t plannedDelayUs = -1;
    DelaySource source = DelaySource::Backoff;
    bool shortened = false;
    int attempts = 0;
    BackoffState backoff;
    QString key;
    double lastRetryCost = 0;
    bool refusedByBudget = false; // the budget refused the retry: end it at once, unsent
    Duration lastStarted{0};
    OutcomeClass lastOutcome = OutcomeClass::Success;
    std::uint64_t inflight = 0;
    std::uint64_t timeoutTicket = 0; // the scheduler's, while that attempt's timeout waits
    bool permittedByBreaker = false;
    AttemptRecord pending; // the record of the attempt in flight
};

} // namespace retrylab
