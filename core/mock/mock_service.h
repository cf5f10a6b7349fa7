// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "admin_access.h"
#include "client_chains.h"
#include "client_grades.h"
#include "fault_decider.h"
#include "idempotency_store.h"
#include "mock_exchange.h"
#include "payment_ledger.h"
#include "request_journal.h"
#include "server_stats.h"

#include <array>
#include <deque>

namespace retrylab {

// The built-in flaky server's behaviour without a clock or a socket: given a request and "now"
// (time since the server started, and the wall clock for dates), it decides every status,
// header, effect and journal entry. The socket server (MockServer) and the simulation
// (SimulatedTransport) are shells around it, so a profile means the same in both clocks.
// Not thread-safe: it lives in its shell's thread.
class MockService
{
public:
    explicit MockService(const FaultProfile &profile = {}, std::uint64_t seed = 1);

    // A request arrives: journal it, decide its fate, check its idempotency key. The admin API
    // (under /__admin/) is answered here too.
    MockExchange arrive(const ServiceRequest &request, Duration now, const QDateTime &wall);
    // Its latency has passed: the effect happens (or its key is released), the body is final,
    // the journal gets the outcome. Called once per exchange, even when the client has gone.
    void process(MockExchange &x, Duration now);
    // The exchange is over (the response sent, the connection gone, a hang's limit passed): its
    // capacity slot is free again. Safe to call twice.
    void finish(MockExchange &x);
    // A request the shell refused before it could be read whole (bad framing, a limit).
    void refused(int status, const QString &reason, Duration now, const QDateTime &wall);

    const FaultProfile &profile() const { return m_decider.profile(); }
    // Takes a new profile; the journal, the ledger and the keys carry over.
    void setProfile(const FaultProfile &profile);
    void takeDown(Duration now, Duration length);
    // Forgets everything and reseeds; the shell restarts its clock at 0.
    void reset();
    void setAdminAccess(const AdminAccess &access) { m_admin = access; }
    const AdminAccess &adminAccess() const { return m_admin; }
    void setOpenConnections(int n) { m_openConnections = n; }
    // Called when the admin API changed the profile (the shell applies its limits).
    void setProfileListener(std::function<void(const FaultProfile &)> f)
    {
        m_profileListener = std::move(f);
    }

    ServerStats stats(Duration now) const;
    const RequestJournal &journal() const { return m_journal; }
    const PaymentLedger &ledger() const { return m_ledger; }
    // How requests are grouped into clients and operations (the grades and the scripts).
    void setChainOptions(const ChainOptions &options) { m_chains.setOptions(options); }
    const ChainOptions &chainOptions() const { return m_chains.options(); }
    void setArrivalFeed(std::shared_ptr<ArrivalFeed> feed) { m_journal.setFeed(std::move(feed)); }
    // The report cards of the clients in the journal (GET /__admin/grades).
    void setGradeOptions(const GradeOptions &options) { m_gradeOptions = options; }
    GradeReport grades(const GradeOptions &options) const
    {
        GradeOptions o = options;
        o.retryWindow = m_chains.options().silence;
        return GradeReport::grade(m_journal.since(0), o);
    }
    GradeReport grades() const { return grades(m_gradeOptions); }
    // The request body the admin API accepts, whatever the profile's limit (so a profile with a
    // tiny limit cannot lock the admin API out).
    static constexpr qint64 kAdminBodyLimit = 4 * 1024 * 1024;

private:
    struct Parsed; // what the handlers read of a request
    // The last few paths (as sent, and as text) for Parsed::read().
    struct PathCache {
        static constexpr int kSize = 8;
        std::array<std::pair<QByteArray, QString>, kSize> entries;
        int next = 0;
    };
    void handleAdmin(const Parsed &in, MockExchange &x, Duration now);
    // One function per admin route (mock_service_admin.cpp).
    struct AdminReply;
    AdminReply adminProfile(const Parsed &in);
    AdminReply adminJournal(const Parsed &in) const;
    AdminReply adminGrades(const Parsed &in) const;
    AdminReply adminOutage(const Parsed &in, Duration now);
    void handlePayment(const Parsed &in, MockExchange &x);
    bool answeredFromKey(const Parsed &in, const QByteArray &fingerprint, const FaultDecision &d,
                         MockExchange &x);
    void handleGeneric(const Parsed &in, MockExchange &x);
    // Answers at once, without latency or a capacity slot.
    void answer(MockExchange &x, int status, const QString &label, QByteArray body,
                HeaderList headers = {});
    // Carries out a FaultDecision: its kind, latency, Retry-After and capacity slot.
    void takeDecision(MockExchange &x, const FaultDecision &d, int status, QByteArray body);
    void count(const QString &decision, int status);

    std::uint64_t m_seed;
    FaultDecider m_decider;
    IdempotencyStore m_store;
    PaymentLedger m_ledger;
    RequestJournal m_journal;
    ClientChains m_chains;
    GradeOptions m_gradeOptions;
    AdminAccess m_admin;
    std::function<void(const FaultProfile &)> m_profileListener;
    QMap<int, qint64> m_byStatus;
    QHash<QString, qint64> m_byDecision;
    std::deque<Duration> m_recent; // arrivals in the last second
    PathCache m_paths;
    qint64 m_refused = 0;
    int m_openConnections = 0;
};

} // namespace retrylab
