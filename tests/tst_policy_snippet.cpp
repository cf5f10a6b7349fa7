// SPDX-License-Identifier: GPL-3.0-or-later
// Policy as code: every preset written out for every library, compared with golden files
// (tests/golden/snippets). Regenerate them after a deliberate change with
// RETRYLAB_UPDATE_GOLDEN=1 and read the diff.
#include "mock/mock_server_host.h"
#include "policy/policy_snippet.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// A policy that uses what the presets do not: Retry-After with a cap, a failure-rate
// breaker over a time window, a token-bucket budget, POST retried without a key.
ClientPolicy custom()
{
    ClientPolicy p;
    p.retry.backoff = {BackoffKind::EqualJitter, 200ms, 5s, 3.0, 0.0};
    p.retry.maxAttempts = 7;
    p.retry.totalBudget = 20s;
    p.retry.attemptTimeout = 2s;
    p.retry.retryableStatuses = {408, 429, 500, 503};
    p.retry.retryAfterMode = RetryAfterMode::HonourCapped;
    p.retry.retryAfterCap = 10s;
    p.retry.retryNonIdempotentWithoutKey = true;
    p.breaker.enabled = true;
    p.breaker.rule = TripRule::FailureRate;
    p.breaker.window = WindowKind::Time;
    p.breaker.windowTime = 60s;
    p.breaker.failureRateThreshold = 0.25;
    p.breaker.openGrowth = 2.0;
    p.breaker.halfOpenProbes = 3;
    p.budget.kind = BudgetKind::TokenBucket;
    return p;
}

QList<std::pair<QString, ClientPolicy>> policies()
{
    QList<std::pair<QString, ClientPolicy>> list;
    for (const PolicyPreset &preset : policyPresets())
        list.append({preset.id, preset.policy});
    list.append({u"custom"_s, custom()});
    return list;
}

QString goldenPath(const QString &policy, SnippetTarget t)
{
    return QStringLiteral(GOLDEN_DIR) + u"/"_s + policy + u"."_s + snippet::id(t) + u"."_s +
           snippet::fileSuffix(t);
}

} // namespace

class TestPolicySnippet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesGoldenFile_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("target");
        for (const auto &[name, policy] : policies())
            for (SnippetTarget t : snippet::all())
                QTest::addRow("%s %s", qPrintable(name), qPrintable(snippet::id(t)))
                    << name << int(t);
    }
    void matchesGoldenFile()
    {
        QFETCH(QString, policy);
        QFETCH(int, target);
        const auto t = SnippetTarget(target);
        ClientPolicy p;
        for (const auto &[name, value] : policies())
            if (name == policy)
                p = value;
        const QString text = snippet::generate(p, t, policy);
        QVERIFY(text.contains(u"Retry Lab policy \"%1\""_s.arg(policy)));
        const QString path = goldenPath(policy, t);
        if (qEnvironmentVariableIsSet("RETRYLAB_UPDATE_GOLDEN")) {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(text.toUtf8());
            return;
        }
        QFile golden(path);
        QVERIFY2(golden.open(QIODevice::ReadOnly), qPrintable(path + u" is missing"_s));
        QCOMPARE(text, QString::fromUtf8(golden.readAll()));
    }

    void unsupportedSettingsAreSaidNotDropped()
    {
        const ClientPolicy p = custom();
        // Each library is told what it cannot do, in its own comment syntax.
        QVERIFY(snippet::generate(p, SnippetTarget::Tenacity)
                    .contains(u"# - tenacity has no circuit breaker"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::Urllib3)
                    .contains(u"# - urllib3 honours Retry-After without a cap"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::PollyV8)
                    .contains(u"// - Polly has no retry budget"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::GrpcServiceConfig)
                    .contains(u"// - gRPC caps maxAttempts at 5"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::EnvoyRoute)
                    .contains(u"# - Envoy waits random % interval"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::Resilience4jYaml)
                    .contains(u"# - Retry-After cannot be honoured from YAML"_s));
        QVERIFY(snippet::generate(p, SnippetTarget::AwsSdk)
                    .contains(u"# - The SDKs have no circuit breaker."_s));
    }

    void grpcJsonParses()
    {
        for (const auto &[name, policy] : policies()) {
            const QString text = snippet::generate(policy, SnippetTarget::GrpcServiceConfig);
            const QString json = text.mid(text.indexOf(u"\n{"_s));
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
            QVERIFY2(doc.isObject(), qPrintable(name + u": "_s + error.errorString()));
            const QJsonObject retry = doc[u"methodConfig"_s][0][u"retryPolicy"_s].toObject();
            QVERIFY(retry[u"maxAttempts"_s].toInt() >= 1 && retry[u"maxAttempts"_s].toInt() <= 5);
            QVERIFY(retry[u"initialBackoff"_s].toString().endsWith(u's'));
            QVERIFY(!retry[u"retryableStatusCodes"_s].toArray().isEmpty());
        }
    }

    void pythonSnippetsAreValidPython()
    {
        const QString python = QStandardPaths::findExecutable(u"python3"_s);
        if (python.isEmpty())
            QSKIP("python3 is not installed: the syntax check needs it");
        QTemporaryDir dir;
        for (const auto &[name, policy] : policies()) {
            for (SnippetTarget t : {SnippetTarget::Tenacity, SnippetTarget::Urllib3}) {
                const QString file = dir.filePath(name + u"-"_s + snippet::id(t) + u".py"_s);
                QFile f(file);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write(snippet::generate(policy, t, name).toUtf8());
                f.close();
                QProcess p;
                p.start(python,
                        {u"-c"_s, u"import ast, sys; ast.parse(open(sys.argv[1]).read())"_s, file});
                QVERIFY(p.waitForFinished(20000));
                QVERIFY2(p.exitCode() == 0,
                         qPrintable(file + u": "_s + QString::fromUtf8(p.readAllStandardError())));
            }
        }
    }

    // resilience4j is not packaged in Debian, so the Java snippet cannot be compiled here.
    // Instead: every resilience4j call it makes is one whose 2.x signature was read in
    // resilience4j's source (RetryConfig.Builder, CircuitBreakerConfig.Builder,
    // TimeLimiterConfig.Builder, IntervalFunction, core.functions.Either), and the calls that
    // 2.x does not have are absent (Either.getRight(): 2.x has get(); vavr's Either is gone).
    void resilience4jJavaUsesOnly2xApi()
    {
        const QSet<QString> verified{
            // RetryConfig / RetryConfig.Builder<T>
            u"custom"_s, u"maxAttempts"_s, u"intervalFunction"_s, u"intervalBiFunction"_s,
            u"retryOnResult"_s, u"retryExceptions"_s, u"build"_s,
            // CircuitBreakerConfig.Builder
            u"slidingWindowType"_s, u"slidingWindowSize"_s, u"minimumNumberOfCalls"_s,
            u"failureRateThreshold"_s, u"waitDurationInOpenState"_s,
            u"waitIntervalFunctionInOpenState"_s, u"permittedNumberOfCallsInHalfOpenState"_s,
            u"recordResult"_s,
            // TimeLimiterConfig.Builder
            u"timeoutDuration"_s,
            // IntervalFunction (a Function<Integer, Long>)
            u"of"_s, u"ofExponentialBackoff"_s, u"ofExponentialRandomBackoff"_s, u"apply"_s,
            // io.github.resilience4j.core.functions.Either<Throwable, T>
            u"isRight"_s, u"get"_s,
            // the JDK: HttpResponse, Optional, Set, Math, Long, Duration, ThreadLocalRandom
            u"statusCode"_s, u"headers"_s, u"firstValue"_s, u"map"_s, u"orElse"_s, u"matches"_s,
            u"parseLong"_s, u"contains"_s, u"min"_s, u"pow"_s, u"ofMillis"_s, u"current"_s,
            u"nextDouble"_s};
        static const QRegularExpression call(u"\\.([A-Za-z]+)\\("_s);
        for (const auto &[name, policy] : policies()) {
            const QString text = snippet::generate(policy, SnippetTarget::Resilience4jJava, name);
            QVERIFY(!text.contains(u"getRight"_s));
            QVERIFY(!text.contains(u"io.vavr"_s));
            for (const QString &line : text.split(u'\n')) {
                if (line.trimmed().startsWith(u"//"_s) || line.startsWith(u"import "_s))
                    continue;
                for (const auto &m : call.globalMatch(line))
                    QVERIFY2(verified.contains(m.captured(1)),
                             qPrintable(name + u": ."_s + m.captured(1) + u"() not checked"_s));
            }
            // 2.x: intervalBiFunction replaces intervalFunction, so a snippet uses one of them.
            QVERIFY(!(text.contains(u".intervalBiFunction("_s) &&
                      text.contains(u".intervalFunction("_s)));
        }
    }

    // urllib3: backoff_factor is the base delay (retry k ≥ 2 waits factor × 2^(k−1)), and the
    // snippet says which major version it is for; tenacity gets the multiplier as exp_base.
    void pythonSnippetsStateTheirVersionsAndFactors()
    {
        ClientPolicy p;
        p.retry.backoff = {BackoffKind::FullJitter, 300ms, 10s, 3.0, 0.0};
        const QString urllib3 = snippet::generate(p, SnippetTarget::Urllib3);
        QVERIFY(urllib3.contains(u"backoff_factor=0.3,"_s));
        QVERIFY(urllib3.contains(u"urllib3 2.x"_s));
        const QString tenacity = snippet::generate(p, SnippetTarget::Tenacity);
        QVERIFY(
            tenacity.contains(u"wait_random_exponential(multiplier=0.3, max=10, exp_base=3)"_s));
        QVERIFY(tenacity.contains(u"tenacity (8.x and later)"_s));
    }

    // The urllib3 snippet, run by Python against the built-in server answering 503 without
    // Retry-After: the gaps between the arrivals are urllib3's waits, 0 for the first retry,
    // then backoff_factor × 2^(k−1) = base × 2^n (core/policy/README.md). Needs urllib3 2.x
    // and requests; skipped otherwise (Debian 12's python3-urllib3 is 1.26).
    void urllib3SnippetWaitsAsThePolicySays()
    {
        const QString python = QStandardPaths::findExecutable(u"python3"_s);
        if (python.isEmpty())
            QSKIP("python3 is not installed");
        QProcess probe;
        probe.start(python, {u"-c"_s, u"import requests, urllib3, sys; "
                                      "sys.exit(0 if int(urllib3.__version__.split('.')[0]) >= 2 "
                                      "else 1)"_s});
        if (!probe.waitForFinished(20000) || probe.exitCode() != 0)
            QSKIP("needs requests and urllib3 2.x");

        FaultProfile profile;
        profile.routes.front().statuses = {{503, 1.0}};
        profile.routes.front().retryAfter.on = {};
        MockServerHost server;
        QString error;
        QVERIFY2(server.start(profile, 1, QHostAddress::LocalHost, 0, &error), qPrintable(error));

        ClientPolicy p;
        p.retry.backoff = {BackoffKind::Exponential, 200ms, 10s, 2.0, 0.0};
        p.retry.maxAttempts = 4;
        p.retry.retryAfterMode = RetryAfterMode::Ignore;
        QString code = snippet::generate(p, SnippetTarget::Urllib3, u"live"_s);
        code += u"\nresponse = session.get(\"%1\", timeout=5)\nprint(response.status_code)\n"_s.arg(
            server.url().resolved(QUrl(u"/orders"_s)).toString());
        QTemporaryDir dir;
        QFile file(dir.filePath(u"live.py"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(code.toUtf8());
        file.close();
        QProcess run;
        run.start(python, {file.fileName()});
        QVERIFY(run.waitForFinished(60000));
        QVERIFY2(run.exitCode() == 0, qPrintable(QString::fromUtf8(run.readAllStandardError())));
        const auto journal = server.journal();
        QCOMPARE(QString::fromUtf8(run.readAllStandardOutput()).trimmed(), u"503"_s);

        QCOMPARE(journal.size(), std::size_t(4)); // 1 attempt + 3 retries
        const double expectedMs[] = {0, 400, 800};
        for (int k = 0; k < 3; ++k) {
            const double gapMs =
                std::chrono::duration<double, std::milli>(journal[k + 1].at - journal[k].at)
                    .count();
            // Never early; late by at most what a loaded machine adds.
            QVERIFY2(gapMs >= expectedMs[k] - 5.0 && gapMs <= expectedMs[k] + 600.0,
                     qPrintable(u"retry %1 after %2 ms, expected %3 ms"_s.arg(k + 1).arg(gapMs).arg(
                         expectedMs[k])));
        }
        server.stop();
    }

    void idsRoundTrip()
    {
        for (SnippetTarget t : snippet::all())
            QCOMPARE(snippet::fromId(snippet::id(t)), t);
        QVERIFY(!snippet::fromId(u"hystrix"_s));
    }
};

QTEST_GUILESS_MAIN(TestPolicySnippet)
#include "tst_policy_snippet.moc"
