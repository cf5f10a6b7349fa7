// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/limits.h"
#include "http/pushback.h"

#include <QByteArray>
#include <QString>

namespace retrylab::wire {

// How a message's body is delimited (core/http/wire/README.md).
enum class BodyFraming {
    None,          // no body: a request without Content-Length, HEAD/1xx/204/304 answers
    Length,        // Content-Length
    Chunked,       // Transfer-Encoding ending in chunked
    CloseDelimited // a response with neither: the body ends when the connection closes
};

// One HTTP/1.x request or response as read from the wire.
struct Message {
    // Request mode.
    QByteArray method;
    QByteArray target; // as sent: origin-form, absolute-form, authority-form or "*"
    // Response mode.
    int status = 0; // 100..599
    QByteArray reasonPhrase;

    int minorVersion = 1;      // HTTP/1.0 or HTTP/1.1
    HeaderList headers;        // in order, names as sent, values without surrounding whitespace
    HeaderList trailers;       // fields after a chunked body
    QByteArray body;           // decoded, up to Limits::bodyKeepBytes
    qint64 bodyBytes = 0;      // every decoded body byte, kept or not
    qint64 contentLength = -1; // as declared; -1 when absent
    BodyFraming framing = BodyFraming::None;
    bool keepAlive = true; // the connection may carry another message after this one

    // The body had more bytes than were kept.
    bool bodyCut() const { return bodyBytes > body.size(); }
    // The first value of a header (case-insensitive name), or a null QByteArray.
    QByteArray header(QByteArrayView name) const;
    // Whether a comma-separated header (Connection, Transfer-Encoding) lists `token`.
    bool hasToken(QByteArrayView name, QByteArrayView token) const;
};

// What was wrong, for a classified failure on the client side and for a refusal on the server
// side.
enum class ErrorKind {
    StartLine,        // a request line or status line that is not HTTP/1.x
    Version,          // HTTP/2 or later on an HTTP/1 connection
    Method,           // a method outside Limits::methods
    HeaderSyntax,     // a field line that is not "name: value", control characters, bare LF
    HeaderTooLarge,   // the head (or the trailers) over Limits::maxHeaderBytes
    TooManyHeaders,   // more fields than Limits::maxHeaderCount
    ContentLength,    // invalid or conflicting Content-Length
    TransferEncoding, // a transfer coding we cannot decode, or framing that is ambiguous
    LengthRequired,   // a chunked request where Limits::requireContentLength asks for a length
    Chunk,            // a chunk-size line or chunk terminator that is not valid
    BodyTooLarge,     // a body over Limits::maxBodyBytes
    Truncated,        // the connection closed before the message was complete
    Unexpected,       // a 101 Switching Protocols nobody asked for
};

struct ParseError {
    ErrorKind kind = ErrorKind::StartLine;
    int status = 0; // request mode: the status to refuse with (400/411/413/431/501/505)
    QString reason; // a sentence, safe to show: bytes from the wire are escaped
};

struct Limits {
    // The defaults are those of core/base/limits.h.
    int maxHeaderBytes = limits::kHeadBytes; // the start line and the fields (and, apart, the
                                             // trailers)
    int maxHeaderCount = limits::kHeaderFields;
    qint64 maxBodyBytes = -1; // above this the message is refused (413); -1: no limit
    qint64 bodyKeepBytes = limits::kBodyKeptBytes; // kept in Message::body; the rest is counted
    bool requireContentLength = false;             // request mode: refuse a chunked body with 411
    // Request mode: the methods accepted; any other token gets 501. Empty: every token.
    QList<QByteArray> methods{"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                              "OPTIONS", "PATCH", "TRACE", "CONNECT"};
};

QString errorKindId(ErrorKind kind);

// Printable bytes for an error message: at most `max` of them, the rest as "\xNN".
QString escapeBytes(QByteArrayView bytes, qsizetype max = 80);

} // namespace retrylab::wire
