// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/record_sink.h"
#include "scenario/scenario.h"
#include "scheduler.h"
#include "transport.h"

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace retrylab {

// Turns a scenario into attempts: N clients × operations, each operation through the retry
// policy, its breaker and its budget, over a transport, on a scheduler's clock. Every attempt
// and breaker change goes to the AttemptLog. The same code runs in real and virtual time.
// The clients one engine runs: those whose number c has c % count == index. Engine shards
// (run/engine_shards.h) split a run's clients this way; each client keeps its own number,
// random source and idempotency keys, so a client does the same in any shard.
struct ClientSlice {
    std::uint32_t index = 0;
    std::uint32_t count = 1;
};

class RunEngine
{
public:
    using Slice = ClientSlice;

    RunEngine(const Scenario &scenario, Scheduler &scheduler, Transport &transport, RecordSink &log,
              Slice slice = Slice());
    ~RunEngine();

    void start();
    // No new operations or retries; operations end at their current attempt.
    void stop();
    // Also ends the attempts still in flight (a hung request would otherwise hold the run
    // forever): each is cancelled and recorded as a network failure with `why` as its detail.
    void abandonInFlight(const QString &why);
    bool isFinished() const { return m_finished; }
    std::function<void()> onFinished;

    std::uint64_t operationsStarted() const { return m_started; }
    std::uint64_t operationsDone() const { return m_done; }

private:
    struct Op;
    struct Client;
    class SchedulerClock;

    // run_engine.cpp: operations from their start to their end.
    // `due`: when it was planned to start (its first attempt's scheduledUs).
    void startOperation(std::uint32_t client, std::uint32_t index, Duration due);
    // run_engine_attempt.cpp: an attempt built, let through breaker and budget, and sent.
    void attempt(std::uint64_t opId);
    AttemptRecord beginRecord(Op &op, Duration now);
    void send(Op &op, const AttemptRecord &rec, Duration now, Duration timeout);
    std::uint64_t armTimeout(std::uint64_t opId, std::uint64_t attemptId, Duration at);
    // run_engine_answer.cpp: an answer recorded and counted, the next step decided.
    void onResult(std::uint64_t opId, std::uint64_t attemptId, const AttemptResponse &response);
    void recordAnswer(AttemptRecord &rec, const AttemptResponse &r, Duration now);
    AttemptResult resultOf(Op &op, AttemptRecord &rec, const AttemptResponse &r, Duration now);
    void countAnswer(Op &op, const AttemptResponse &r, const AttemptResult &result);
    void decideNext(Op &op, AttemptRecord &rec, const AttemptResult &result);
    void finishOperation(std::uint64_t opId);
    // The operation ends at an attempt that was never sent.
    void endUnsent(std::uint64_t opId, AttemptRecord &rec, OutcomeClass outcome, StopReason stop);
    void scheduleArrival(std::uint64_t index, Duration at);
    void checkFinished();
    CircuitBreaker &breakerOf(std::uint32_t client);
    Client &clientOf(std::uint32_t client) { return *m_clients[client / m_slice.count]; }
    RetryBudget &budgetOf(std::uint32_t client);

    Scenario m_scenario;
    Scheduler &m_scheduler;
    Transport &m_transport;
    RecordSink &m_log;
    Slice m_slice;
    std::unique_ptr<SchedulerClock> m_clock;
    std::vector<std::unique_ptr<Client>> m_clients; // this slice's, by client / slice count
    std::unique_ptr<CircuitBreaker> m_sharedBreaker;
    std::unique_ptr<RetryBudget> m_sharedBudget;
    std::unordered_map<std::uint64_t, std::unique_ptr<Op>> m_ops;
    RandomSource m_arrivals;
    Duration m_t0{0};
    std::uint64_t m_nextOpId = 1;
    std::uint64_t m_nextAttemptId = 1;
    std::uint64_t m_started = 0;
    std::uint64_t m_done = 0;
    bool m_arrivalsOver = false;
    bool m_stopping = false;
    bool m_finished = false;
    bool m_idempotent = true;
    std::uint32_t m_methodIndex = 0;
    std::uint32_t m_urlIndex = 0;
    std::uint32_t m_headersIndex = 0;
};

} // namespace retrylab
