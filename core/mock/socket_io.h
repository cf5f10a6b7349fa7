// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QtGlobal>

// The few socket calls the built-in server makes itself. QTcpSocket closes the whole socket
// when the peer half-closes (shutdown(SHUT_WR), `nc -N`), so an answer to a request followed
// by a half-close could never be sent; and a reset needs SO_LINGER. Non-blocking descriptors.
namespace retrylab::sockio {

enum : qint64 { WouldBlock = -1, Failed = -2 };

bool prepare(qintptr fd); // non-blocking, no Nagle, no SIGPIPE where that is per socket
// Bytes read (> 0), 0 at the peer's end of stream, WouldBlock or Failed.
qint64 receive(qintptr fd, char *buffer, qint64 size);
// Bytes written (>= 0), WouldBlock or Failed.
qint64 send(qintptr fd, const char *data, qint64 size);
void shutdownWrite(qintptr fd);
void close(qintptr fd);
// A TCP reset instead of an orderly close (SO_LINGER with a zero timeout, then close).
void reset(qintptr fd);
// The address of the connection's other end ("127.0.0.1", "::1"), or empty.
QByteArray peerAddress(qintptr fd);
// How many descriptors this process may open (the soft limit), or -1 when unknown.
qint64 descriptorLimit();

} // namespace retrylab::sockio
