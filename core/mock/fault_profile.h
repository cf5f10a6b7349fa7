// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"
#include "base/field_problem.h"
#include "base/limits.h"
#include "script_step.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace retrylab {

struct WeightedStatus {
    int status = 200;
    double weight = 1.0;
    bool operator==(const WeightedStatus &) const = default;
};

// How a Retry-After (and its relatives) is written on 429/503 answers.
struct RetryAfterSpec {
    QList<int> on{429, 503}; // statuses that carry it
    int minSeconds = 1;
    int maxSeconds = 3;
    QString form = QStringLiteral("seconds"); // seconds | http-date | rfc850 | asctime | mixed
    bool send = true;                         // false: only the headers in `also`
    QString awkward;  // "" | zero | past-date | negative | fraction | garbage | huge |
                      // two-headers
    QStringList also; // ratelimit | x-ratelimit-reset-delta | x-ratelimit-reset-epoch |
                      // x-amz-retry-after
    bool operator==(const RetryAfterSpec &) const = default;
};

struct LatencySpec {
    QString kind = QStringLiteral("fixed"); // fixed | uniform | normal | lognormal
    double ms = 0;                          // fixed
    double minMs = 0, maxMs = 0;            // uniform; maxMs also caps lognormal
    double meanMs = 0, stddevMs = 0;        // normal
    double medianMs = 0, sigma = 0;         // lognormal
    bool operator==(const LatencySpec &) const = default;
};

// Connection-level faults, each a probability per request.
struct ConnectionFaults {
    double reset = 0;    // RST before any response
    double close = 0;    // FIN without a response
    double hang = 0;     // keep the socket open, send nothing
    double truncate = 0; // Content-Length larger than what is sent, then close
    double garbage = 0;  // bytes that are not HTTP, then close
    double slowBody = 0; // the body dribbled in chunks
    int slowBodyChunks = 5;
    double slowBodyMs = 2000;  // over this long
    double commitThenLose = 0; // the effect happens, then RST before the response
    double total() const
    {
        return reset + close + hang + truncate + garbage + slowBody + commitThenLose;
    }
    bool operator==(const ConnectionFaults &) const = default;
};

struct FailFirst {
    int count = 0;                       // the first N requests of each key/client fail
    QString per = QStringLiteral("key"); // key | client
    int status = 503;
    bool operator==(const FailFirst &) const = default;
};

// The behaviour of the requests that match one method and path pattern.
struct RouteProfile {
    QString method = QStringLiteral("*");
    QString path = QStringLiteral("/*"); // exact, or a prefix ending in *
    QList<WeightedStatus> statuses{{200, 1.0}};
    RetryAfterSpec retryAfter;
    LatencySpec latency;
    ConnectionFaults faults;
    FailFirst failFirst;
    // Attempt N of each operation (ClientChains) gets script[N-1]; later attempts, and every
    // attempt when it is empty, get the rest of the route (statuses, faults, ...).
    QList<ScriptStep> script;
    bool matches(QStringView method, QStringView path) const;
    bool operator==(const RouteProfile &) const = default;
};

struct OutageWindow {
    Duration start{0}; // since the server started (or was reset)
    Duration end{0};
    int status = 503;
    bool operator==(const OutageWindow &) const = default;
};

struct CapacitySpec {
    int maxConcurrent = 0;    // 0 = unlimited
    double ratePerSecond = 0; // token bucket; 0 = unlimited
    double burst = 0;         // bucket size (0 = ratePerSecond)
    int status = 503;
    int retryAfterSeconds = 1;
    bool operator==(const CapacitySpec &) const = default;
};

struct IdempotencySpec {
    QString mode = QStringLiteral("ietf"); // ietf | stripe
    bool required = false;                 // POST /payments without a key is 400
    Duration retention = std::chrono::hours(24);
    bool operator==(const IdempotencySpec &) const = default;
};

struct ServerLimits {
    int maxHeaderBytes = limits::kServerHeaderBytes;
    qint64 maxBodyBytes = limits::kServerBodyBytes;
    Duration idleTimeout = std::chrono::seconds(30);
    Duration hangMax = std::chrono::minutes(5);
    // From a request's first byte to the end of its head; then 408 and close (slowloris).
    Duration headerTimeout = std::chrono::seconds(10);
    // Open connections; past it the longest-idle keep-alive connection is closed for a new
    // one (and fewer when the process may not open that many descriptors).
    int maxConnections = 10'000;
    int journalCapacity = limits::kJournalCapacity;
    bool operator==(const ServerLimits &) const = default;
};

// Everything the built-in flaky server does, as one value with a JSON form.
struct FaultProfile {
    QString name = QStringLiteral("healthy");
    QString description;
    QList<RouteProfile> routes{RouteProfile{}};
    QList<OutageWindow> outages;
    CapacitySpec capacity;
    IdempotencySpec idempotency;
    ServerLimits limits;

    bool operator==(const FaultProfile &) const = default;

    // The first route that matches, or nullptr.
    const RouteProfile *route(QStringView method, QStringView path) const;

    QJsonObject toJson() const;
    // Reads a profile; every problem names its field ("routes[0].statuses[1].weight").
    static std::optional<FaultProfile> fromJson(const QJsonObject &json, FieldProblems *problems);
    // Reads a file (or a ":/profiles/..." resource); problems name the file too.
    static std::optional<FaultProfile> load(const QString &path, QString *error);
    bool save(const QString &path, QString *error) const;

    // The ready profiles shipped in resources/profiles.
    static QStringList readyProfiles();
    static std::optional<FaultProfile> ready(const QString &name);
};

} // namespace retrylab
