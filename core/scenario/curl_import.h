// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "curl_retry.h"
#include "http/pushback.h"

#include <QStringList>
#include <QUrl>

namespace retrylab {

// What a pasted curl command asks for, and what of it could not be taken over.
struct CurlImport {
    bool ok = false;
    QString error; // when not ok: why
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    QStringList ignored; // options understood but not applicable, or unknown, said plainly
    // curl's own retries (--retry, --max-time, ...) as a policy; none when the command has none.
    std::optional<ClientPolicy> policy;
    QString policyNote; // what that policy does, in a line
};

// Reads `curl -X POST URL -H 'A: b' -d '...'` (POSIX shell quoting: '...', "...", \, and line
// continuations). Knows -X/--request, -H/--header, -d/--data/--data-raw/--data-binary/--json,
// --url, -G is refused, -I/--head, -u/--user (Basic), and curl's retry options (curl_retry.h);
// says which other options it ignored.
CurlImport importCurl(const QString &command);

} // namespace retrylab
