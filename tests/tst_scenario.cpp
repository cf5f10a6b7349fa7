// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario.h"

#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestScenario : public QObject
{
    Q_OBJECT
private:
    static QString write(const QTemporaryDir &dir, const QByteArray &content)
    {
        const QString path = dir.filePath(u"s.json"_s);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write");
        f.write(content);
        return path;
    }

private Q_SLOTS:
    void readyScenariosLoad_data()
    {
        QTest::addColumn<QString>("file");
        const auto files = QDir(u":/scenarios"_s).entryList({u"*.json"_s});
        QVERIFY(files.size() >= 2);
        for (const QString &f : files)
            QTest::addRow("%s", qPrintable(f)) << u":/scenarios/"_s + f;
    }
    void readyScenariosLoad()
    {
        QFETCH(QString, file);
        QString error;
        const auto s = Scenario::load(file, &error);
        QVERIFY2(s, qPrintable(error));
        QVERIFY(!s->description.isEmpty());
    }

    void roundTrip()
    {
        Scenario s;
        s.name = u"rt"_s;
        s.builtinServer = false;
        s.url = QUrl(u"https://api.example.test/v1/"_s);
        s.method = "POST";
        s.path = u"/payments"_s;
        s.headers = {{"Authorization", "Bearer x"}};
        s.body = R"({"amount": 1})";
        s.keys = KeyMode::PerOperation;
        s.clients = 7;
        s.arrivalRatePerSecond = 12.5;
        s.duration = 3s;
        s.stagger = 250ms;
        s.sharedBreaker = true;
        s.seed = 18446744073709551615ULL; // survives JSON as a string
        s.policy = findPreset(u"polly-v8"_s)->policy;
        s.client.connections = ClientOptions::Connections::NewAfterFailure;
        s.client.maxConnectionsPerHost = 12;
        s.client.keepBodyBytes = 100;
        QTemporaryDir dir;
        QString error;
        const QString path = dir.filePath(u"x.json"_s);
        QVERIFY2(s.save(path, &error), qPrintable(error));
        const auto back = Scenario::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QVERIFY(*back == s);
    }

    // Files written before the "client" section load with Retry Lab's own stack; new
    // scenarios and the ready ones use it too, and "qt" stays a choice.
    void clientSectionDefaultsToOwnStack()
    {
        QTemporaryDir dir;
        QString error;
        const auto old =
            Scenario::load(write(dir, R"({"version": 1, "load": {"clients": 2}})"), &error);
        QVERIFY2(old, qPrintable(error));
        QCOMPARE(old->client, ClientOptions());
        QCOMPARE(old->client.stack, ClientOptions::Stack::RetryLab);
        QCOMPARE(old->client.maxConnectionsPerHost, 0);
        QCOMPARE(Scenario().client.stack, ClientOptions::Stack::RetryLab);
        QCOMPARE(Scenario().toJson()[u"client"_s][u"stack"_s].toString(), u"retrylab"_s);
        for (const QString &f : QDir(u":/scenarios"_s).entryList({u"*.json"_s})) {
            const auto ready = Scenario::load(u":/scenarios/"_s + f, &error);
            QVERIFY2(ready, qPrintable(error));
            QCOMPARE(ready->client.stack, ClientOptions::Stack::RetryLab);
        }
        const auto qt = Scenario::load(
            write(dir, R"({"version": 1, "client": {"stack": "qt", "keepBodyBytes": 0}})"), &error);
        QVERIFY2(qt, qPrintable(error));
        QCOMPARE(qt->client.stack, ClientOptions::Stack::Qt);
        QCOMPARE(qt->client.keepBodyBytes, 0);
    }

    void errorsNameFileFieldAndProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::addRow("no version") << QByteArray("{}") << u"version: is missing"_s;
        QTest::addRow("future version") << QByteArray(R"({"version": 2})") << u"version: must be"_s;
        QTest::addRow("bad URL")
            // No raw string here: moc 6.4 takes the // inside one for a comment.
            << QByteArray("{\"version\": 1, \"target\": {\"kind\": \"url\", \"url\": \"ftp:/"
                          "/x\"}}")
            << u"target.url: 'ftp://x' is not an http:// or https:// URL"_s;
        QTest::addRow("URL without a scheme")
            << QByteArray(R"({"version": 1, "target": {"kind": "url", "url": "localhost:8080/x"}})")
            << u"target.url: 'localhost:8080/x' has no scheme: write http"_s;
        QTest::addRow("unknown profile")
            << QByteArray(R"({"version": 1, "target": {"profile": "nope"}})")
            << u"target.profile: no ready profile is called 'nope'"_s;
        QTest::addRow("bad inline profile")
            << QByteArray(R"({"version": 1, "target": {"profile": {"routes": [{"path": "x"}]}}})")
            << u"target.profile.routes[0].path"_s;
        QTest::addRow("bad method")
            << QByteArray(R"({"version": 1, "request": {"method": "FETCH"}})")
            << u"request.method: must be one of"_s;
        QTest::addRow("header with newline")
            << QByteArray("{\"version\": 1, \"request\": {\"headers\": [{\"name\": \"A\", "
                          "\"value\": \"x\\ny\"}]}}")
            << u"request.headers[0]: a header value cannot hold a line break"_s;
        QTest::addRow("header value with a control character")
            << QByteArray("{\"version\": 1, \"request\": {\"headers\": [{\"name\": \"A\", "
                          "\"value\": \"x\\u0000y\"}]}}")
            << u"request.headers[0]: a header value cannot hold a line break or another"_s;
        // A name with a line break went on the wire as given: a second header line.
        QTest::addRow("header name with newline")
            << QByteArray("{\"version\": 1, \"request\": {\"headers\": [{\"name\": "
                          "\"X-A\\r\\nX-B\", \"value\": \"1\"}]}}")
            << u"request.headers[0]: must be {\"name\": a header name"_s;
        QTest::addRow("zero clients") << QByteArray(R"({"version": 1, "load": {"clients": 0}})")
                                      << u"load.clients: must be a whole number"_s;
        QTest::addRow("bad policy")
            << QByteArray(R"({"version": 1, "policy": {"retry": {"maxAttempts": 0}}})")
            << u"policy.retry.maxAttempts"_s;
        QTest::addRow("simulated URL")
            << QByteArray("{\"version\": 1, \"clock\": \"simulated\", \"target\": {\"kind\": "
                          "\"url\", \"url\": \"http:/"
                          "/h/\"}}")
            << u"clock: simulated time needs the built-in server"_s;
        QTest::addRow("bad clock") << QByteArray(R"({"version": 1, "clock": "fast"})")
                                   << u"clock: must be one of: real, simulated"_s;
        QTest::addRow("bad sharing")
            << QByteArray(R"({"version": 1, "sharing": {"budget": "global"}})")
            << u"sharing.budget: must be one of: per-client, shared"_s;
        QTest::addRow("preset with fields")
            << QByteArray(R"({"version": 1, "policy": {"preset": "polly-v8", "retry": {}}})")
            << u"policy: a preset cannot be combined with other fields"_s;
        QTest::addRow("compared policy missing")
            << QByteArray(R"({"version": 1, "compare": [{"name": "a"}]})")
            << u"compare[0]: needs a \"policy\" object or a \"preset\" name"_s;
        QTest::addRow("bad compared policy")
            << QByteArray(
                   R"({"version": 1, "compare": [{"name": "a", "policy": {"retry": {"maxAttempts": 0}}}]})")
            << u"compare[0].policy.retry.maxAttempts"_s;
        QTest::addRow("bad seed") << QByteArray(R"({"version": 1, "seed": -3})")
                                  << u"seed: must be"_s;
        // Found by tests/fuzz/fuzz_scenario: cast to quint64 before the check (undefined
        // behaviour; UBSan stops on it).
        QTest::addRow("seed past 64 bits")
            << QByteArray(R"({"version": 1, "seed": 5.5e119})") << u"seed: must be"_s;
        QTest::addRow("seed past 2^53")
            << QByteArray(R"({"version": 1, "seed": 1e17})") << u"seed: must be"_s;
        QTest::addRow("misspelt") << QByteArray(R"({"version": 1, "laod": {}})")
                                  << u"laod: unknown field"_s;
        QTest::addRow("unknown stack")
            << QByteArray(R"({"version": 1, "client": {"stack": "curl"}})")
            << u"client.stack: must be one of: retrylab, qt"_s;
        QTest::addRow("unknown connections")
            << QByteArray(R"({"version": 1, "client": {"connections": "pipelined"}})")
            << u"client.connections: must be one of: keep-alive, per-attempt"_s;
        QTest::addRow("negative connection cap")
            << QByteArray(R"({"version": 1, "client": {"maxConnectionsPerHost": -1}})")
            << u"client.maxConnectionsPerHost: must be a whole number from 0"_s;
        QTest::addRow("qt with per-attempt")
            << QByteArray(
                   R"({"version": 1, "client": {"stack": "qt", "connections": "per-attempt"}})")
            << u"client.connections: the qt stack manages its own connections"_s;
        QTest::addRow("client not an object")
            << QByteArray(R"({"version": 1, "client": "qt"})") << u"client: must be an object"_s;
        QTest::addRow("client misspelt")
            << QByteArray(R"({"version": 1, "client": {"maxConnections": 3}})")
            << u"client.maxConnections: unknown field"_s;
        QTest::addRow("not JSON") << QByteArray("{\"version\": 1,") << u"not valid JSON at byte"_s;
        // The limits of core/README.md ("Limits"): past them, an error naming the field
        // instead of gigabytes allocated before anything runs.
        QTest::addRow("a million clients")
            << QByteArray(R"({"version": 1, "load": {"clients": 1e6}})")
            << u"load.clients: must be a whole number from 1 to 100000"_s;
        QTest::addRow("half a billion records")
            << QByteArray(R"({"version": 1, "load": {"maxRecords": 500000000}})")
            << u"load.maxRecords: must be a whole number from 1 to 20000000"_s;
        QTest::addRow("open-loop rate")
            << QByteArray(R"({"version": 1, "load": {"arrivalRatePerSecond": 1e7}})")
            << u"load.arrivalRatePerSecond: must be a number from 0 to 100000"_s;
        QByteArray headers = "{\"version\": 1, \"request\": {\"headers\": [";
        for (int i = 0; i < 101; ++i)
            headers += QByteArray(i ? "," : "") + "{\"name\": \"X-H" + QByteArray::number(i) +
                       "\", \"value\": \"v\"}";
        QTest::addRow("101 headers") << headers + "]}}" << u"request.headers: at most 100"_s;
        QTest::addRow("a header of 20 KiB")
            << "{\"version\": 1, \"request\": {\"headers\": [{\"name\": \"X-Big\", "
               "\"value\": \"" +
                   QByteArray(20 * 1024, 'a') + "\"}]}}"
            << u"request.headers: at most 100 headers of 12288 bytes"_s;
        QTest::addRow("a body of 2 MiB")
            << "{\"version\": 1, \"request\": {\"method\": \"POST\", \"body\": \"" +
                   QByteArray(2 * 1024 * 1024, 'b') + "\"}}"
            << u"request.body: 2097152 bytes; at most 1048576"_s;
        QTest::addRow("a journal of ten million")
            << QByteArray(R"({"version": 1, "target": {"kind": "builtin", "profile": )"
                          R"({"version": 1, "limits": {"journalCapacity": 10000000}}}})")
            << u"target.profile.limits.journalCapacity: must be a whole number from 1 to "
               "1000000"_s;
    }
    void errorsNameFileFieldAndProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString path = write(dir, json);
        QString error;
        QVERIFY(!Scenario::load(path, &error));
        QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
        QVERIFY2(error.contains(says), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
