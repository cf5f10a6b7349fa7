// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_line.h"

#include <cstdlib>

namespace retrylab {

namespace {

constexpr char kHex[] = "0123456789abcdef";

// One character below 0x80 as JSON writes it inside a string.
void appendAscii(QByteArray &out, char c)
{
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default:
        break;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
        const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 0xf], kHex[c & 0xf]};
        out.append(esc, sizeof esc);
        return;
    }
    out += c;
}

} // namespace

void JsonWriter::separate()
{
    if (m_comma)
        m_out += ',';
    m_comma = true;
}

JsonWriter &JsonWriter::open(char bracket)
{
    separate();
    m_out += bracket;
    m_comma = false;
    return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
    m_out += bracket;
    m_comma = true;
    return *this;
}

JsonWriter &JsonWriter::elements(QByteArrayView json)
{
    if (json.isEmpty())
        return *this;
    separate();
    m_out += json;
    return *this;
}

JsonWriter &JsonWriter::key(const char *name)
{
    separate();
    m_out += '"';
    m_out += name;
    m_out += "\":";
    m_comma = false;
    return *this;
}

JsonWriter &JsonWriter::value(QStringView s)
{
    separate();
    m_out += '"';
    bool ascii = true;
    for (const QChar c : s)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii) {
        for (const QChar c : s)
            appendAscii(m_out, char(c.unicode()));
    } else {
        // Multi-byte UTF-8 needs no escaping; a lone surrogate is written as toUtf8 writes it.
        for (const char c : s.toUtf8()) {
            if (static_cast<unsigned char>(c) < 0x80)
                appendAscii(m_out, c);
            else
                m_out += c;
        }
    }
    m_out += '"';
    return *this;
}

JsonWriter &JsonWriter::latin1(QByteArrayView s)
{
    separate();
    m_out += '"';
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80) {
            appendAscii(m_out, c);
        } else { // U+0080..U+00FF in UTF-8
            m_out += char(0xc0 | (u >> 6));
            m_out += char(0x80 | (u & 0x3f));
        }
    }
    m_out += '"';
    return *this;
}

JsonWriter &JsonWriter::value(qint64 n)
{
    separate();
    m_out += QByteArray::number(n);
    return *this;
}

JsonWriter &JsonWriter::value(bool b)
{
    separate();
    m_out += b ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::millis(qint64 us)
{
    separate();
    if (us < 0)
        m_out += '-';
    const quint64 abs = us < 0 ? quint64(0) - quint64(us) : quint64(us);
    m_out += QByteArray::number(abs / 1000);
    unsigned fraction = unsigned(abs % 1000);
    if (fraction) {
        char digits[4] = {'.', char('0' + fraction / 100), char('0' + fraction / 10 % 10),
                          char('0' + fraction % 10)};
        int length = 4;
        while (digits[length - 1] == '0')
            --length;
        m_out.append(digits, length);
    }
    return *this;
}

} // namespace retrylab
