// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/clock.h"
#include "fault_decider.h"
#include "idempotency_store.h"
#include "payment_ledger.h"
#include "request_journal.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QJsonObject>
#include <QMap>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>

#include <deque>
#include <functional>

class QTcpSocket;

namespace retrylab {

class GuardedTcpServer;

// The built-in flaky server: a real HTTP/1.1 server that fails the way services do (see
// FaultProfile), keeps a journal that judges Retry-After compliance, a payments route with
// idempotency keys and a ledger of duplicate charges, and an admin API under /__admin/.
// It lives in one thread (see MockServerHost for running it in its own).
class MockServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit MockServer(const FaultProfile &profile = {}, std::uint64_t seed = 1,
                        QObject *parent = nullptr);
    ~MockServer() override;

    // Listens on `address`:`port` (0: a port the OS picks). Returns false with the reason.
    bool listen(const QHostAddress &address, quint16 port, QString *error = nullptr);
    QUrl url() const;

    const FaultProfile &profile() const { return m_decider.profile(); }
    void setProfile(const FaultProfile &profile);
    void takeDown(Duration length);
    void reset();

    QJsonObject stats() const;
    const RequestJournal &journal() const { return m_journal; }
    void setArrivalFeed(std::shared_ptr<ArrivalFeed> feed) { m_journal.setFeed(std::move(feed)); }
    const PaymentLedger &ledger() const { return m_ledger; }

Q_SIGNALS:
    void profileChanged(const retrylab::FaultProfile &profile);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    // What a handler needs of a request, copied out of QHttpServerRequest.
    struct Incoming {
        QString method;
        QString path;
        QUrlQuery query;
        HeaderList headers;
        QByteArray body;
        QString clientId;
        int attempt = 0;
        QString key;
        QString keyError;
        QString operationId;
        bool keepAlive = true;
        Duration at{0};
        QDateTime wall;
    };

    // Journals a request's arrival (judging its Retry-After compliance); returns its id.
    qint64 journalArrival(const Incoming &in);
    void handleAdmin(const Incoming &in, QTcpSocket *socket);
    void handlePayment(Incoming in, QTcpSocket *socket);
    void handleGeneric(Incoming in, QTcpSocket *socket);
    // Carries out a decision after its latency: a response, or a connection fault.
    // `commit`, when given, runs when processing ends (after the latency, even if the client
    // has gone) and may return the body to send instead of `body`.
    void execute(const Incoming &in, QTcpSocket *socket, const FaultDecision &d, int status,
                 QByteArray body, HeaderList extra, qint64 journalId,
                 std::function<QByteArray()> commit = {});
    void send(QTcpSocket *socket, const Incoming &in, int status, const QByteArray &body,
              const HeaderList &extra = {});
    void count(const QString &decision, int status);

    SteadyClock m_clock;
    std::uint64_t m_seed;
    FaultDecider m_decider;
    IdempotencyStore m_store;
    PaymentLedger m_ledger;
    RequestJournal m_journal;
    GuardedTcpServer *m_tcp = nullptr;
    QHostAddress m_address;
    Duration m_started{0};
    QMap<int, qint64> m_byStatus;
    QMap<QString, qint64> m_byDecision;
    std::deque<Duration> m_recent; // arrivals in the last second
    qint64 m_refused = 0;
};

} // namespace retrylab
