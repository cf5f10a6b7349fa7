// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/pushback.h"
#include "http/wire/message_writer.h"

#include <QByteArray>
#include <QJsonObject>

namespace retrylab::wire {

// The built-in server's answers, byte for byte (faults need a Content-Length that lies, two
// Retry-After fields, a dribble), on top of the shared writers in core/http/wire.

// Status line and headers, ending in the blank line: Date (`date`, already formatted),
// Server, Content-Type and Content-Length (when `contentLength` >= 0, as given, true or not),
// Connection, then `extra`.
QByteArray head(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                QByteArrayView date, QByteArrayView contentType = "application/json");

// head(), then `body`, in one buffer: one write for the whole answer.
QByteArray response(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                    QByteArrayView date, QByteArrayView body,
                    QByteArrayView contentType = "application/json");

// A compact JSON body with a final newline.
QByteArray json(const QJsonObject &o);

// A JSON error body: {"detail": "...", "error": "...", "status": 431}, as QJsonDocument writes it
// (compact, keys in order).
QByteArray errorBody(int status, const QString &detail);

// The answer of a generic route: {"method": "GET", "ok": true, "path": "/x", "request": 7}.
QByteArray okBody(QByteArrayView method, const QString &path, qint64 request);

} // namespace retrylab::wire
