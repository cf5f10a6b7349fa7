// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: bytes as a JSON Lines attempt log (File → Open attempt log). Reading either
// succeeds or names the bad line; it never crashes, whatever the numbers in the lines.
#include "log/jsonl_log.h"

#include <cstdint>
#include <cstdlib>

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    AttemptLog log(10'000);
    const JsonlReadResult result = readJsonlLog(bytes, log, QStringLiteral("fuzz.jsonl"));
    if (!result.ok && result.error.isEmpty())
        std::abort();
    if (result.ok) {
        // What was read writes back out.
        log.forEach([&](const AttemptRecord &r) { (void)attemptToJson(r, log); });
        for (const BreakerRecord &b : log.breakerRecords())
            (void)breakerToJson(b);
    }
    return 0;
}
