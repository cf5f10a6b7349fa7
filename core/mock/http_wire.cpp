// SPDX-License-Identifier: GPL-3.0-or-later
#include "http_wire.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <cstring>

using namespace Qt::StringLiterals;

namespace retrylab::wire {

namespace {

// Room for a decimal qint64 with its sign.
constexpr qsizetype kNumberRoom = 20;

// Writes into room the caller sized beforehand: every answer goes through here, and
// QByteArray's general append (aliasing checks, growth) cost more than the bytes themselves.
struct Cursor {
    char *at;
    void put(QByteArrayView v)
    {
        if (!v.isEmpty())
            std::memcpy(at, v.data(), static_cast<std::size_t>(v.size()));
        at += v.size();
    }
    void put(char c) { *at++ = c; }
    void number(qint64 n) { at = std::to_chars(at, at + kNumberRoom, n).ptr; }
};

// A JSON string's contents (RFC 8259 §7), for the hot path that skips QJsonDocument: UTF-8
// as it is, '"' and '\' escaped, control characters as \u00XX.
void putJsonString(Cursor &c, QByteArrayView utf8)
{
    c.put('"');
    for (const char ch : utf8) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            c.put('\\');
            c.put(ch);
        } else if (u < 0x20) {
            c.put("\\u00");
            c.put("0123456789abcdef"[u >> 4]);
            c.put("0123456789abcdef"[u & 15]);
        } else {
            c.put(ch);
        }
    }
    c.put('"');
}

// The same for text that is printable ASCII, which is written as it is apart from '"' and '\'
// (QJsonDocument writes it so too). False, with nothing written, for any other text.
bool putPlainJsonString(Cursor &c, QStringView s)
{
    for (const QChar ch : s)
        if (ch.unicode() < 0x20 || ch.unicode() > 0x7e)
            return false;
    c.put('"');
    for (const QChar ch : s) {
        const char a = static_cast<char>(ch.unicode());
        if (a == '"' || a == '\\')
            c.put('\\');
        c.put(a);
    }
    c.put('"');
    return true;
}

// The head, then `body`, into one buffer sized once.
QByteArray message(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                   QByteArrayView date, QByteArrayView contentType, QByteArrayView body)
{
    static constexpr QByteArrayView kServer = "\r\nServer: retrylab-mock\r\n";
    static constexpr QByteArrayView kType = "Content-Type: ";
    static constexpr QByteArrayView kLength = "\r\nContent-Length: ";
    static constexpr QByteArrayView kKeepAlive = "Connection: keep-alive\r\n";
    static constexpr QByteArrayView kClose = "Connection: close\r\n";
    const QByteArrayView reason = reasonPhrase(status);
    qsizetype room = 9 + kNumberRoom + 1 + reason.size() + 8 + date.size() + kServer.size() +
                     kType.size() + contentType.size() + kLength.size() + kNumberRoom + 2 +
                     kKeepAlive.size() + 2 + body.size();
    for (const auto &[name, value] : extra)
        room += name.size() + 2 + value.size() + 2;
    QByteArray out(room, Qt::Uninitialized);
    Cursor c{out.data()};
    c.put("HTTP/1.1 ");
    c.number(status);
    c.put(' ');
    c.put(reason);
    c.put("\r\nDate: ");
    c.put(date);
    c.put(kServer);
    if (contentLength >= 0) {
        c.put(kType);
        c.put(contentType);
        c.put(kLength);
        c.number(contentLength);
        c.put("\r\n");
    }
    c.put(keepAlive ? kKeepAlive : kClose);
    for (const auto &[name, value] : extra) {
        c.put(name);
        c.put(": ");
        c.put(value);
        c.put("\r\n");
    }
    c.put("\r\n");
    c.put(body);
    out.resize(c.at - out.constData());
    return out;
}

} // namespace

QByteArray head(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                QByteArrayView date, QByteArrayView contentType)
{
    return message(status, extra, contentLength, keepAlive, date, contentType, {});
}

QByteArray response(int status, const HeaderList &extra, qint64 contentLength, bool keepAlive,
                    QByteArrayView date, QByteArrayView body, QByteArrayView contentType)
{
    return message(status, extra, contentLength, keepAlive, date, contentType, body);
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray errorBody(int status, const QString &detail)
{
    const QByteArrayView reason = reasonPhrase(status);
    // {"detail":"...","error":"...","status":503}: the keys in QJsonObject's (sorted) order.
    QByteArray out(48 + 2 * detail.size() + reason.size() + kNumberRoom, Qt::Uninitialized);
    Cursor c{out.data()};
    c.put("{\"detail\":");
    if (!putPlainJsonString(c, detail)) {
        // Text beyond printable ASCII: QJsonDocument's own escapes and UTF-8, as they are.
        return QJsonDocument(QJsonObject{{u"status"_s, status},
                                         {u"error"_s, QString::fromLatin1(reason)},
                                         {u"detail"_s, detail}})
                   .toJson(QJsonDocument::Compact) +
               '\n';
    }
    c.put(",\"error\":\"");
    c.put(reason); // printable ASCII without '"' or '\' (reasonPhrase())
    c.put("\",\"status\":");
    c.number(status);
    c.put("}\n");
    out.resize(c.at - out.constData());
    return out;
}

QByteArray okBody(QByteArrayView method, const QString &path, qint64 request)
{
    static constexpr QByteArrayView kMethod = "{\"method\":";
    static constexpr QByteArrayView kPath = ",\"ok\":true,\"path\":";
    static constexpr QByteArrayView kRequest = ",\"request\":";
    // Escaped, a byte takes at most 6 (\u00XX) and a UTF-16 unit at most 6 in UTF-8 (3 bytes,
    // each of them at most 2 escaped): room enough for either path below.
    QByteArray out(kMethod.size() + 6 * method.size() + 2 + kPath.size() + 6 * path.size() + 2 +
                       kRequest.size() + kNumberRoom + 2,
                   Qt::Uninitialized);
    Cursor c{out.data()};
    c.put(kMethod);
    putJsonString(c, method);
    c.put(kPath);
    if (!putPlainJsonString(c, path))
        putJsonString(c, path.toUtf8());
    c.put(kRequest);
    c.number(request);
    c.put("}\n");
    out.resize(c.at - out.constData());
    return out;
}

} // namespace retrylab::wire
