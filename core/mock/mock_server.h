// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/wire/message_parser.h"
#include "mock_service.h"
#include "mock_time.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QUrl>

#include <memory>

class QTimer;

namespace retrylab {

class MockAcceptor;
class MockConnection;

// The built-in flaky server on a socket: a plain QTcpServer that accepts connections, frames
// requests with the HTTP/1.1 parser shared with the client (core/http/wire), asks MockService
// what to do, and does it byte for byte after the latency (faults: RST, FIN, a Content-Length
// that lies, a dribble, a hang). It also caps connections (the longest-idle keep-alive one
// makes room for a new client), closes idle ones, and gives a request's head a deadline.
// It lives in one thread (MockServerHost runs it in its own).
class MockServer : public QObject
{
    Q_OBJECT
public:
    explicit MockServer(const FaultProfile &profile = {}, std::uint64_t seed = 1,
                        QObject *parent = nullptr);
    ~MockServer() override;

    // Listens on `address`:`port` (0: a port the OS picks). The admin API asks for a token
    // when `adminToken` is set, and always when bound beyond loopback (one is made up then:
    // adminToken() says which). Returns false with the reason.
    bool listen(const QHostAddress &address, quint16 port, QString *error = nullptr,
                const QByteArray &adminToken = {});
    QUrl url() const;
    QByteArray adminToken() const { return m_service.adminAccess().token; }

    const FaultProfile &profile() const { return m_service.profile(); }
    void setProfile(const FaultProfile &profile);
    void takeDown(Duration length);
    void reset();

    ServerStats stats() const;
    const RequestJournal &journal() const { return m_service.journal(); }
    const PaymentLedger &ledger() const { return m_service.ledger(); }
    void setChainOptions(const ChainOptions &options) { m_service.setChainOptions(options); }
    void setGradeOptions(const GradeOptions &options) { m_service.setGradeOptions(options); }
    GradeReport grades() const { return m_service.grades(); }
    void setArrivalFeed(std::shared_ptr<ArrivalFeed> feed)
    {
        m_service.setArrivalFeed(std::move(feed));
    }
    int openConnections() const { return static_cast<int>(m_connections.size()); }

    // Tests: time that the test moves (the server does not own it; call before listen()).
    void setTime(MockTime *time);

    // For MockConnection.
    Duration now() const { return m_time->now() - m_started; }
    QByteArrayView httpDate();
    QByteArrayView httpDate(const QDateTime &wall);
    wire::Limits parserLimits() const;
    qint64 bodyLimit(QByteArrayView target) const;
    void dispatch(MockConnection *connection, wire::Message request);
    void refused(int status, const QString &reason);
    void connectionClosed(MockConnection *connection);

Q_SIGNALS:
    void profileChanged(const retrylab::FaultProfile &profile);

private:
    friend class MockAcceptor;
    void accept(qintptr fd);
    bool makeRoom();
    void sweep();
    void applyLimits();
    // After the latency: the effect, the journal, then the answer or the fault on the wire.
    // `x` lives on the stack when answered at once; what must outlive the call (a hang, a
    // dribble) moves it to the heap.
    void carry(MockConnection *connection, MockExchange &x, const QDateTime &wall = {});
    void slowBody(MockConnection *connection, const std::shared_ptr<MockExchange> &x);

    std::unique_ptr<MockTime> m_ownTime;
    MockTime *m_time;
    Duration m_started{0};
    MockService m_service;
    MockAcceptor *m_acceptor = nullptr;
    QHostAddress m_address;
    QSet<MockConnection *> m_connections;
    QTimer *m_sweep = nullptr;
    int m_connectionCap = 0;
    qint64 m_dateSecond = -1;
    QByteArray m_date;
    bool m_closing = false;
};

} // namespace retrylab
