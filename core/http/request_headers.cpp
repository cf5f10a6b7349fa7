// SPDX-License-Identifier: GPL-3.0-or-later
#include "request_headers.h"

#include "idempotency.h"

namespace retrylab {

HeaderList generatedHeaders(std::uint32_t client, std::uint32_t operation, int attempt,
                            const QString &idempotencyKey)
{
    // Built for every attempt, and for every line of its log: the names are static data, not
    // an allocation each.
    HeaderList h;
    h.reserve(4);
    h.append({QByteArrayLiteral("X-Client-Id"), QByteArray::number(client)});
    h.append({QByteArrayLiteral("X-Attempt"), QByteArray::number(attempt)});
    h.append({QByteArrayLiteral("X-Operation-Id"),
              QByteArray::number(client) + '-' + QByteArray::number(operation)});
    if (!idempotencyKey.isEmpty())
        h.append({QByteArrayLiteral("Idempotency-Key"),
                  formatIdempotencyKey(idempotencyKey, IdempotencyKeySyntax::Quoted)});
    return h;
}

bool isGeneratedHeader(QByteArrayView name)
{
    for (const char *g : {"X-Client-Id", "X-Attempt", "X-Operation-Id", "Idempotency-Key"})
        if (name.compare(QByteArrayView(g), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace retrylab
