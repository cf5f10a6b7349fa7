// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/scheduler.h"
#include "engine/transport.h"
#include "mock/fault_decider.h"
#include "mock/idempotency_store.h"
#include "mock/payment_ledger.h"
#include "mock/request_journal.h"

#include <QSet>
#include <QTimeZone>

namespace retrylab {

// The built-in server as an in-process model in virtual time. It decides each request with
// the same FaultDecider as the real server, so a profile means the same in both clocks;
// every message takes `networkDelay` each way. POST /payments keeps idempotency keys and a
// ledger like the real server.
//
// With contention on, the server is instead the single resource of the AWS Architecture
// Blog's jitter study: each attempt reads the resource's version, then writes it
// conditionally one round trip later; the write fails with 409 when another client wrote in
// between. Latency comes from the profile; the status mix does not apply.
class SimulatedTransport final : public Transport
{
public:
    SimulatedTransport(Scheduler &scheduler, const FaultProfile &profile, std::uint64_t seed,
                       Duration networkDelay, bool contention = false);

    void send(const AttemptRequest &request, Done done) override;
    void cancel(std::uint64_t id) override { m_cancelled.insert(id); }

    const PaymentLedger &ledger() const { return m_ledger; }
    const RequestJournal &journal() const { return m_journal; }
    FaultDecider &decider() { return m_decider; }

    // Contention: the resource's version, and how many conditional writes failed.
    qint64 version() const { return m_version; }
    qint64 conflicts() const { return m_conflicts; }

private:
    void sendContended(const AttemptRequest &request, Done done);
    void deliver(std::uint64_t id, Duration at, AttemptResponse response, const Done &done);

    Scheduler &m_scheduler;
    FaultDecider m_decider;
    IdempotencyStore m_store;
    PaymentLedger m_ledger;
    RequestJournal m_journal;
    Duration m_delay;
    bool m_contention = false;
    qint64 m_version = 0;
    qint64 m_conflicts = 0;
    QSet<std::uint64_t> m_cancelled;
    QDateTime m_epoch = QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
};

} // namespace retrylab
