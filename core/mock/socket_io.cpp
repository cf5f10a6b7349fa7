// SPDX-License-Identifier: GPL-3.0-or-later
#include "socket_io.h"

#include <QHostAddress>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace retrylab::sockio {

#ifdef Q_OS_WIN
using Native = SOCKET;
static bool wouldBlock()
{
    return WSAGetLastError() == WSAEWOULDBLOCK;
}
#else
using Native = int;
static bool wouldBlock()
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}
#endif

static Native native(qintptr fd)
{
    return static_cast<Native>(fd);
}

bool prepare(qintptr fd)
{
    int one = 1;
#ifdef Q_OS_WIN
    u_long nonBlocking = 1;
    if (ioctlsocket(native(fd), FIONBIO, &nonBlocking) != 0)
        return false;
    ::setsockopt(native(fd), IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one),
                 sizeof one);
#else
    const int flags = ::fcntl(native(fd), F_GETFL);
    if (flags < 0 || ::fcntl(native(fd), F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    ::setsockopt(native(fd), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#ifdef SO_NOSIGPIPE
    ::setsockopt(native(fd), SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
#endif
    return true;
}

qint64 receive(qintptr fd, char *buffer, qint64 size)
{
#ifdef Q_OS_WIN
    const int n = ::recv(native(fd), buffer, static_cast<int>(size), 0);
#else
    const ssize_t n = ::recv(native(fd), buffer, static_cast<size_t>(size), 0);
#endif
    if (n >= 0)
        return n;
    return wouldBlock() ? WouldBlock : Failed;
}

qint64 send(qintptr fd, const char *data, qint64 size)
{
#ifdef Q_OS_WIN
    const int n = ::send(native(fd), data, static_cast<int>(size), 0);
#elif defined(MSG_NOSIGNAL)
    const ssize_t n = ::send(native(fd), data, static_cast<size_t>(size), MSG_NOSIGNAL);
#else
    const ssize_t n = ::send(native(fd), data, static_cast<size_t>(size), 0);
#endif
    if (n >= 0)
        return n;
    return wouldBlock() ? WouldBlock : Failed;
}

void shutdownWrite(qintptr fd)
{
#ifdef Q_OS_WIN
    ::shutdown(native(fd), SD_SEND);
#else
    ::shutdown(native(fd), SHUT_WR);
#endif
}

void close(qintptr fd)
{
#ifdef Q_OS_WIN
    ::closesocket(native(fd));
#else
    ::close(native(fd));
#endif
}

void reset(qintptr fd)
{
    linger l{};
    l.l_onoff = 1;
    l.l_linger = 0;
#ifdef Q_OS_WIN
    ::setsockopt(native(fd), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&l), sizeof l);
#else
    ::setsockopt(native(fd), SOL_SOCKET, SO_LINGER, &l, sizeof l);
#endif
    close(fd);
}

qint64 descriptorLimit()
{
#ifdef Q_OS_WIN
    return -1;
#else
    rlimit r{};
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return -1;
    return static_cast<qint64>(r.rlim_cur);
#endif
}

QByteArray peerAddress(qintptr fd)
{
    sockaddr_storage address{};
#ifdef Q_OS_WIN
    int length = sizeof address;
#else
    socklen_t length = sizeof address;
#endif
    if (::getpeername(static_cast<Native>(fd), reinterpret_cast<sockaddr *>(&address), &length) !=
        0)
        return {};
    QHostAddress host(reinterpret_cast<const sockaddr *>(&address));
    // An IPv4 client of a dual-stack socket reads as ::ffff:a.b.c.d: say a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    if (isV4)
        host = QHostAddress(v4);
    return host.toString().toLatin1();
}

} // namespace retrylab::sockio
