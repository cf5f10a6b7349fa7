// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/field_problem.h"
#include "log/run_summary.h"

#include <QJsonObject>

#include <optional>

namespace retrylab {

// What a QA pipeline asserts about a run, carried by the scenario ("expectations"). Each set
// bound is checked against the run's summary; the headless mode exits 1 when any fails.
struct Expectations {
    std::optional<qint64> maxDuplicates;         // duplicate effects in the server's ledger
    std::optional<qint64> minDuplicates;         // for demos that must show the problem
    std::optional<double> minCompliancePercent;  // Retry-After, client and server side
    std::optional<double> minSuccessPercent;     // operations that succeeded
    std::optional<double> maxP99Ms;              // completion time of operations
    std::optional<double> maxAmplification;      // attempts sent per operation
    std::optional<qint64> maxPeakServerPer100ms; // the server's busiest 100 ms

    bool isEmpty() const;
    // These bounds with every bound `specific` sets taken from it instead: the scenario's
    // expectations for one compared policy, overridden by that policy's own.
    Expectations overriddenBy(const Expectations &specific) const;
    bool operator==(const Expectations &) const = default;

    struct Result {
        QString name;     // "maxDuplicates"
        QString bound;    // "≤ 0"
        QString measured; // "3"
        bool passed = false;
        bool measurable = true; // false: the run cannot tell (no server ledger for a URL)
    };
    QList<Result> check(const RunSummary &summary) const;

    QJsonObject toJson() const;
    // Field names in problems are relative to the object read ("maxP99Ms"); the scenario's
    // reader puts them under "expectations" or "compare[i].expectations".
    static std::optional<Expectations> fromJson(const QJsonObject &json, FieldProblems *problems);
};

} // namespace retrylab
