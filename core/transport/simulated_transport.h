// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/network_delay.h"
#include "engine/scheduler.h"
#include "engine/transport.h"
#include "mock/mock_service.h"

#include <QSet>
#include <QTimeZone>

namespace retrylab {

// The built-in server in virtual time: the scheduler shell around the same MockService that
// the socket server wraps, so every status, header, effect and journal entry is decided by one
// code path in both clocks. Every message takes a draw of `networkDelay` each way; a fault that
// ends the connection reaches the client as the failure a socket client would see.
//
// With contention on, the server is instead the single resource of the AWS Architecture
// Blog's jitter study: each attempt reads the resource's version, then writes it
// conditionally one round trip later; the write fails with 409 when another client wrote in
// between. The read and the write each pass the profile (its capacity, status mix and
// latency) as any request does; run/contention_trial.h is the same model, lean.
class SimulatedTransport final : public Transport
{
public:
    SimulatedTransport(Scheduler &scheduler, const FaultProfile &profile, std::uint64_t seed,
                       const NetworkDelay &networkDelay, bool contention = false);

    void send(const AttemptRequest &request, Done done) override;
    void cancel(std::uint64_t id) override { m_cancelled.insert(id); }

    const MockService &service() const { return m_service; }
    const PaymentLedger &ledger() const { return m_service.ledger(); }
    const RequestJournal &journal() const { return m_service.journal(); }

    // Contention: the resource's version, and how many conditional writes failed.
    qint64 version() const { return m_version; }
    qint64 conflicts() const { return m_conflicts; }

    // The wall clock the simulation pretends: a fixed day plus virtual time.
    QDateTime wallAt(Duration t) const { return m_epoch.addMSecs(toMs(t)); }

private:
    void sendContended(const AttemptRequest &request, Done done);
    // One request of the contention model reaches the server at `arrives`; `served` runs
    // once the server has served it with a success.
    void serveContended(const AttemptRequest &request, Duration arrives, const Done &done,
                        std::function<void()> served);
    // After the latency: carries out the exchange as the socket server would.
    void carry(const AttemptRequest &request, const std::shared_ptr<MockExchange> &x,
               const Done &done);
    void deliver(std::uint64_t id, Duration at, AttemptResponse response, const Done &done);

    Scheduler &m_scheduler;
    MockService m_service;
    FaultDecider m_contentionDecider; // latency of the contention model
    // One message's trip, drawn from its own source so that a network model changes nothing
    // else the seed decides.
    Duration hop() { return m_delay.draw(m_networkRng); }

    NetworkDelay m_delay;
    RandomSource m_networkRng;
    bool m_contention = false;
    qint64 m_version = 0;
    qint64 m_conflicts = 0;
    QSet<std::uint64_t> m_cancelled;
    QDateTime m_epoch = QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
};

} // namespace retrylab
