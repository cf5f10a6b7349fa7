// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace retrylab {

// One scripted answer of a fault profile's route: what attempt N of an operation gets
// (core/mock/README.md, "Scripts").
struct ScriptStep {
    int status = 200;
    QString fault;      // "" (answer with `status`) | reset | close | hang | truncate | garbage |
                        // slow-body | commit-then-lose
    QString retryAfter; // "" | whole seconds "2" | "date+3s" (an HTTP-date 3 s ahead) | any
                        // other text, sent as written
    bool operator==(const ScriptStep &) const = default;

    // The Retry-After value to send at `wallNow`, and the wait it asks for (none when the
    // text is not a valid Retry-After).
    QByteArray retryAfterValue(const QDateTime &wallNow, std::optional<Duration> *asked) const;

    QJsonObject toJson() const;
    // Reads {"status": 503, "retryAfter": "2"}, {"fault": "reset"}; says what is wrong.
    static std::optional<ScriptStep> fromJson(const QJsonValue &json, QString *error);
};

} // namespace retrylab
