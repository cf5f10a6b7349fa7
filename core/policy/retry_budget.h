// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/field_problem.h"
#include "http/outcome.h"

#include <optional>

namespace retrylab {

enum class BudgetKind {
    None,
    TokenBucket, // gRPC retry throttling (A6)
    AwsQuota,    // AWS SDK standard mode retry quota
};

QString budgetKindId(BudgetKind k);
std::optional<BudgetKind> budgetKindFromId(const QString &id);

// Parameters of a retry budget (core/policy/README.md, "Retry budgets").
struct BudgetConfig {
    BudgetKind kind = BudgetKind::None;
    // gRPC: tokens start at maxTokens; each attempt that failed with a retryable status (or a
    // "do not retry" pushback) −1, each success +tokenRatio; retries only while tokens >
    // maxTokens / 2.
    double maxTokens = 10.0;
    double tokenRatio = 0.1;
    // AWS: a retry costs retryCost (timeoutRetryCost after a timeout); a 2xx after a retry
    // gives that retry's cost back, a 2xx that needed no retry adds successReward. Nothing
    // else refunds (botocore's release_retry_quota).
    int quotaCapacity = 500;
    int retryCost = 5;
    int timeoutRetryCost = 10;
    int successReward = 1;

    bool operator==(const BudgetConfig &) const = default;
    FieldProblems validate() const; // field names are paths under "budget"
};

// The state of one retry budget, shared by whoever shares it (one client or all of them).
class RetryBudget
{
public:
    explicit RetryBudget(const BudgetConfig &config);

    const BudgetConfig &config() const { return m_config; }

    struct Permit {
        bool allowed = true;
        double cost = 0.0; // what the AWS quota took; give it back with onSuccess
    };
    // May the operation retry after an attempt that ended with `previous`?
    Permit tryAcquireRetry(OutcomeClass previous);

    // Report a 2xx (onAttemptSucceeded) and a failure the policy counts against the budget
    // (onAttemptFailed); other answers change nothing. `retryCost` is what tryAcquireRetry took
    // for this attempt (0 for a first attempt): botocore gives back that, not the sum.
    void onAttemptSucceeded(double retryCost);
    void onAttemptFailed();

    double level() const { return m_level; }
    double capacity() const;
    qint64 denied() const { return m_denied; }
    void reset();

private:
    BudgetConfig m_config;
    double m_level = 0.0;
    qint64 m_denied = 0;
};

} // namespace retrylab
