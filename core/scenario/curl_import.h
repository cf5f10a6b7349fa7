// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
};

// Reads `curl -X POST URL -H 'A: b' -d '...'` (POSIX shell quoting: '...', "...", \, and line
// continuations). Knows -X/--request, -H/--header, -d/--data/--data-raw/--data-binary/--json,
// --url, -G is refused, -I/--head; says which other options it ignored.
CurlImport importCurl(const QString &command);

} // namespace retrylab
