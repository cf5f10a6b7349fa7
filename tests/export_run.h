// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The run tst_export and tst_jsonl_log write out: payments with secrets in their headers,
// keys, a lossy server and a breaker that trips now and then, seeded; and a fixed target and
// start for it.
#include "log/attempt_log.h"
#include "scenario/scenario.h"

#include <QTimeZone>

inline retrylab::Scenario payments()
{
    retrylab::Scenario s;
    s.name = QStringLiteral("export");
    s.simulated = true;
    s.clients = 5;
    s.operationsPerClient = 10;
    s.method = "POST";
    s.path = QStringLiteral("/payments?currency=EUR");
    s.body = R"({"amount": 5, "currency": "EUR"})"; // what the server accepts
    s.headers = {
        {"Authorization", "Bearer s3cret"}, {"X-Api-Key", "k-123"}, {"Accept", "application/json"}};
    s.keys = retrylab::KeyMode::PerOperation;
    s.profile = *retrylab::FaultProfile::ready(QStringLiteral("payments-lossy"));
    s.policy.breaker.enabled = true;
    s.policy.breaker.consecutiveFailures = 1;
    s.policy.breaker.openDuration = std::chrono::milliseconds(100);
    s.sharedBreaker = true; // one breaker that trips now and then: refusals in the log
    s.seed = 21;
    return s;
}

// A fixed target and start, so the HAR's URLs and dates are known.
inline retrylab::AttemptLog::RunInfo runInfo(const retrylab::Scenario &s)
{
    return {s.toJson(),
            QUrl(QStringLiteral("http://127.0.0.1:8080/")),
            QDateTime(QDate(2026, 11, 29), QTime(10, 0), QTimeZone::utc()),
            {}};
}
