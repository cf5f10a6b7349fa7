// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace retrylab {

// The built-in server's counters at one moment, as a value: what the server panel, the engine
// thread and the admin API's /__admin/stats read (the latter as toJson()).
struct ServerStats {
    QString profile;
    Duration uptime{0};
    qint64 requests = 0;
    double requestsPerSecond = 0;
    qint64 requestsLastSecond = 0;
    int inFlight = 0;
    int openConnections = 0;
    qint64 refused = 0;         // requests refused before a handler saw them (bad framing, limits)
    QMap<int, qint64> byStatus; // 0: no HTTP response was sent
    QMap<QString, qint64> byDecision;
    qint64 retryAfterJudged = 0; // arrivals that had a wait to honour
    qint64 retryAfterViolations = 0;
    qint64 payments = 0;
    qint64 paymentOperations = 0;
    qint64 duplicates = 0;
    QString idempotencyMode;
    int journalCapacity = 0;
    qint64 journalDropped = 0;
    bool outageActive = false;
    Duration outageEndsIn{0};

    double compliancePercent() const;
    // The admin API's form (field names are part of its contract).
    QJsonObject toJson() const;
};

} // namespace retrylab
