// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client_grades.h"
#include "fault_profile.h"
#include "request_journal.h"
#include "server_stats.h"

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QUrl>

namespace retrylab {

class MockServer;

// Runs a MockServer in a thread of its own, so a herd of clients never stalls the GUI and
// the GUI never stalls the server. Every call is safe from any thread (the GUI's, an engine's,
// the server's own): calls are serialised by a mutex and carried out in the server's thread;
// what comes back is a value (ServerStats, FaultProfile, journal entries).
class MockServerHost : public QObject
{
    Q_OBJECT
public:
    explicit MockServerHost(QObject *parent = nullptr);
    ~MockServerHost() override;

    // Starts the thread and the server; blocks until it listens or has failed. The admin
    // API's token (MockServer::listen) is adminToken() afterwards.
    bool start(const FaultProfile &profile, std::uint64_t seed,
               const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0,
               QString *error = nullptr, const QByteArray &adminToken = {});
    void stop();
    bool isRunning() const;
    QUrl url() const;
    QByteArray adminToken() const;

    void setProfile(const FaultProfile &profile); // applied in order, without waiting
    void takeDown(Duration length);               // applied in order, without waiting
    void reset();                                 // waits until done
    FaultProfile profile() const;                 // blocks briefly
    ServerStats stats() const;                    // blocks briefly
    std::vector<JournalEntry> journal() const;    // blocks briefly
    // Keeps the server's thread to `cores` (keepThreadTo, system/core_placement.h).
    void keepToCores(const QList<int> &cores);
    // The report cards, graded in the caller's thread from a copy of the journal.
    GradeReport grades(const GradeOptions &options = {}) const
    {
        return GradeReport::grade(journal(), options);
    }
    // When requests arrived, readable from any thread without waiting for the server's.
    std::shared_ptr<const ArrivalFeed> arrivals() const;

Q_SIGNALS:
    void profileChanged(const retrylab::FaultProfile &profile);

private:
    // Runs `fn` on the server in its thread: directly from that thread, else blocking.
    template<typename F> void onServer(F fn) const;

    mutable QMutex m_mutex;
    std::shared_ptr<ArrivalFeed> m_arrivals;
    QThread m_thread;
    MockServer *m_server = nullptr;
    QUrl m_url;
    QByteArray m_token;
};

} // namespace retrylab
