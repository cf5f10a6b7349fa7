// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client_policy.h"

namespace retrylab {

// The libraries a policy can be written out for, as configuration or code a team pastes into
// its own service. What a library cannot express is said in a comment in the snippet, never
// silently dropped.
enum class SnippetTarget {
    PollyV8,           // C#, Polly.Core 8
    Resilience4jJava,  // Java, resilience4j 2
    Resilience4jYaml,  // Spring Boot application.yml
    Tenacity,          // Python
    Urllib3,           // Python, urllib3 2 Retry
    AwsSdk,            // shared config file / environment
    GrpcServiceConfig, // JSON service config (gRPC A6)
    EnvoyRoute,        // route retry_policy (YAML)
};

namespace snippet {
QList<SnippetTarget> all();
QString id(SnippetTarget t);    // "polly-v8": file names, the command line
QString title(SnippetTarget t); // "Polly v8 (C#)"
QString fileSuffix(SnippetTarget t);
std::optional<SnippetTarget> fromId(const QString &id);
// The snippet itself. `name` names the policy in it (a pipeline, an instance, a comment).
QString generate(const ClientPolicy &policy, SnippetTarget target,
                 const QString &name = QStringLiteral("retrylab"));
} // namespace snippet

} // namespace retrylab
