// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"
#include "redactor.h"

#include <QJsonDocument>

namespace retrylab {

// The attempt log as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), which a
// browser's network panel opens: one entry per attempt with its request and response headers
// (secrets redacted) and timings, and the retry metadata in `_retrylab` custom fields.
// Attempts that were never sent (refused by a breaker or a budget) are entries with status 0
// and `_retrylab.sent` false, as browsers record requests that got no response.
QJsonDocument toHar(const AttemptLog &log, const Redactor &redactor);
bool writeHar(const AttemptLog &log, const QString &fileName, const Redactor &redactor,
              QString *error);

} // namespace retrylab
