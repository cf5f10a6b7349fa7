// SPDX-License-Identifier: GPL-3.0-or-later
#include "http_wire.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace retrylab::wire {

namespace {

// A JSON string's contents (RFC 8259 §7), for the hot path that skips QJsonDocument.
void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    out += '"';
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[u >> 4];
            out += "0123456789abcdef"[u & 15];
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

QByteArray head(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                QByteArrayView date, QByteArrayView contentType)
{
    QByteArray out;
    out.reserve(200);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nDate: ";
    out += date;
    out += "\r\nServer: retrylab-mock\r\n";
    if (contentLength >= 0) {
        out += "Content-Type: ";
        out += contentType;
        out += "\r\nContent-Length: ";
        out += QByteArray::number(contentLength);
        out += "\r\n";
    }
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    for (const auto &[name, value] : extra) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += "\r\n";
    return out;
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

QByteArray okBody(QByteArrayView method, const QString &path, qint64 request)
{
    QByteArray out;
    out.reserve(64 + path.size());
    out += "{\"method\":";
    appendJsonString(out, method);
    out += ",\"ok\":true,\"path\":";
    appendJsonString(out, path.toUtf8());
    out += ",\"request\":";
    out += QByteArray::number(request);
    out += "}\n";
    return out;
}

} // namespace retrylab::wire
