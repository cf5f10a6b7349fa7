// SPDX-License-Identifier: GPL-3.0-or-later
#include "guarded_tcp_server.h"

#include "http_wire.h"

#include <QTcpSocket>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (const char c : v)
        if (!isTokenChar(c))
            return false;
    return true;
}

// The methods Qt 6.4's parser turns into QHttpServerRequest::Method values.
bool knownMethod(QByteArrayView m)
{
    for (const char *k : {"GET", "PUT", "DELETE", "POST", "HEAD", "OPTIONS", "PATCH", "TRACE"})
        if (m == QByteArrayView(k))
            return true;
    return false;
}

} // namespace

GuardedTcpServer::GuardedTcpServer(QObject *parent)
    : QTcpServer(parent)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    State state;
    state.idle = new QTimer(socket);
    state.idle->setSingleShot(true);
    const QPointer<QTcpSocket> guard(socket);
    connect(state.idle, &QTimer::timeout, this, [this, guard] {
        if (!guard)
            return;
        const auto it = m_states.constFind(guard.data());
        if (it != m_states.constEnd() && it->busy)
            return; // the server re-arms it when it is done
        guard->abort();
        guard->deleteLater();
    });
    // Connected before QAbstractHttpServer's own handler, so it runs first.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { m_states.remove(socket); });
    m_states.insert(socket, state);
    touch(socket);
    addPendingConnection(socket);
}

void GuardedTcpServer::touch(QTcpSocket *socket)
{
    const auto it = m_states.constFind(socket);
    if (it != m_states.constEnd() && m_limits.idleTimeout > Duration::zero())
        it->idle->start(
            std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.idleTimeout));
}

void GuardedTcpServer::setBusy(QTcpSocket *socket, bool busy)
{
    const auto it = m_states.find(socket);
    if (it == m_states.end())
        return;
    it->busy = busy;
    if (!busy)
        touch(socket);
}

int GuardedTcpServer::checkHead(const QByteArray &head, qint64 *contentLength,
                                QString *reason) const
{
    // Lines end in CRLF; a bare LF anywhere is refused rather than guessed at.
    QList<QByteArray> lines;
    const QByteArray text = head.chopped(4);
    for (qsizetype from = 0;;) {
        const qsizetype end = text.indexOf("\r\n", from);
        lines << text.mid(from, end < 0 ? -1 : end - from);
        if (end < 0)
            break;
        from = end + 2;
    }
    const QByteArray requestLine = lines.front();
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty() ||
        !(parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0")) {
        *reason = u"malformed request line: '%1'"_s.arg(
            QString::fromLatin1(requestLine.left(120)).toHtmlEscaped());
        return 400;
    }
    if (!knownMethod(parts[0])) {
        *reason = u"method %1 is not implemented"_s.arg(QString::fromLatin1(parts[0]));
        return 501;
    }
    for (const char c : parts[1]) {
        if (c <= 0x20 || c == 0x7f) {
            *reason = u"the request target holds a control character"_s;
            return 400;
        }
    }
    *contentLength = 0;
    bool sawLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (line.contains('\n') || line.contains('\r')) {
            *reason = u"header line %1 holds a bare CR or LF"_s.arg(i);
            return 400;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon))) {
            *reason = u"header line %1 is not 'Name: value'"_s.arg(i);
            return 400;
        }
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        for (const char c : value) {
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                *reason = u"header %1 holds a control character"_s.arg(QString::fromLatin1(name));
                return 400;
            }
        }
        if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || (sawLength && n != *contentLength)) {
                *reason = u"invalid Content-Length '%1'"_s.arg(QString::fromLatin1(value));
                return 400;
            }
            sawLength = true;
            *contentLength = n;
        } else if (name == "transfer-encoding") {
            *reason = u"chunked request bodies are not accepted: send Content-Length"_s;
            return 411;
        }
    }
    if (*contentLength > m_limits.maxBodyBytes) {
        *reason = u"the body of %1 bytes is over the limit of %2"_s.arg(*contentLength)
                      .arg(m_limits.maxBodyBytes);
        return 413;
    }
    return 0;
}

void GuardedTcpServer::refuse(QTcpSocket *socket, int status, const QString &reason)
{
    const QByteArray body = wire::errorBody(status, reason);
    // Stop QAbstractHttpServer from parsing what is left, then answer and close. Only
    // readyRead is cut: its other connections clean up the socket and its request.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    socket->readAll();
    socket->write(wire::head(status, {}, body.size(), false, QDateTime::currentDateTimeUtc()) +
                  body);
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(5000, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    m_states.remove(socket);
    Q_EMIT refused(status, reason);
}

void GuardedTcpServer::onReadyRead(QTcpSocket *socket)
{
    auto it = m_states.find(socket);
    if (it == m_states.end())
        return;
    touch(socket);
    // QAbstractHttpServer reads everything on each readyRead, so what is buffered now is
    // exactly what arrived since the last call.
    const QByteArray fresh = socket->peek(socket->bytesAvailable());
    qsizetype pos = 0;
    while (pos < fresh.size()) {
        State &s = it.value();
        if (s.bodyLeft > 0) {
            const qsizetype take = std::min<qint64>(s.bodyLeft, fresh.size() - pos);
            s.bodyLeft -= take;
            pos += take;
            continue;
        }
        // Skip the empty lines a client may send between requests.
        if (s.head.isEmpty() && (fresh[pos] == '\r' || fresh[pos] == '\n')) {
            ++pos;
            continue;
        }
        const qsizetype before = s.head.size();
        s.head += fresh.mid(pos, m_limits.maxHeaderBytes + 4 - before);
        const qsizetype end = s.head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (s.head.size() > m_limits.maxHeaderBytes) {
                refuse(socket, 431,
                       u"the request head is over %1 bytes"_s.arg(m_limits.maxHeaderBytes));
                return;
            }
            pos = fresh.size();
            continue;
        }
        const QByteArray head = s.head.left(end + 4);
        pos += head.size() - before;
        s.head.clear();
        if (head.size() > m_limits.maxHeaderBytes) {
            refuse(socket, 431,
                   u"the request head is over %1 bytes"_s.arg(m_limits.maxHeaderBytes));
            return;
        }
        qint64 length = 0;
        QString reason;
        if (const int status = checkHead(head, &length, &reason)) {
            refuse(socket, status, reason);
            return;
        }
        s.bodyLeft = length;
    }
}

} // namespace retrylab
