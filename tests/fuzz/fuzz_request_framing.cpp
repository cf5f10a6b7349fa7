// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: raw bytes from a client into the built-in server's request framing
// (wire::MessageParser in request mode, as the socket server runs it). Split anyhow, the bytes
// give the same requests; a refusal carries a 4xx/5xx status and a reason; no request keeps
// more body than its limit.
#include "wire_feed.h"

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 4)
        return 0;
    // The first four bytes: the piece sizes (1..16 each) for the split run.
    std::vector<int> pieces;
    for (int i = 0; i < 4; ++i)
        pieces.push_back(1 + data[i] % 16);
    const QByteArrayView bytes(reinterpret_cast<const char *>(data + 4), qsizetype(size - 4));
    wire::Limits limits;
    limits.maxHeaderBytes = 2048; // small, so the fuzzer reaches the limits too
    limits.maxHeaderCount = 20;
    limits.maxBodyBytes = 4096;
    limits.bodyKeepBytes = 1024;
    wire::MessageParser whole(wire::MessageParser::Mode::Request, limits);
    wire::MessageParser split(wire::MessageParser::Mode::Request, limits);
    const fuzz::Outcome a = fuzz::parse(whole, bytes, {}, false);
    const fuzz::Outcome b = fuzz::parse(split, bytes, pieces, false);
    fuzz::checkSame(a, b);
    if (a.error && (a.errorStatus < 400 || a.errorStatus > 599))
        std::abort(); // a request is refused with a status
    for (const auto &m : a.messages) {
        fuzz::checkMessage(m, limits);
        if (m.method.isEmpty() || m.target.isEmpty() || m.bodyBytes > limits.maxBodyBytes)
            std::abort();
    }
    return 0;
}
