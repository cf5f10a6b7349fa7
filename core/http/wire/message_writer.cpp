// SPDX-License-Identifier: GPL-3.0-or-later
#include "message_writer.h"

#include "wire_message.h"
#include "wire_syntax.h"

using namespace Qt::StringLiterals;

namespace retrylab::wire {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
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
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
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
    case 421:
        return "Misdirected Request";
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
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

static void appendField(QByteArray &out, QByteArrayView name, QByteArrayView value)
{
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
}

static void appendFields(QByteArray &out, const HeaderList &fields)
{
    for (const auto &[name, value] : fields)
        appendField(out, name, value);
    out += "\r\n";
}

QByteArray responseHead(int status, const HeaderList &fields)
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n";
    appendFields(out, fields);
    return out;
}

QByteArray request(QByteArrayView method, QByteArrayView target, QByteArrayView host,
                   const HeaderList &fields, QByteArrayView body)
{
    // Written straight into one buffer: a request goes out for every attempt.
    QByteArray out;
    out.reserve(256 + body.size());
    out += method;
    out += ' ';
    out += target;
    out += " HTTP/1.1\r\n";
    appendField(out, "Host", host);
    bool framed = false;
    for (const auto &[name, value] : fields) {
        if (QByteArrayView(name).compare("host", Qt::CaseInsensitive) == 0)
            continue;
        framed = framed ||
                 QByteArrayView(name).compare("content-length", Qt::CaseInsensitive) == 0 ||
                 QByteArrayView(name).compare("transfer-encoding", Qt::CaseInsensitive) == 0;
        appendField(out, name, value);
    }
    const bool carriesBody = method == QByteArrayView("POST") || method == QByteArrayView("PUT") ||
                             method == QByteArrayView("PATCH");
    if (!framed && (!body.isEmpty() || carriesBody))
        appendField(out, "Content-Length", QByteArray::number(body.size()));
    out += "\r\n";
    out += body;
    return out;
}

QByteArray chunk(QByteArrayView data)
{
    if (data.isEmpty())
        return "0\r\n\r\n";
    QByteArray out = QByteArray::number(data.size(), 16) + "\r\n";
    out += data;
    out += "\r\n";
    return out;
}

bool validField(QByteArrayView name, QByteArrayView value, QString *why)
{
    if (!isToken(name)) {
        if (why)
            *why = u"'%1' is not a valid header name"_s.arg(escapeBytes(name));
        return false;
    }
    if (!validFieldValue(value)) {
        if (why)
            *why = u"the value of %1 holds a control character (CR, LF or another)"_s.arg(
                QString::fromLatin1(name));
        return false;
    }
    return true;
}

} // namespace retrylab::wire
