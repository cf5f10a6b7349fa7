// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fault_profile.h"
#include "request_journal.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QThread>
#include <QUrl>

namespace retrylab {

class MockServer;

// Runs a MockServer in a thread of its own, so a herd of clients never stalls the GUI and
// the GUI never stalls the server. Every call is safe from the thread that owns the host.
class MockServerHost : public QObject
{
    Q_OBJECT
public:
    explicit MockServerHost(QObject *parent = nullptr);
    ~MockServerHost() override;

    // Starts the thread and the server; blocks until it listens or has failed.
    bool start(const FaultProfile &profile, std::uint64_t seed,
               const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0,
               QString *error = nullptr);
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    QUrl url() const { return m_url; }

    void setProfile(const FaultProfile &profile); // queued
    void takeDown(Duration length);               // queued
    void reset();                                 // blocks briefly
    FaultProfile profile() const;                 // blocks briefly
    QJsonObject stats() const;                    // blocks briefly
    std::vector<JournalEntry> journal() const;    // blocks briefly
    // When requests arrived, readable from any thread without waiting for the server's.
    std::shared_ptr<const ArrivalFeed> arrivals() const { return m_arrivals; }

Q_SIGNALS:
    void profileChanged(const retrylab::FaultProfile &profile);

private:
    std::shared_ptr<ArrivalFeed> m_arrivals;
    QThread m_thread;
    MockServer *m_server = nullptr;
    QUrl m_url;
};

} // namespace retrylab
