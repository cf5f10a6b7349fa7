// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to MockService: what its handlers read of a request.
#pragma once

#include "mock_service.h"

#include <QUrlQuery>

namespace retrylab {

struct MockService::Parsed {
    const ServiceRequest &request;
    QString method;
    QString path; // decoded, without the query
    QUrlQuery query;
    QString clientId; // X-Client-Id
    int attempt = 0;  // X-Attempt
    QString operationId;
    QString key; // a valid Idempotency-Key, or empty
    QString keyError;
    QByteArray userAgent;
    QByteArray chainValue; // the header ClientChains was told to read
    Duration at{0};
    QDateTime wall;

    // `paths`: recent paths as text, so that a path asked for again shares the text (and the
    // journal entries that keep it share it too) instead of allocating it per request.
    static Parsed read(const ServiceRequest &r, Duration now, const QDateTime &wall,
                       PathCache *paths, const QByteArray &chainHeader);
};

} // namespace retrylab
