// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A loopback HTTP server for client tests that answers each request exactly as a script says:
// any bytes (a lying Content-Length, a nonsense status line, a chunked body), then keep the
// connection, close it, reset it, or hang. It records every request it read and on which
// connection, so a test can count what really arrived on the wire.
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <sys/socket.h>

struct ScriptedRequest {
    int connection = 0;   // 0, 1, ... in the order connections were accepted
    int onConnection = 0; // 0 for the first request on its connection
    QByteArray head;
    QByteArray body;
    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 &&
                QByteArrayView(line.left(colon)).compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

struct ScriptedAnswer {
    enum class Then { Keep, Close, Reset, Hang };
    QByteArray bytes;
    Then then = Then::Keep;
};

class ScriptedHttpServer : public QObject
{
public:
    using Script = std::function<ScriptedAnswer(const ScriptedRequest &)>;

    explicit ScriptedHttpServer(Script script)
        : m_script(std::move(script))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                accept(s);
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen on loopback");
    }

    quint16 port() const { return m_server.serverPort(); }
    const QList<ScriptedRequest> &requests() const { return m_requests; }
    int connections() const { return m_connections; }
    int peakOpen() const { return m_peakOpen; }
    static QByteArray ok(QByteArrayView body = "ok", QByteArrayView extra = {})
    {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
               extra.toByteArray() + "\r\n" + body.toByteArray();
    }

private:
    struct Connection : QObject {
        QByteArray buffer;
        int served = 0;
        int index = 0;
        bool closed = false;
    };

    void closed(Connection *c)
    {
        if (!std::exchange(c->closed, true))
            --m_open;
    }

    void accept(QTcpSocket *s)
    {
        auto *c = new Connection;
        c->setParent(s);
        c->index = m_connections++;
        m_peakOpen = std::max(m_peakOpen, ++m_open);
        QObject::connect(s, &QTcpSocket::readyRead, this, [this, s, c] {
            c->buffer += s->readAll();
            for (;;) {
                const qsizetype end = c->buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                ScriptedRequest r;
                r.connection = c->index;
                r.onConnection = c->served;
                r.head = c->buffer.left(end + 4);
                const qint64 length = r.header("Content-Length").toLongLong();
                if (c->buffer.size() < end + 4 + length)
                    return;
                r.body = c->buffer.mid(end + 4, length);
                c->buffer.remove(0, end + 4 + length);
                ++c->served;
                m_requests.append(r);
                const ScriptedAnswer a = m_script(r);
                s->write(a.bytes);
                s->flush();
                switch (a.then) {
                case ScriptedAnswer::Then::Keep:
                case ScriptedAnswer::Then::Hang:
                    break;
                case ScriptedAnswer::Then::Close:
                    s->disconnectFromHost();
                    return;
                case ScriptedAnswer::Then::Reset: {
                    // SO_LINGER with a zero timeout: the close sends RST, not FIN.
                    const linger hard{1, 0};
                    ::setsockopt(int(s->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard,
                                 sizeof hard);
                    closed(c);
                    s->abort();
                    s->deleteLater();
                    return;
                }
                }
            }
        });
        QObject::connect(s, &QTcpSocket::disconnected, this, [this, s, c] {
            closed(c);
            s->deleteLater();
        });
    }

    QTcpServer m_server;
    Script m_script;
    QList<ScriptedRequest> m_requests;
    int m_connections = 0;
    int m_open = 0;
    int m_peakOpen = 0;
};
