// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/retry_budget.h"

#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestRetryBudget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noneAlwaysAllows()
    {
        RetryBudget b(BudgetConfig{});
        for (int i = 0; i < 1000; ++i) {
            b.onAttemptFailed();
            QVERIFY(b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        }
    }

    // gRPC A6: tokens start at maxTokens, −1 per failure, +ratio per success, retries only
    // while tokens > maxTokens / 2.
    void grpcTokenBucketDrainsAndRefills()
    {
        BudgetConfig c;
        c.kind = BudgetKind::TokenBucket;
        c.maxTokens = 10;
        c.tokenRatio = 0.5;
        RetryBudget b(c);
        QCOMPARE(b.level(), 10.0);
        for (int i = 0; i < 4; ++i) {
            b.onAttemptFailed();
            QVERIFY(b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        }
        b.onAttemptFailed(); // 5 tokens: not above 5
        QCOMPARE(b.level(), 5.0);
        QVERIFY(!b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        QCOMPARE(b.denied(), 1);
        for (int i = 0; i < 20; ++i)
            b.onAttemptFailed();
        QCOMPARE(b.level(), 0.0); // never below 0
        for (int i = 0; i < 10; ++i)
            b.onAttemptSucceeded(0);
        QCOMPARE(b.level(), 5.0);
        QVERIFY(!b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        b.onAttemptSucceeded(0);
        QVERIFY(b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        for (int i = 0; i < 100; ++i)
            b.onAttemptSucceeded(0);
        QCOMPARE(b.level(), 10.0); // never above max
    }

    // AWS SDK standard mode: 500 tokens, 5 per retry, 10 after a timeout, a successful retry
    // returns its cost, a success without retry returns 1.
    void awsQuota()
    {
        BudgetConfig c;
        c.kind = BudgetKind::AwsQuota;
        RetryBudget b(c);
        QCOMPARE(b.level(), 500.0);
        auto p = b.tryAcquireRetry(OutcomeClass::ServerError);
        QVERIFY(p.allowed);
        QCOMPARE(p.cost, 5.0);
        QCOMPARE(b.level(), 495.0);
        p = b.tryAcquireRetry(OutcomeClass::Timeout);
        QCOMPARE(p.cost, 10.0);
        QCOMPARE(b.level(), 485.0);
        b.onAttemptSucceeded(p.cost);
        QCOMPARE(b.level(), 495.0);
        b.onAttemptSucceeded(0);
        QCOMPARE(b.level(), 496.0);
        // Drain: 99 retries of 5 leave 1 token, then it refuses.
        int granted = 0;
        while (b.tryAcquireRetry(OutcomeClass::ServerError).allowed)
            ++granted;
        QCOMPARE(granted, 99);
        QCOMPARE(b.level(), 1.0);
        QCOMPARE(b.denied(), 1);
        for (int i = 0; i < 4; ++i)
            b.onAttemptSucceeded(0);
        QVERIFY(b.tryAcquireRetry(OutcomeClass::ServerError).allowed);
        for (int i = 0; i < 1000; ++i)
            b.onAttemptSucceeded(5);
        QCOMPARE(b.level(), 500.0);
        b.reset();
        QCOMPARE(b.denied(), 0);
    }

    void validate()
    {
        BudgetConfig c;
        c.kind = BudgetKind::TokenBucket;
        c.maxTokens = 0;
        QCOMPARE(c.validate().front().field, u"maxTokens"_s);
        c = {};
        c.kind = BudgetKind::AwsQuota;
        c.quotaCapacity = 0;
        QCOMPARE(c.validate().front().field, u"quotaCapacity"_s);
        QVERIFY(BudgetConfig{}.validate().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRetryBudget)
#include "tst_retry_budget.moc"
