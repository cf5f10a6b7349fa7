// SPDX-License-Identifier: GPL-3.0-or-later
// Policy as code: every preset written out for every library, compared with golden files
// (tests/golden/snippets). Regenerate them after a deliberate change with
// RETRYLAB_UPDATE_GOLDEN=1 and read the diff.
#include "policy/policy_snippet.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
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
                    .contains(u"# - Envoy always waits random(0, (2^(n+1) − 1)"_s));
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

    void idsRoundTrip()
    {
        for (SnippetTarget t : snippet::all())
            QCOMPARE(snippet::fromId(snippet::id(t)), t);
        QVERIFY(!snippet::fromId(u"hystrix"_s));
    }
};

QTEST_GUILESS_MAIN(TestPolicySnippet)
#include "tst_policy_snippet.moc"
