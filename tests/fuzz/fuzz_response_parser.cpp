// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: raw bytes from a server into the client's response parser (wire::MessageParser in
// response mode), then the connection closes. Split anyhow, the bytes give the same responses;
// every response has a status from 100 to 599 (never -1, 0 or a 16-bit overflow), keeps no
// more body than its limit, and a body cut short is an error, never a success.
#include "wire_feed.h"

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 5)
        return 0;
    std::vector<int> pieces;
    for (int i = 0; i < 4; ++i)
        pieces.push_back(1 + data[i] % 16);
    const QByteArrayView method = data[4] % 4 == 0 ? "HEAD" : "GET";
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 5), qsizetype(size - 5));
    wire::Limits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxHeaderCount = 20;
    limits.bodyKeepBytes = 1024;
    wire::MessageParser whole(wire::MessageParser::Mode::Response, limits);
    wire::MessageParser split(wire::MessageParser::Mode::Response, limits);
    whole.setRequestMethod(method);
    split.setRequestMethod(method);
    const fuzz::Outcome a = fuzz::parse(whole, bytes, {}, true);
    const fuzz::Outcome b = fuzz::parse(split, bytes, pieces, true);
    fuzz::checkSame(a, b);
    for (const auto &m : a.messages) {
        fuzz::checkMessage(m, limits);
        if (m.status < 100 || m.status > 599)
            std::abort();
        if (m.contentLength >= 0 && m.framing == wire::BodyFraming::Length &&
            m.bodyBytes != m.contentLength)
            std::abort(); // a truncated body must not complete
    }
    return 0;
}
