// SPDX-License-Identifier: GPL-3.0-or-later
#include "wire_message.h"

using namespace Qt::StringLiterals;

namespace retrylab::wire {

QByteArray Message::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers)
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

bool Message::hasToken(QByteArrayView name, QByteArrayView token) const
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &part : v.split(','))
            if (QByteArrayView(part).trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
    }
    return false;
}

QString errorKindId(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::StartLine:
        return u"start-line"_s;
    case ErrorKind::Version:
        return u"version"_s;
    case ErrorKind::Method:
        return u"method"_s;
    case ErrorKind::HeaderSyntax:
        return u"header-syntax"_s;
    case ErrorKind::HeaderTooLarge:
        return u"header-too-large"_s;
    case ErrorKind::TooManyHeaders:
        return u"too-many-headers"_s;
    case ErrorKind::ContentLength:
        return u"content-length"_s;
    case ErrorKind::TransferEncoding:
        return u"transfer-encoding"_s;
    case ErrorKind::LengthRequired:
        return u"length-required"_s;
    case ErrorKind::Chunk:
        return u"chunk"_s;
    case ErrorKind::BodyTooLarge:
        return u"body-too-large"_s;
    case ErrorKind::Truncated:
        return u"truncated"_s;
    case ErrorKind::Unexpected:
        return u"unexpected"_s;
    }
    return {};
}

QString escapeBytes(QByteArrayView bytes, qsizetype max)
{
    QString out;
    for (const char c : bytes.first(std::min(bytes.size(), max))) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f && u != '\\')
            out += QLatin1Char(c);
        else
            out += u"\\x"_s + QString::number(u, 16).rightJustified(2, u'0');
    }
    if (bytes.size() > max)
        out += u"…"_s;
    return out;
}

} // namespace retrylab::wire
