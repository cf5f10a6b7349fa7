// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/pushback.h"

#include <QByteArray>
#include <QString>

// Writing HTTP/1.1 messages byte for byte: the client's requests and the built-in server's
// answers (whose faults need a Content-Length that lies or two Retry-After fields, so nothing
// here adds or checks a field behind the caller's back; validField() is there to check).
namespace retrylab::wire {

// The reason phrase of `status` (printable ASCII without '"' or '\'), "Status" when unknown.
QByteArrayView reasonPhrase(int status);

// "HTTP/1.1 <status> <reason>\r\n", the fields, and the blank line.
QByteArray responseHead(int status, const HeaderList &fields);

// A whole request: Host first, then `fields`, then Content-Length when there is a body or the
// method normally carries one (POST, PUT, PATCH) unless `fields` frame the body themselves,
// then the body.
QByteArray request(QByteArrayView method, QByteArrayView target, QByteArrayView host,
                   const HeaderList &fields, QByteArrayView body = {});

// One chunk of a chunked body; an empty `data` is the last chunk (with no trailers).
QByteArray chunk(QByteArrayView data);

// Whether a field may go on the wire as given: a token name and a value without CR, LF or
// other control characters (what would let one header smuggle another). Says why not.
bool validField(QByteArrayView name, QByteArrayView value, QString *why = nullptr);

} // namespace retrylab::wire
