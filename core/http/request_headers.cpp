// SPDX-License-Identifier: GPL-3.0-or-later
#include "request_headers.h"

#include "idempotency.h"

namespace retrylab {

HeaderList generatedHeaders(std::uint32_t client, std::uint32_t operation, int attempt,
                            const QString &idempotencyKey)
{
    HeaderList h;
    h.append({"X-Client-Id", QByteArray::number(client)});
    h.append({"X-Attempt", QByteArray::number(attempt)});
    h.append({"X-Operation-Id", QByteArray::number(client) + '-' + QByteArray::number(operation)});
    if (!idempotencyKey.isEmpty())
        h.append({"Idempotency-Key",
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
