// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the snippet generators (policy_snippet_*.cpp); not a public header.

#include "client_policy.h"

#include <QStringList>

namespace retrylab::snippet {

// Milliseconds and seconds as the snippets write them: whole numbers where they are whole.
QString ms(Duration d);
QString seconds(Duration d); // "0.1", "2"
bool retriesNetworkFailures(const RetryPolicy &p);
bool retriesTimeouts(const RetryPolicy &p);
QString statusList(const QList<int> &statuses, const QString &separator = QStringLiteral(", "));
// What the policy does that no formula of the library reproduces, as plain sentences.
QStringList commonLimits(const ClientPolicy &p, const QString &library, bool hasBreaker,
                         bool hasBudget);
QString commentBlock(const QStringList &lines, const QString &prefix);

QString pollyV8(const ClientPolicy &p, const QString &name);
QString resilience4jJava(const ClientPolicy &p, const QString &name);
QString resilience4jYaml(const ClientPolicy &p, const QString &name);
QString tenacity(const ClientPolicy &p, const QString &name);
QString urllib3(const ClientPolicy &p, const QString &name);
QString awsSdk(const ClientPolicy &p, const QString &name);
QString grpcServiceConfig(const ClientPolicy &p, const QString &name);
QString envoyRoute(const ClientPolicy &p, const QString &name);

} // namespace retrylab::snippet
