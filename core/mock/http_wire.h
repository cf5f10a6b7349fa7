// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/pushback.h"
#include "http/wire/message_writer.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>

class QTcpSocket;

namespace retrylab::wire {

// Hand-written HTTP/1.1 on the wire, for the mock server: faults need byte-level control that
// a response object hides (a Content-Length that lies, two Retry-After fields, a dribble).

// Status line and headers, ending in the blank line. Adds Date, Server, Content-Type,
// Content-Length (as given) and Connection.
QByteArray head(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                const QDateTime &now, QByteArrayView contentType = "application/json");

// A compact JSON body with a final newline.
QByteArray json(const QJsonObject &o);

// A JSON error body: {"status": 431, "error": "...", "detail": "..."}.
QByteArray errorBody(int status, const QString &detail);

// Sends a TCP reset instead of an orderly close (SO_LINGER with a zero timeout, then close).
void resetConnection(QTcpSocket *socket);

} // namespace retrylab::wire
