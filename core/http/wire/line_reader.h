// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <algorithm>
#include <cstring>

// Internal to MessageParser: cutting lines out of bytes that arrive in any split.
namespace retrylab::wire {

enum class LineResult { Partial, Line, TooLong, BareLf };

// One line, possibly joined with the partial line of an earlier call. `budget` is how many more
// bytes the caller allows (the partial line's bytes were counted when they were consumed).
// Lines end in CRLF; in response mode a bare LF is accepted too (RFC 9112 §2.2 allows it), in
// request mode it is refused. `line` points into `data`, or into `joined` when the line began
// in an earlier call: valid until the next call (a line is rarely split, so it is rarely
// copied).
inline LineResult takeLine(QByteArray &partial, QByteArray &joined, QByteArrayView data,
                           qsizetype budget, bool bareLfOk, QByteArrayView *line,
                           qsizetype *consumed)
{
    *consumed = 0;
    if (data.isEmpty())
        return LineResult::Partial;
    const auto *nl = static_cast<const char *>(std::memchr(data.data(), '\n', data.size()));
    if (!nl) {
        *consumed = std::min(data.size(), std::max<qsizetype>(budget, 0) + 1);
        if (*consumed > budget)
            return LineResult::TooLong;
        partial.append(data.first(*consumed));
        return LineResult::Partial;
    }
    const qsizetype at = nl - data.data();
    *consumed = at + 1;
    if (*consumed > budget)
        return LineResult::TooLong;
    if (partial.isEmpty()) {
        *line = data.first(at);
    } else {
        joined = std::move(partial);
        joined.append(data.first(at));
        partial = QByteArray();
        *line = joined;
    }
    if (line->endsWith('\r'))
        line->chop(1);
    else if (!bareLfOk)
        return LineResult::BareLf;
    return LineResult::Line;
}

} // namespace retrylab::wire
