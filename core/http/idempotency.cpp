// SPDX-License-Identifier: GPL-3.0-or-later
#include "idempotency.h"

using namespace Qt::StringLiterals;

namespace retrylab {

bool isIdempotentMethod(QByteArrayView method)
{
    for (const char *m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"}) {
        if (method.compare(QByteArrayView(m), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString makeIdempotencyKey(RandomSource &rng)
{
    std::uint64_t hi = rng.next();
    std::uint64_t lo = rng.next();
    hi = (hi & ~0xF000ULL) | 0x4000ULL;                        // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; // RFC 4122 variant
    const QString h = u"%1"_s.arg(hi, 16, 16, QLatin1Char('0'));
    const QString l = u"%1"_s.arg(lo, 16, 16, QLatin1Char('0'));
    return h.left(8) + u'-' + h.mid(8, 4) + u'-' + h.mid(12, 4) + u'-' + l.left(4) + u'-' +
           l.mid(4);
}

QByteArray formatIdempotencyKey(const QString &key, IdempotencyKeySyntax syntax)
{
    if (syntax == IdempotencyKeySyntax::Bare)
        return key.toLatin1();
    QByteArray out = "\"";
    for (const QChar c : key) {
        if (c == u'"' || c == u'\\')
            out += '\\';
        out += c.toLatin1();
    }
    return out + '"';
}

IdempotencyKeyReading parseIdempotencyKey(QByteArrayView raw)
{
    IdempotencyKeyReading r;
    const QByteArrayView v = raw.trimmed();
    if (v.isEmpty()) {
        r.error = u"Idempotency-Key is empty"_s;
        return r;
    }
    if (v.front() == '"') {
        // RFC 8941 sf-string: printable ASCII, with \" and \\ as the only escapes.
        QString key;
        for (qsizetype i = 1; i < v.size(); ++i) {
            const char c = v[i];
            if (c == '\\') {
                if (i + 1 >= v.size() || (v[i + 1] != '"' && v[i + 1] != '\\')) {
                    r.error = u"bad escape in quoted Idempotency-Key"_s;
                    return r;
                }
                key += QLatin1Char(v[++i]);
            } else if (c == '"') {
                if (i != v.size() - 1) {
                    r.error = u"text after the closing quote of Idempotency-Key"_s;
                    return r;
                }
                if (key.isEmpty()) {
                    r.error = u"Idempotency-Key is an empty string"_s;
                    return r;
                }
                r.key = key;
                r.syntax = IdempotencyKeySyntax::Quoted;
                return r;
            } else if (c < 0x20 || c > 0x7e) {
                r.error = u"Idempotency-Key holds a character outside printable ASCII"_s;
                return r;
            } else {
                key += QLatin1Char(c);
            }
        }
        r.error = u"quoted Idempotency-Key has no closing quote"_s;
        return r;
    }
    if (v.size() > 255) {
        r.error = u"Idempotency-Key is %1 characters long; at most 255 are allowed"_s.arg(v.size());
        return r;
    }
    for (const char c : v) {
        if (c <= 0x20 || c > 0x7e) {
            r.error = u"Idempotency-Key holds a space or a character outside printable ASCII"_s;
            return r;
        }
    }
    r.key = QString::fromLatin1(v);
    r.syntax = IdempotencyKeySyntax::Bare;
    return r;
}

} // namespace retrylab
