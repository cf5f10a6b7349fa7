// SPDX-License-Identifier: GPL-3.0-or-later
// retrylab-mock as a person or a script runs it.
#include "http_test_client.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class TestMockCli : public QObject
{
    Q_OBJECT
private:
    static QString binary() { return QStringLiteral(RETRYLAB_MOCK_BIN); }

    // Starts the server and returns the URL it printed.
    static QUrl startServer(QProcess &p, const QStringList &args)
    {
        p.start(binary(), args);
        if (!p.waitForStarted(5000))
            return {};
        QByteArray line;
        QElapsedTimer t;
        t.start();
        while (!line.contains('\n') && t.elapsed() < 10000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            line += p.readAllStandardOutput();
        }
        return QUrl(QString::fromUtf8(line.trimmed()));
    }

private Q_SLOTS:
    void servesAndStopsCleanlyOnSignals_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::addRow("SIGTERM") << int(SIGTERM);
        QTest::addRow("SIGINT") << int(SIGINT);
    }
    void servesAndStopsCleanlyOnSignals()
    {
        QFETCH(int, signalNumber);
        QProcess p;
        const QUrl url = startServer(p, {u"--profile"_s, u"healthy"_s, u"--seed"_s, u"7"_s});
        QVERIFY2(url.isValid() && url.port() > 0, qPrintable(url.toString()));
        QCOMPARE(url.host(), u"127.0.0.1"_s); // loopback unless asked otherwise
        QNetworkAccessManager nam;
        QCOMPARE(httpCall(nam, "GET", url.resolved(QUrl(u"/hello"_s))).status, 200);
        const auto stats = httpCall(nam, "GET", url.resolved(QUrl(u"/__admin/stats"_s)));
        QVERIFY(stats.body.contains("\"profile\":\"healthy\""));
        ::kill(static_cast<pid_t>(p.processId()), signalNumber);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

    void fixedPortAndProfileFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "teapot", "routes": [{"statuses": [{"status": 418, "weight": 1}]}]})");
        f.close();
        // A port the OS picked a moment ago is almost surely still free.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QProcess p;
        const QUrl url = startServer(p, {u"--port"_s, QString::number(port), u"--profile"_s, path});
        QCOMPARE(url.port(), int(port));
        QNetworkAccessManager nam;
        QCOMPARE(httpCall(nam, "GET", url).status, 418);
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 0);
    }

    void badInputExitsWithTwoAndSaysWhy_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        QTest::addRow("no such profile")
            << QStringList{u"--profile"_s, u"/no/such.json"_s} << u"/no/such.json: cannot open"_s;
        QTest::addRow("bad port") << QStringList{u"--port"_s, u"99999"_s} << u"--port"_s;
        QTest::addRow("bad seed") << QStringList{u"--seed"_s, u"x"_s} << u"--seed"_s;
        QTest::addRow("bad bind") << QStringList{u"--bind"_s, u"nowhere"_s} << u"--bind"_s;
        QTest::addRow("bad silence")
            << QStringList{u"--chain-silence"_s, u"-1"_s} << u"--chain-silence"_s;
        QTest::addRow("bad max attempts")
            << QStringList{u"--max-attempts"_s, u"0"_s} << u"--max-attempts"_s;
    }
    void badInputExitsWithTwoAndSaysWhy()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        QProcess p;
        p.start(binary(), args);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(says), qPrintable(err));
    }

    void invalidProfileNamesTheField()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"routes": [{"latency": {"kind": "sometimes"}}]})");
        f.close();
        QProcess p;
        p.start(binary(), {u"--profile"_s, path});
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(path + u": routes[0].latency.kind"_s), qPrintable(err));
    }

    void nonLoopbackBindWarns()
    {
        QProcess p;
        const QUrl url = startServer(p, {u"--bind"_s, u"0.0.0.0"_s});
        QVERIFY(url.isValid());
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY(err.contains(u"warning"_s));
        // Bound beyond loopback, the admin API asks for a token, printed at start.
        QVERIFY2(err.contains(u"Authorization: Bearer "_s), qPrintable(err));
    }

    // --grades FILE: the report cards as GET /__admin/grades gives them, written when the
    // server stops (SIGINT here, as Ctrl+C sends); --chain-header names the operations.
    void gradesAreWrittenOnCtrlC()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"grades.json"_s);
        QProcess p;
        const QUrl url =
            startServer(p, {u"--profile"_s, u"exam"_s, u"--grades"_s, file, u"--chain-header"_s,
                            u"X-Request-Id"_s, u"--max-attempts"_s, u"2"_s});
        QVERIFY(url.isValid());
        QNetworkAccessManager nam;
        for (int i = 0; i < 3; ++i) // one operation, three attempts: 503, 500, 429
            httpCall(nam, "GET", url.resolved(QUrl(u"/thing"_s)), {{"X-Request-Id", "r-1"}});
        httpCall(nam, "GET", url.resolved(QUrl(u"/thing"_s)), {{"X-Request-Id", "r-2"}});
        const auto live = httpCall(nam, "GET", url.resolved(QUrl(u"/__admin/grades"_s)));
        QCOMPARE(live.status, 200);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject written = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(written, QJsonDocument::fromJson(live.body).object());
        const QJsonObject card = written.value(u"clients"_s).toArray().at(0).toObject();
        QVERIFY(card.value(u"identifiedBy"_s).toString().endsWith(u", X-Request-Id"_s));
        QCOMPARE(card.value(u"operations"_s).toInt(), 2);
        QCOMPARE(card.value(u"attempts"_s).toInt(), 4);
        const QJsonArray verdicts = card.value(u"verdicts"_s).toArray();
        QCOMPARE(verdicts.last().toObject().value(u"result"_s).toString(), u"fail"_s); // 3 > 2
    }

    void version()
    {
        QProcess p;
        p.start(binary(), {u"--version"_s});
        QVERIFY(p.waitForFinished(5000));
        QVERIFY(p.readAllStandardOutput().contains(RETRYLAB_VERSION));
    }
};

QTEST_GUILESS_MAIN(TestMockCli)
#include "tst_mock_cli.moc"
