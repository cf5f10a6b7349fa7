// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pushback.h"

namespace retrylab {

// The headers Retry Lab adds to every attempt, so a server (the built-in one or any other)
// can tell clients, operations and attempts apart: X-Client-Id, X-Attempt, X-Operation-Id,
// and Idempotency-Key when the operation has a key. The engine sends them; exports rebuild
// them from the record instead of storing them per attempt.
HeaderList generatedHeaders(std::uint32_t client, std::uint32_t operation, int attempt,
                            const QString &idempotencyKey);
bool isGeneratedHeader(QByteArrayView name);

} // namespace retrylab
