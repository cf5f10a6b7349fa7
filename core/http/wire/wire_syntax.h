// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <array>
#include <string_view>

// The token and field rules of RFC 9110 §5.6, shared by the parser and the writers.
namespace retrylab::wire {

// tchar: ALPHA, DIGIT and "!#$%&'*+-.^_`|~", as a table (every header name of every request
// goes through here).
inline bool isTokenChar(char c)
{
    static constexpr auto kTable = [] {
        std::array<bool, 256> t{};
        for (int u = 0; u < 256; ++u)
            t[u] = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
        for (const char s : std::string_view("!#$%&'*+-.^_`|~"))
            t[static_cast<unsigned char>(s)] = true;
        return t;
    }();
    return kTable[static_cast<unsigned char>(c)];
}

inline bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (const char c : v)
        if (!isTokenChar(c))
            return false;
    return true;
}

// field-value: visible characters, SP, HTAB and obs-text; no other control character.
inline bool validFieldValue(QByteArrayView v)
{
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// Without the optional whitespace (SP, HTAB) around a field value.
inline QByteArray trimmedOws(QByteArrayView v)
{
    qsizetype from = 0;
    qsizetype to = v.size();
    while (from < to && (v[from] == ' ' || v[from] == '\t'))
        ++from;
    while (to > from && (v[to - 1] == ' ' || v[to - 1] == '\t'))
        --to;
    return v.sliced(from, to - from).toByteArray();
}

// "HTTP/d.d" (RFC 9112 §2.3).
inline bool parseVersion(QByteArrayView v, int *major, int *minor)
{
    if (v.size() != 8 || !v.startsWith("HTTP/") || v[6] != '.')
        return false;
    if (v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
        return false;
    *major = v[5] - '0';
    *minor = v[7] - '0';
    return true;
}

} // namespace retrylab::wire
