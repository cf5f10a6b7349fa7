// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: bytes as a pasted curl command. An import either succeeds with a usable request
// (a method token, headers that go on the wire as they are) or says why not; it never crashes.
#include "http/wire/message_writer.h"
#include "http/wire/wire_syntax.h"
#include "scenario/curl_import.h"

#include <cstdint>
#include <cstdlib>

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const CurlImport imported =
        importCurl(QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!imported.ok) {
        if (imported.error.isEmpty())
            std::abort();
        return 0;
    }
    if (!wire::isToken(imported.method))
        std::abort(); // would break the request line
    for (const auto &[name, value] : imported.headers)
        if (!wire::validField(name, value))
            std::abort(); // would split into two header lines on the wire
    return 0;
}
