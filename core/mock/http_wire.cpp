// SPDX-License-Identifier: GPL-3.0-or-later
#include "http_wire.h"

#include "http/retry_after.h"
#include "http/wire/message_writer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace retrylab::wire {

QByteArray head(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                const QDateTime &now, QByteArrayView contentType)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                     "\r\nDate: " + formatHttpDate(now) + "\r\nServer: retrylab-mock\r\n";
    if (contentLength >= 0)
        out += "Content-Type: " + contentType.toByteArray() +
               "\r\nContent-Length: " + QByteArray::number(contentLength) + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &[name, value] : extra)
        out += name + ": " + value + "\r\n";
    return out + "\r\n";
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray errorBody(int status, const QString &detail)
{
    return QJsonDocument(QJsonObject{{u"status"_s, status},
                                     {u"error"_s, QString::fromLatin1(reasonPhrase(status))},
                                     {u"detail"_s, detail}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

void resetConnection(QTcpSocket *socket)
{
    const auto fd = socket->socketDescriptor();
    if (fd != -1) {
        linger l{};
        l.l_onoff = 1;
        l.l_linger = 0;
#ifdef Q_OS_WIN
        ::setsockopt(static_cast<SOCKET>(fd), SOL_SOCKET, SO_LINGER,
                     reinterpret_cast<const char *>(&l), sizeof l);
#else
        ::setsockopt(static_cast<int>(fd), SOL_SOCKET, SO_LINGER, &l, sizeof l);
#endif
    }
    socket->abort();
}

} // namespace retrylab::wire
