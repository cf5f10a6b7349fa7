// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fault_profile.h"

#include <QHash>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;
class QTimer;

namespace retrylab {

// The TCP side of the mock server. Before QAbstractHttpServer parses a byte, it frames each
// request itself and refuses what must not reach the parser, with the proper status and a
// close: a request line or header that is not HTTP/1.1 (400), an unknown method (501),
// headers over the limit (431), a body over the limit (413), a chunked body (411). A
// connection that sends nothing for the idle timeout is closed, unless the server marked it
// busy (a response on its way, or a "hang" fault with its own limit). Qt 6.4's parser would
// otherwise drop the signals of a socket it cannot parse and leave it open for good.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(QObject *parent = nullptr);

    void setLimits(const ServerLimits &limits) { m_limits = limits; }
    void setBusy(QTcpSocket *socket, bool busy);
    int openConnections() const { return static_cast<int>(m_states.size()); }

Q_SIGNALS:
    // A request refused here, before the HTTP server saw it.
    void refused(int status, const QString &reason);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct State {
        QByteArray head;     // the current request's head, while incomplete
        qint64 bodyLeft = 0; // bytes of the current request's body still to come
        bool busy = false;
        QTimer *idle = nullptr;
    };
    void onReadyRead(QTcpSocket *socket);
    // Returns the HTTP status to refuse with, or 0 when the head is acceptable.
    int checkHead(const QByteArray &head, qint64 *contentLength, QString *reason) const;
    void refuse(QTcpSocket *socket, int status, const QString &reason);
    void touch(QTcpSocket *socket);

    ServerLimits m_limits;
    QHash<QTcpSocket *, State> m_states;
};

} // namespace retrylab
