// SPDX-License-Identifier: GPL-3.0-or-later
#include "retry_budget.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

QString budgetKindId(BudgetKind k)
{
    switch (k) {
    case BudgetKind::None:
        return u"none"_s;
    case BudgetKind::TokenBucket:
        return u"token-bucket"_s;
    case BudgetKind::AwsQuota:
        return u"aws-quota"_s;
    }
    return {};
}

std::optional<BudgetKind> budgetKindFromId(const QString &id)
{
    for (const auto k : {BudgetKind::None, BudgetKind::TokenBucket, BudgetKind::AwsQuota})
        if (budgetKindId(k) == id)
            return k;
    return std::nullopt;
}

FieldProblems BudgetConfig::validate() const
{
    FieldProblems p;
    if (kind == BudgetKind::TokenBucket) {
        // gRPC's own limits: 0 < maxTokens <= 1000, tokenRatio > 0.
        if (!(maxTokens > 0.0) || maxTokens > 1000.0)
            p.append({u"maxTokens"_s, u"maxTokens must be above 0 and at most 1000"_s});
        if (!(tokenRatio > 0.0) || tokenRatio > maxTokens)
            p.append({u"tokenRatio"_s, u"tokenRatio must be above 0 and at most maxTokens"_s});
    } else if (kind == BudgetKind::AwsQuota) {
        if (quotaCapacity < 1)
            p.append({u"quotaCapacity"_s, u"the quota must hold at least 1 token"_s});
        if (retryCost < 0)
            p.append({u"retryCost"_s, u"a retry cannot cost less than 0"_s});
        if (timeoutRetryCost < 0)
            p.append({u"timeoutRetryCost"_s, u"a retry cannot cost less than 0"_s});
        if (successReward < 0)
            p.append({u"successReward"_s, u"the reward cannot be negative"_s});
    }
    return p;
}

RetryBudget::RetryBudget(const BudgetConfig &config)
    : m_config(config)
{
    reset();
}

double RetryBudget::capacity() const
{
    switch (m_config.kind) {
    case BudgetKind::TokenBucket:
        return m_config.maxTokens;
    case BudgetKind::AwsQuota:
        return m_config.quotaCapacity;
    case BudgetKind::None:
        break;
    }
    return 0.0;
}

void RetryBudget::reset()
{
    m_level = capacity();
    m_denied = 0;
}

RetryBudget::Permit RetryBudget::tryAcquireRetry(OutcomeClass previous)
{
    switch (m_config.kind) {
    case BudgetKind::None:
        return {true, 0.0};
    case BudgetKind::TokenBucket:
        if (m_level > m_config.maxTokens / 2.0)
            return {true, 0.0};
        ++m_denied;
        return {false, 0.0};
    case BudgetKind::AwsQuota: {
        const double cost =
            previous == OutcomeClass::Timeout ? m_config.timeoutRetryCost : m_config.retryCost;
        if (m_level < cost) {
            ++m_denied;
            return {false, 0.0};
        }
        m_level -= cost;
        return {true, cost};
    }
    }
    return {};
}

void RetryBudget::onAttemptSucceeded(double retryCost)
{
    switch (m_config.kind) {
    case BudgetKind::None:
        return;
    case BudgetKind::TokenBucket:
        m_level = std::min(m_config.maxTokens, m_level + m_config.tokenRatio);
        return;
    case BudgetKind::AwsQuota:
        m_level =
            std::min<double>(m_config.quotaCapacity,
                             m_level + (retryCost > 0.0 ? retryCost : m_config.successReward));
        return;
    }
}

void RetryBudget::onAttemptFailed()
{
    if (m_config.kind == BudgetKind::TokenBucket)
        m_level = std::max(0.0, m_level - 1.0);
}

} // namespace retrylab
