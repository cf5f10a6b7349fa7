// SPDX-License-Identifier: GPL-3.0-or-later
// TLS over real sockets on loopback: a server with a self-signed certificate. Certificate
// errors fail the attempt with their reason unless the person allowed that host, and allowed
// attempts are marked.
#include "log/har_export.h"
#include "log/jsonl_log.h"
#include "run/run_controller.h"

#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestTls : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QSslServer m_server;

    RunSummary runAgainst(const QStringList &allowed, std::shared_ptr<const AttemptLog> *log,
                          bool keepAlive = false)
    {
        QFETCH_GLOBAL(int, stack);
        Scenario s;
        s.client.stack = ClientOptions::Stack(stack);
        if (keepAlive) {
            s.headers = {{"X-Keep-Alive", "1"}};
            s.clients = 1;
            s.operationsPerClient = 3;
        }
        s.builtinServer = false;
        s.url = QUrl(u"https://localhost:%1/"_s.arg(m_server.serverPort()));
        s.path = u"/secure"_s;
        if (!keepAlive) {
            s.clients = 2;
            s.operationsPerClient = 2;
        }
        s.policy.retry.maxAttempts = 1;
        s.policy.breaker.enabled = false;
        s.allowInvalidCertificates = allowed;
        RunController run;
        QSignalSpy finished(&run, &RunController::runFinished);
        run.start(s);
        if (!finished.wait(20000))
            return {};
        *log = run.log();
        return finished.front().front().value<RunSummary>();
    }

private Q_SLOTS:
    // Every case on Retry Lab's own stack and on Qt's.
    void initTestCase_data()
    {
        QTest::addColumn<int>("stack");
        QTest::addRow("retrylab") << int(ClientOptions::Stack::RetryLab);
        QTest::addRow("qt") << int(ClientOptions::Stack::Qt);
    }

    void initTestCase()
    {
        qRegisterMetaType<RunSummary>();
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
        const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
        if (openssl.isEmpty())
            QSKIP("openssl is needed to make the test certificate (installer/install-deps.sh)");
        QProcess p;
        p.start(openssl, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                          u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=localhost"_s, u"-keyout"_s,
                          m_dir.filePath(u"key.pem"_s), u"-out"_s, m_dir.filePath(u"cert.pem"_s)});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QFile certFile(m_dir.filePath(u"cert.pem"_s));
        QFile keyFile(m_dir.filePath(u"key.pem"_s));
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(certFile.readAll()));
        config.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server.setSslConfiguration(config);
        // A minimal HTTPS responder: one answer per connection.
        connect(&m_server, &QSslServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    const QByteArray request = socket->readAll();
                    // A request that asks for it keeps its connection for the next one.
                    if (request.contains("X-Keep-Alive: 1")) {
                        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                      "Content-Length: 2\r\n\r\nok");
                        return;
                    }
                    if (!request.isEmpty())
                        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                      "Content-Length: 2\r\nConnection: close\r\n\r\nok");
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    }

    void certificateErrorsFailWithTheReason()
    {
        std::shared_ptr<const AttemptLog> log;
        const RunSummary s = runAgainst({}, &log);
        QCOMPARE(s.operations, 4);
        QCOMPARE(s.succeeded, 0);
        QVERIFY(log);
        const AttemptRecord r = log->at(0);
        QCOMPARE(r.outcome, OutcomeClass::Tls);
        QVERIFY(!r.insecure);
        const QString why = log->string(r.detail);
        QVERIFY2(why.startsWith(u"TLS: "_s) && why.contains(u"self"_s, Qt::CaseInsensitive),
                 qPrintable(why));
    }

    void anAllowedHostSucceedsAndIsMarked()
    {
        std::shared_ptr<const AttemptLog> log;
        const RunSummary s = runAgainst({u"localhost"_s}, &log);
        QCOMPARE(s.succeeded, 4);
        for (std::size_t i = 0; i < log->size(); ++i) {
            const AttemptRecord r = log->at(i);
            QCOMPARE(r.status, qint16(200));
            QVERIFY(r.insecure);
            QVERIFY(log->string(r.detail).contains(u"accepted for this host"_s));
            QCOMPARE(attemptToJson(r, *log).value(u"insecure"_s).toBool(), true);
        }
    }

    // A HAR of a run against a TLS endpoint: new connections have every phase (dns, connect,
    // ssl, send, wait, receive) non-negative, reused ones -1 for connect and ssl.
    void harTimingsOnNewAndReusedConnections()
    {
        QFETCH_GLOBAL(int, stack);
        if (ClientOptions::Stack(stack) != ClientOptions::Stack::RetryLab)
            QSKIP("phase timings come from Retry Lab's own stack");
        std::shared_ptr<const AttemptLog> log;
        const RunSummary s = runAgainst({u"localhost"_s}, &log, true);
        QCOMPARE(s.succeeded, 3);
        const QJsonArray entries = toHar(*log, Redactor::none())[u"log"_s][u"entries"_s].toArray();
        QCOMPARE(entries.size(), 3);
        int fresh = 0, reused = 0;
        for (const QJsonValue &e : entries) {
            const QJsonObject t = e[u"timings"_s].toObject();
            if (!e[u"_retrylab"_s][u"connectionReused"_s].toBool()) {
                ++fresh;
                for (const QString &k :
                     {u"dns"_s, u"connect"_s, u"ssl"_s, u"send"_s, u"wait"_s, u"receive"_s})
                    QVERIFY2(t[k].toDouble(-2) >= 0, qPrintable(k));
                QVERIFY(t[u"connect"_s].toDouble() >= t[u"ssl"_s].toDouble());
            } else {
                ++reused;
                QCOMPARE(t[u"connect"_s].toDouble(), -1.0);
                QCOMPARE(t[u"ssl"_s].toDouble(), -1.0);
                QCOMPARE(t[u"dns"_s].toDouble(), -1.0);
                for (const QString &k : {u"send"_s, u"wait"_s, u"receive"_s})
                    QVERIFY2(t[k].toDouble(-2) >= 0, qPrintable(k));
            }
        }
        QCOMPARE(fresh, 1);
        QCOMPARE(reused, 2);
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
