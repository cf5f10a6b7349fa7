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
// Whether the policy honours Retry-After in one of Retry Lab's own ways (honour, capped, larger
// of both): what the code snippets can write. A library's own header mode (gRPC pushback,
// x-amz-retry-after, Envoy's rate-limited backoff) is said in a note instead.
bool readsRetryAfter(const RetryPolicy &p);
QString libraryHeaderNote(const RetryPolicy &p, const QString &library);

QString pollyV8(const ClientPolicy &p, const QString &name);
QString resilience4jJava(const ClientPolicy &p, const QString &name);
QString resilience4jYaml(const ClientPolicy &p, const QString &name);
QString tenacity(const ClientPolicy &p, const QString &name);
QString urllib3(const ClientPolicy &p, const QString &name);
QString awsSdk(const ClientPolicy &p, const QString &name);
QString grpcServiceConfig(const ClientPolicy &p, const QString &name);
QString envoyRoute(const ClientPolicy &p, const QString &name);

} // namespace retrylab::snippet
