// SPDX-License-Identifier: GPL-3.0-or-later
#include "http_wire.h"

#include "http/retry_after.h"

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

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 418:
        return "I'm a teapot";
    case 422:
        return "Unprocessable Content";
    case 425:
        return "Too Early";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

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
