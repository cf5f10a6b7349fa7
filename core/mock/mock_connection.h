// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "http/wire/message_parser.h"

#include <QObject>

class QSocketNotifier;

namespace retrylab {

class MockServer;

// One client connection of the built-in server, on its descriptor: reads and frames requests
// with the shared parser (core/http/wire), hands each whole request to the server, one at a
// time and in order (pipelined ones wait in a bounded buffer), and writes what the server
// says, byte for byte. A half-close by the client still gets its answer. Lives in the
// server's thread; the server owns it.
class MockConnection : public QObject
{
    Q_OBJECT
public:
    MockConnection(qintptr fd, MockServer *server);
    ~MockConnection() override;

    void write(QByteArrayView bytes);
    // The current request is answered (its bytes queued): read the next one, or close after
    // the queued bytes when the connection is not to be kept.
    void requestDone(bool keepAlive);
    // After the queued bytes: FIN, then read and drop what the client still sends until it
    // closes too (closing with unread input would reset the answer away), then close.
    void closeAfterWrite();
    void reset();    // RST, now
    void closeNow(); // FIN, now, nothing more
    // Refuses what could not be read (a framing error, a limit, a deadline), then closes.
    void refuse(int status, const QString &reason);

    bool isDead() const { return m_fd < 0; }
    bool peerClosed() const { return m_peerClosed; }
    const QByteArray &peer() const { return m_peer; } // the client's address
    // For the server's sweep: idle keep-alive connections, heads that take too long.
    enum class Phase { Idle, Head, Body, Busy, Closing };
    Phase phase() const;
    Duration lastActivity() const { return m_lastActivity; }
    Duration headStarted() const { return m_headStarted; }
    void setLimits(const wire::Limits &limits) { m_parser.setLimits(limits); }

private:
    void onReadable();
    void onWritable();
    void consume(QByteArrayView data);
    bool bodyOverLimit(QString *reason) const;
    void onEndOfInput();
    void flush();
    void die();

    qintptr m_fd;
    MockServer *m_server;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
    wire::MessageParser m_parser;
    QByteArray m_peer;
    QByteArray m_in;  // pipelined bytes that wait for the current request to be answered
    QByteArray m_out; // bytes the kernel did not take yet
    qsizetype m_outAt = 0;
    bool m_busy = false;
    bool m_peerClosed = false;
    bool m_closeAfterWrite = false;
    bool m_draining = false;
    Duration m_lastActivity{0};
    Duration m_headStarted{-1};
};

} // namespace retrylab
