// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy_snippet.h"

#include "policy_snippet_parts.h"

using namespace Qt::StringLiterals;

namespace retrylab {

namespace snippet {

namespace {
struct Info {
    SnippetTarget target;
    const char *id;
    const char *title;
    const char *suffix;
};
constexpr Info kInfo[] = {
    {SnippetTarget::PollyV8, "polly-v8", "Polly v8 (C#)", "cs"},
    {SnippetTarget::Resilience4jJava, "resilience4j-java", "resilience4j (Java)", "java"},
    {SnippetTarget::Resilience4jYaml, "resilience4j-yaml", "resilience4j (Spring Boot YAML)",
     "yml"},
    {SnippetTarget::Tenacity, "tenacity", "tenacity (Python)", "py"},
    {SnippetTarget::Urllib3, "urllib3", "urllib3 Retry (Python)", "py"},
    {SnippetTarget::AwsSdk, "aws-sdk", "AWS SDK retry settings", "ini"},
    {SnippetTarget::GrpcServiceConfig, "grpc-service-config", "gRPC service config (JSON)", "json"},
    {SnippetTarget::EnvoyRoute, "envoy-route", "Envoy route retry_policy (YAML)", "yaml"},
};
const Info &info(SnippetTarget t)
{
    for (const Info &i : kInfo)
        if (i.target == t)
            return i;
    return kInfo[0];
}
} // namespace

QString ms(Duration d)
{
    return QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

QString seconds(Duration d)
{
    return QString::number(std::chrono::duration<double>(d).count(), 'g', 10);
}

bool retriesNetworkFailures(const RetryPolicy &p)
{
    return p.retryableFailures.contains(OutcomeClass::ConnectionReset) ||
           p.retryableFailures.contains(OutcomeClass::ConnectionRefused);
}

bool retriesTimeouts(const RetryPolicy &p)
{
    return p.retryableFailures.contains(OutcomeClass::Timeout);
}

QString statusList(const QList<int> &statuses, const QString &separator)
{
    QStringList parts;
    for (int s : statuses)
        parts << QString::number(s);
    return parts.join(separator);
}

QStringList commonLimits(const ClientPolicy &p, const QString &library, bool hasBreaker,
                         bool hasBudget)
{
    QStringList notes;
    if (p.breaker.enabled && !hasBreaker)
        notes << u"%1 has no circuit breaker: the breaker (%2) is not expressed here."_s.arg(
            library,
            p.breaker.rule == TripRule::ConsecutiveFailures
                ? u"%1 failures in a row, open %2 ms"_s.arg(p.breaker.consecutiveFailures)
                      .arg(ms(p.breaker.openDuration))
                : u"failure rate %1%, open %2 ms"_s.arg(p.breaker.failureRateThreshold * 100)
                      .arg(ms(p.breaker.openDuration)));
    if (p.budget.kind != BudgetKind::None && !hasBudget)
        notes << u"%1 has no retry budget: the %2 budget is not expressed here."_s.arg(
            library, budgetKindId(p.budget.kind));
    if (p.retry.backoff.firstRetryExponent != 0)
        notes << u"Retry Lab counts the first retry as exponent %1 here (its first exponential "
                 "wait is base × %2^%1); the formulas below start at exponent 0, so give them a "
                 "base of base × %2^%1 to match."_s.arg(p.retry.backoff.firstRetryExponent)
                     .arg(p.retry.backoff.multiplier);
    if (!p.retry.retryNonIdempotentWithoutKey)
        notes << u"Retry Lab retries POST and PATCH only when they carry an Idempotency-Key; "
                 "apply this policy to idempotent requests (or keyed ones) only."_s;
    return notes;
}

QString commentBlock(const QStringList &lines, const QString &prefix)
{
    QString out;
    for (const QString &l : lines)
        out += prefix + l + u'\n';
    return out;
}

bool readsRetryAfter(const RetryPolicy &p)
{
    return p.retryAfterMode == RetryAfterMode::Honour ||
           p.retryAfterMode == RetryAfterMode::HonourCapped ||
           p.retryAfterMode == RetryAfterMode::LargerOfBoth;
}

QString libraryHeaderNote(const RetryPolicy &p, const QString &library)
{
    if (p.retryAfterMode == RetryAfterMode::Ignore || readsRetryAfter(p))
        return {};
    return u"The policy reads one library's own header (%1); %2 does not, and this snippet "
           "ignores it."_s.arg(retryAfterModeTitle(p.retryAfterMode), library);
}

QList<SnippetTarget> all()
{
    QList<SnippetTarget> list;
    for (const Info &i : kInfo)
        list << i.target;
    return list;
}

QString id(SnippetTarget t)
{
    return QString::fromLatin1(info(t).id);
}

QString title(SnippetTarget t)
{
    return QString::fromLatin1(info(t).title);
}

QString fileSuffix(SnippetTarget t)
{
    return QString::fromLatin1(info(t).suffix);
}

std::optional<SnippetTarget> fromId(const QString &text)
{
    for (const Info &i : kInfo)
        if (text == QLatin1String(i.id))
            return i.target;
    return std::nullopt;
}

QString generate(const ClientPolicy &policy, SnippetTarget target, const QString &name)
{
    switch (target) {
    case SnippetTarget::PollyV8:
        return pollyV8(policy, name);
    case SnippetTarget::Resilience4jJava:
        return resilience4jJava(policy, name);
    case SnippetTarget::Resilience4jYaml:
        return resilience4jYaml(policy, name);
    case SnippetTarget::Tenacity:
        return tenacity(policy, name);
    case SnippetTarget::Urllib3:
        return urllib3(policy, name);
    case SnippetTarget::AwsSdk:
        return awsSdk(policy, name);
    case SnippetTarget::GrpcServiceConfig:
        return grpcServiceConfig(policy, name);
    case SnippetTarget::EnvoyRoute:
        return envoyRoute(policy, name);
    }
    return {};
}

} // namespace snippet

} // namespace retrylab
