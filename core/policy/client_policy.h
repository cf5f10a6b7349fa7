// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "circuit_breaker.h"
#include "retry_budget.h"
#include "retry_policy.h"

#include <QJsonObject>

namespace retrylab {

// Everything a client decides retries with: the retry policy, its breaker and its budget.
// This is what the policy editor edits and what a scenario's "policy" object holds.
struct ClientPolicy {
    RetryPolicy retry;
    BreakerConfig breaker;
    BudgetConfig budget;

    bool operator==(const ClientPolicy &) const = default;

    // All problems, with field paths "retry.backoff.cap", "breaker.openDuration", ...
    FieldProblems validate() const;
    FieldProblems advise() const;

    QJsonObject toJson() const;
    // Reads what toJson wrote. Missing fields keep their defaults; a present field of the
    // wrong type or value is a problem naming its path. The result is only set when there
    // are no problems.
    static std::optional<ClientPolicy> fromJson(const QJsonObject &json, FieldProblems *problems);
};

// A named starting point that reproduces a library's defaults, as one version of the library
// has them. core/policy/README.md lists every preset with its formula and first waits.
struct PolicyPreset {
    QString id;
    QString title;
    QString description; // what it is and where the numbers come from
    QString library;     // "botocore", "grpc-go, grpc-java, gRPC C-core"
    QString version;     // the version (or dated revision) whose behaviour it reproduces
    QString source;      // the source file(s) read, relative to the library's repository
    ClientPolicy policy;
};

QList<PolicyPreset> policyPresets();
std::optional<PolicyPreset> findPreset(const QString &id);

} // namespace retrylab
