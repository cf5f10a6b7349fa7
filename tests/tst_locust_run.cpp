// SPDX-License-Identifier: GPL-3.0-or-later
// A scenario on Locust's workers, end to end: `retrylab --export-locust`, retrylab-mock, a
// Locust master with two workers on loopback for about 15 s, `retrylab --headless --merge`.
// The server's journal and the merged client logs must tell the same story.
#include "export/locust_export.h"
#include "http_test_client.h"
#include "log/log_merge.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace retrylab;

namespace {

constexpr auto kPython = "/usr/bin/python3";
constexpr int kRunSeconds = 15;

bool pythonHasLocust()
{
    QProcess p;
    p.start(QString::fromLatin1(kPython), {u"-c"_s, u"import locust"_s});
    return p.waitForFinished(60'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// A port the OS says is free now; Locust binds it a moment later (loopback only).
quint16 freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort();
}

QUrl startMock(QProcess &p, const QString &profile)
{
    p.start(QStringLiteral(RETRYLAB_MOCK_BIN), {u"--profile"_s, profile, u"--seed"_s, u"5"_s});
    if (!p.waitForStarted(10'000))
        return {};
    QByteArray line;
    QElapsedTimer t;
    t.start();
    while (!line.contains('\n') && t.elapsed() < 20'000 && p.state() == QProcess::Running) {
        p.waitForReadyRead(100);
        line += p.readAllStandardOutput();
    }
    return QUrl(QString::fromUtf8(line.trimmed()));
}

void stop(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    if (!p.waitForFinished(10'000)) {
        p.kill();
        p.waitForFinished(5'000);
    }
}

} // namespace

class TestLocustRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mergePutsWorkerLogsOnOneTimeLine()
    {
        QTemporaryDir tmp;
        const auto write = [&](const QString &name, const QByteArray &text) -> QString {
            QFile f(tmp.filePath(name));
            if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
                return {};
            return tmp.filePath(name);
        };
        const QByteArray scenario = R"("scenario":{"name":"Two workers"},"target":"http://h/")";
        // The second worker started 1.5 s after the first: its times move by 1500 ms.
        const QString a = write(u"a.jsonl"_s, R"({"kind":"run",)" + scenario +
                                                  R"(,"startedAt":"2026-11-30T12:00:00.000Z"}
{"kind":"attempt","client":0,"operation":0,"attempt":1,"method":"GET","url":"/a","startedMs":100,"finishedMs":2000,"outcome":"success","status":200}
{"kind":"breaker","breaker":0,"atMs":1900,"from":"closed","to":"open","reason":"r"}
)");
        const QString b = write(u"b.jsonl"_s, R"({"kind":"run",)" + scenario +
                                                  R"(,"startedAt":"2026-11-30T12:00:01.500Z"}
{"kind":"attempt","client":40,"operation":0,"attempt":1,"method":"POST","url":"/b","idempotencyKey":"k","startedMs":0,"finishedMs":100,"outcome":"server-error","status":503}
{"kind":"attempt","client":40,"operation":0,"attempt":2,"method":"POST","url":"/b","idempotencyKey":"k","startedMs":300,"finishedMs":1000,"outcome":"success","status":201,"stop":"succeeded"}
)");
        AttemptLog log;
        const LogMergeResult r = mergeJsonlLogs({a, b}, log);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(log.size(), std::size_t(3));
        // In the order they finished, on the first worker's clock.
        QCOMPARE(log.at(0).client, 40u);
        QCOMPARE(log.at(0).startedUs, qint64(1'500'000));
        QCOMPARE(log.at(0).finishedUs, qint64(1'600'000));
        QCOMPARE(log.at(1).client, 0u);
        QCOMPARE(log.at(1).finishedUs, qint64(2'000'000));
        QCOMPARE(log.at(2).finishedUs, qint64(2'500'000));
        QCOMPARE(log.string(log.at(2).idempotencyKey), u"k"_s);
        QCOMPARE(log.string(log.at(2).method), u"POST"_s);
        QCOMPARE(log.breakerCount(), std::size_t(1));
        QCOMPARE(log.runInfo().startedAt,
                 QDateTime::fromString(u"2026-11-30T12:00:00.000Z"_s, Qt::ISODateWithMs));

        // A file without a run line cannot be placed in time: named, nothing merged.
        const QString c = write(
            u"c.jsonl"_s,
            R"({"kind":"attempt","client":1,"operation":0,"attempt":1,"startedMs":0,"finishedMs":1,"outcome":"success"}
)");
        AttemptLog other;
        const LogMergeResult bad = mergeJsonlLogs({a, c}, other);
        QVERIFY(!bad.ok);
        QVERIFY2(bad.error.contains(u"c.jsonl"_s) && bad.error.contains(u"startedAt"_s),
                 qPrintable(bad.error));
        QCOMPARE(other.size(), std::size_t(0));
    }

    void exportSaysWhatLocustCannotDo()
    {
        const auto flaky = Scenario::load(u":/scenarios/flaky-demo.json"_s, nullptr);
        QVERIFY(flaky);
        Scenario s = *flaky;
        s.sharedBreaker = true;
        s.stagger = std::chrono::seconds(4);
        s.simulated = true;
        const LocustExport e(s);
        QCOMPARE(e.users(), 20);
        QCOMPARE(e.spawnRate(), 5.0);
        const QString head = QString::fromUtf8(e.locustfile());
        for (const QString &expected :
             {u"shared per worker"_s, u"simulated time"_s, u"spawn rate"_s, u"retrylab-mock"_s,
              u"Tested with Locust 2.12.1"_s, u"agree_on_version()"_s})
            QVERIFY2(head.contains(expected), qPrintable(expected));
        QVERIFY(head.contains(u"url=\"/orders\", relative=True"_s));
        QVERIFY(QString::fromUtf8(e.masterConf()).contains(u"spawn-rate = 5\n"_s));
        s.builtinServer = false;
        s.url = QUrl(u"https://api.example:8443/v1/"_s);
        const LocustExport remote(s);
        QCOMPARE(remote.requestUrl(), u"https://api.example:8443/orders"_s);
        QVERIFY(
            QString::fromUtf8(remote.masterConf()).contains(u"host = https://api.example:8443"_s));
    }

    void masterAndTwoWorkers_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("payments");
        QTest::addColumn<bool>("honoursRetryAfter");
        QTest::newRow("flaky-demo") << u"flaky-demo"_s << false << true;
        QTest::newRow("duplicate-charges-with-keys")
            << u"duplicate-charges-with-keys"_s << true << true;
        // A library preset: gRPC's own pushback header only (Retry-After ignored, as grpc-go
        // does) and its retry throttle, which refuses a retry at once.
        QTest::newRow("preset-grpc-a6-retry") << u"preset-grpc-a6-retry"_s << false << false;
    }

    void masterAndTwoWorkers()
    {
        if (!pythonHasLocust()) {
            // CI runs installer/install-deps.sh first: there a missing Locust is a fault.
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("/usr/bin/python3 cannot import locust although installer/install-deps.sh "
                      "ran");
            QSKIP("/usr/bin/python3 cannot import locust: install python3-locust "
                  "(installer/install-deps.sh does)");
        }
        QFETCH(QString, scenario);
        QFETCH(bool, payments);
        QFETCH(bool, honoursRetryAfter);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath(u"export"_s);
        const QString logs = tmp.filePath(u"logs"_s);

        QProcess exporter;
        exporter.start(QStringLiteral(RETRYLAB_BIN),
                       {u"--export-locust"_s, dir, u"--scenario"_s, scenario});
        QVERIFY(exporter.waitForFinished(60'000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());
        for (const char *f : {"locustfile.py", "master.conf", "scenario.json", "profile.json",
                              "retrylab_locust/retry_policy.py"})
            QVERIFY2(QFileInfo::exists(dir + u'/' + QLatin1String(f)), f);
        const QByteArray commands = exporter.readAllStandardOutput();
        QVERIFY2(commands.contains("--merge retrylab-logs/*.jsonl"), commands.constData());

        QProcess mock;
        const QUrl url = startMock(mock, dir + u"/profile.json"_s);
        QVERIFY2(url.port() > 0, mock.readAllStandardError().constData());
        const quint16 port = freePort();
        QVERIFY(port > 0);

        const QStringList locust{u"-m"_s, u"locust"_s, u"-f"_s, u"locustfile.py"_s};
        QProcess workers[2];
        for (QProcess &w : workers) {
            w.setWorkingDirectory(dir);
            w.setProcessChannelMode(QProcess::MergedChannels);
            w.start(QString::fromLatin1(kPython),
                    locust + QStringList{u"--worker"_s, u"--master-host"_s, u"127.0.0.1"_s,
                                         u"--master-port"_s, QString::number(port)});
            QVERIFY(w.waitForStarted(10'000));
        }
        QProcess master;
        master.setWorkingDirectory(dir);
        master.setProcessChannelMode(QProcess::MergedChannels);
        // Custom options such as --retrylab-log-dir go from the master to its workers.
        master.start(QString::fromLatin1(kPython),
                     locust + QStringList{u"--headless"_s, u"--master"_s, u"--config"_s,
                                          u"master.conf"_s, u"--master-bind-host"_s, u"127.0.0.1"_s,
                                          u"--master-bind-port"_s, QString::number(port),
                                          u"--expect-workers"_s, u"2"_s,
                                          u"--expect-workers-max-wait"_s, u"90"_s, u"--run-time"_s,
                                          u"%1s"_s.arg(kRunSeconds), u"--host"_s,
                                          url.adjusted(QUrl::RemovePath).toString(),
                                          u"--retrylab-log-dir"_s, logs});
        QVERIFY(master.waitForStarted(10'000));
        const bool masterDone = master.waitForFinished(200'000);
        const QByteArray masterOutput = master.readAll();
        for (QProcess &w : workers)
            if (!w.waitForFinished(30'000))
                stop(w);
        QVERIFY2(masterDone, masterOutput.right(3000).constData());
        // Locust exits 1 when any request failed, which a flaky server makes sure of.
        QVERIFY2(master.exitStatus() == QProcess::NormalExit && master.exitCode() <= 1,
                 masterOutput.right(3000).constData());
        QVERIFY2(!masterOutput.contains("pre 2.0"), "master and workers disagree on the version");

        QNetworkAccessManager nam;
        const auto statsReply = httpCall(nam, "GET", url.resolved(QUrl(u"/__admin/stats"_s)));
        stop(mock);
        QCOMPARE(statsReply.status, 200);
        const QJsonObject stats = QJsonDocument::fromJson(statsReply.body).object();

        const QStringList files = QDir(logs).entryList({u"*.jsonl"_s}, QDir::Files);
        QCOMPARE(files.size(), 2); // one per worker process
        QStringList paths;
        for (const QString &f : files)
            paths << logs + u'/' + f;
        if (qEnvironmentVariableIsSet("RETRYLAB_TEST_OUTPUT")) {
            // Kept for the screenshot of the merged run in the window.
            const QString out =
                qEnvironmentVariable("RETRYLAB_TEST_OUTPUT") + u"/locust-"_s + scenario;
            QDir(out).removeRecursively();
            QDir().mkpath(out);
            for (const QString &file : files)
                QFile::copy(logs + u'/' + file, out + u'/' + file);
        }
        AttemptLog merged;
        const LogMergeResult result = mergeJsonlLogs(paths, merged);
        QVERIFY2(result.ok, qPrintable(result.error));
        qint64 sent = 0, inFlight = 0, refusedByBudget = 0, previousFinish = -1;
        QSet<std::uint32_t> clients;
        merged.forEach([&](const AttemptRecord &r) {
            QVERIFY(r.finishedUs >= previousFinish); // one time line, in the order they ended
            previousFinish = r.finishedUs;
            clients.insert(r.client);
            if (r.outcome == OutcomeClass::RejectedByBudget)
                ++refusedByBudget;
            if (!outcome::isLocalRejection(r.outcome))
                ++sent;
            else if (merged.string(r.detail) == u"in flight when the run stopped"_s)
                ++inFlight;
        });
        const qint64 requests = stats[u"requests"_s].toInteger();
        const QJsonObject retryAfter = stats[u"retryAfter"_s].toObject();
        const QJsonObject p = stats[u"payments"_s].toObject();
        qInfo("%s: %lld attempts sent, %lld in flight at stop, %lld requests in the journal, "
              "%lld clients, %lld retries refused by the budget; Retry-After judged %lld, "
              "compliance %g%%; payments %lld, duplicates %lld",
              qPrintable(scenario), sent, inFlight, requests, qint64(clients.size()),
              refusedByBudget, retryAfter[u"judged"_s].toInteger(),
              retryAfter[u"compliancePercent"_s].toDouble(), p[u"payments"_s].toInteger(),
              p[u"duplicates"_s].toInteger());
        QVERIFY(sent > 50);
        QVERIFY2(requests >= sent && requests <= sent + inFlight,
                 qPrintable(
                     u"journal %1, sent %2, in flight %3"_s.arg(requests).arg(sent).arg(inFlight)));
        QVERIFY2(retryAfter[u"judged"_s].toInteger() > 0, statsReply.body.constData());
        if (honoursRetryAfter)
            QCOMPARE(retryAfter[u"compliancePercent"_s].toDouble(), 100.0);
        if (payments) {
            QVERIFY(p[u"payments"_s].toInteger() > 0);
            QCOMPARE(p[u"duplicates"_s].toInteger(), 0);
        }

        // The same merge through the command line, with its summary.
        QProcess merge;
        const QString summaryFile = tmp.filePath(u"summary.json"_s);
        merge.start(QStringLiteral(RETRYLAB_BIN), QStringList{u"--headless"_s, u"--merge"_s} +
                                                      paths +
                                                      QStringList{u"--summary"_s, summaryFile});
        QVERIFY(merge.waitForFinished(60'000));
        QVERIFY2(merge.exitCode() <= 1, merge.readAllStandardError().constData());
        QFile f(summaryFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject summary = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(summary[u"attemptsSent"_s].toInteger(), sent);
    }
};

QTEST_GUILESS_MAIN(TestLocustRun)
#include "tst_locust_run.moc"
