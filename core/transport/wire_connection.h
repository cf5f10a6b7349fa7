// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/transport.h"
#include "http/wire/message_parser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>

class QTcpSocket;

namespace retrylab {

// Where a connection goes, and which certificate errors the person accepted for its host.
struct WireTarget {
    QString host;
    quint16 port = 80;
    bool tls = false;
    bool allowInvalidCertificate = false;
};

// One HTTP/1.1 connection of Retry Lab's own client: opens itself (DNS, TCP, TLS) when its
// first exchange starts, then carries one exchange at a time, each request written once and
// never again (transport/README.md). Every way an exchange can end (a whole response, a
// malformed one, a close or reset at any point) calls `done` exactly once, with the phase
// timings measured so far. Lives in, and is called from, one thread.
class WireConnection final : public QObject
{
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock;
    struct Exchange {
        QByteArray request; // the whole request as it goes on the wire
        QByteArray method;  // HEAD answers have no body
        qint64 keepBodyBytes = 0;
        Clock::time_point queuedAt; // when the attempt asked for a connection
        bool waitedForConnection = false;
    };
    // The response (or failure) and whether the connection may carry another exchange.
    using Done = std::function<void(WireConnection *, AttemptResponse, bool reusable)>;

    WireConnection(const WireTarget &target, Done done, QObject *parent = nullptr);
    ~WireConnection() override;

    // Starts an exchange; the connection must be idle.
    void start(Exchange exchange);
    // Drops the exchange in flight without calling `done` (the engine gave up on it) and
    // closes: what the server makes of a half-sent or half-read exchange is unknown.
    void abort();
    bool busy() const { return m_busy; }
    // The exchange's phases so far: those it finished, and the one it is in up to now.
    PhaseTimings phasesSoFar() const;
    static qint32 micros(Clock::time_point since);
    static qint32 micros(Clock::time_point from, Clock::time_point to);
    bool isOpen() const;
    // Has carried at least one exchange: the next one goes on a reused connection.
    bool used() const { return m_exchanges > 0; }
    // Called when an idle connection is closed by the peer (so the pool drops it).
    std::function<void(WireConnection *)> onIdleClosed;

private:
    enum class Phase {
        Closed,
        Resolving,
        Connecting,
        Handshake,
        Idle, // open, between exchanges
        Sending,
        Waiting,
        Receiving
    };

    void resolve();
    void connectTo(int addressIndex);
    void onConnected();
    void onEncrypted();
    void send();
    void onBytesWritten();
    void onReadyRead();
    // Reads what there is into `slice` (> 0 bytes, 0 for nothing yet, -1 at the end or on an
    // error, with the socket's error set), and when the last of it arrived.
    qint64 readSome(char *slice, Clock::time_point *arrived);
    void onDisconnected();
    void onSocketError();
    void onPeerGone(); // the socket closed or failed; what was read is all there is
    void makeSocket();
    void dropSocket();
    void fail(OutcomeClass outcome, const QString &reason);
    void finish(AttemptResponse response, bool reusable);
    static AttemptResponse responseOf(const wire::Message &m);
    qint32 since(Clock::time_point t) const;

    WireTarget m_target;
    Done m_done;
    QTcpSocket *m_socket = nullptr;
    wire::MessageParser m_parser{wire::MessageParser::Mode::Response};
    QList<QHostAddress> m_addresses;
    int m_lookupId = -1;
    Phase m_phase = Phase::Closed;
    Exchange m_exchange;
    PhaseTimings m_timings;
    Clock::time_point m_mark;      // when the current phase began
    Clock::time_point m_firstByte; // when the answer's first byte arrived
    Clock::time_point m_lastByte;  // and its last so far
    bool m_stamped = false;        // plain TCP read by the client itself, with the kernel's stamps
    QString m_tlsErrors;           // the certificate problems the person accepted for this host
    bool m_insecure = false;
    bool m_busy = false;
    bool m_reusedForThis = false;
    bool m_peerClosed = false; // the socket reported a close or an error: never reused
    int m_exchanges = 0;
    int m_addressIndex = 0;
};

} // namespace retrylab
