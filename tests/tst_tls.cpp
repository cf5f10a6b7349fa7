// SPDX-License-Identifier: GPL-3.0-or-later
// TLS over real sockets on loopback: a server with a self-signed certificate. Certificate
// errors fail the attempt with their reason unless the person allowed that host, and allowed
// attempts are marked.
#include "log/jsonl_log.h"
#include "run/run_controller.h"

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

    RunSummary runAgainst(const QStringList &allowed, std::shared_ptr<const AttemptLog> *log)
    {
        Scenario s;
        s.builtinServer = false;
        s.url = QUrl(u"https://localhost:%1/"_s.arg(m_server.serverPort()));
        s.path = u"/secure"_s;
        s.clients = 2;
        s.operationsPerClient = 2;
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
                    if (!socket->readAll().isEmpty())
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
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
