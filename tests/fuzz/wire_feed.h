// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Feeds fuzz bytes to an HTTP/1.1 parser (core/http/wire/) twice: all at once, and in pieces
// whose sizes the input picks. Both must give the same messages and the same error: the
// parser may not depend on how the bytes were split into packets.
#include "http/wire/message_parser.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

namespace fuzz {

struct Outcome {
    std::vector<retrylab::wire::Message> messages;
    bool error = false;
    retrylab::wire::ErrorKind errorKind{};
    int errorStatus = 0;
};

inline bool same(const retrylab::wire::Message &a, const retrylab::wire::Message &b)
{
    return a.method == b.method && a.target == b.target && a.status == b.status &&
           a.reasonPhrase == b.reasonPhrase && a.minorVersion == b.minorVersion &&
           a.headers == b.headers && a.trailers == b.trailers && a.body == b.body &&
           a.bodyBytes == b.bodyBytes && a.contentLength == b.contentLength &&
           a.framing == b.framing && a.keepAlive == b.keepAlive;
}

// `pieces` empty: everything at once. Otherwise piece i is pieces[i % n] bytes long (1..16).
inline Outcome parse(retrylab::wire::MessageParser &parser, QByteArrayView bytes,
                     const std::vector<int> &pieces, bool closeAtEnd)
{
    using State = retrylab::wire::MessageParser::State;
    Outcome out;
    std::size_t turn = 0;
    while (!bytes.isEmpty()) {
        const qsizetype n = pieces.empty()
                                ? bytes.size()
                                : std::min<qsizetype>(bytes.size(), pieces[turn++ % pieces.size()]);
        QByteArrayView piece = bytes.first(n);
        bytes = bytes.sliced(n);
        while (!piece.isEmpty()) {
            const qsizetype used = parser.feed(piece);
            if (used < 0 || used > piece.size())
                std::abort();
            piece = piece.sliced(used);
            if (parser.state() == State::Complete) {
                out.messages.push_back(parser.take());
            } else if (parser.state() == State::Error) {
                out.error = true;
                out.errorKind = parser.error().kind;
                out.errorStatus = parser.error().status;
                if (parser.error().reason.isEmpty())
                    std::abort(); // every error says why
                return out;
            } else if (used == 0) {
                std::abort(); // neither progress nor an end: a caller would spin
            }
        }
    }
    if (closeAtEnd) {
        parser.finish();
        if (parser.state() == State::Complete)
            out.messages.push_back(parser.take());
        else if (parser.state() == State::Error) {
            out.error = true;
            out.errorKind = parser.error().kind;
            out.errorStatus = parser.error().status;
        }
    }
    return out;
}

inline void checkSame(const Outcome &a, const Outcome &b)
{
    if (a.messages.size() != b.messages.size() || a.error != b.error ||
        (a.error && (a.errorKind != b.errorKind || a.errorStatus != b.errorStatus)))
        std::abort();
    for (std::size_t i = 0; i < a.messages.size(); ++i)
        if (!same(a.messages[i], b.messages[i]))
            std::abort();
}

inline void checkMessage(const retrylab::wire::Message &m, const retrylab::wire::Limits &limits)
{
    if (m.body.size() > limits.bodyKeepBytes || m.bodyBytes < m.body.size())
        std::abort();
    if (m.framing == retrylab::wire::BodyFraming::Length && m.bodyBytes != m.contentLength)
        std::abort();
    if (m.headers.size() > limits.maxHeaderCount)
        std::abort();
}

} // namespace fuzz
