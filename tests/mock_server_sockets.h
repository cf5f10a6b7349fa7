// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The built-in flaky server on 127.0.0.1, on a port the OS picks, and the ways the socket
// tests (tst_mock_server, tst_mock_server_records) talk to it. A test class derives from it
// next to QObject and resets m_server in its cleanup().
#include "http_test_client.h"
#include "mock/mock_server.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include <memory>

// A profile whose one route always answers `status`.
inline retrylab::FaultProfile statusOnly(int status)
{
    retrylab::FaultProfile p;
    p.routes.front().statuses = {{status, 1.0}};
    return p;
}

inline QJsonObject object(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

inline const QByteArray kPayment = R"({"amount": 1000, "currency": "USD"})";

class MockServerSockets
{
protected:
    std::unique_ptr<retrylab::MockServer> m_server;
    QNetworkAccessManager m_nam;

    QUrl start(const retrylab::FaultProfile &profile, std::uint64_t seed = 1)
    {
        m_server = std::make_unique<retrylab::MockServer>(profile, seed);
        QString error;
        if (!m_server->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("listen: %s", qPrintable(error));
        m_nam.clearConnectionCache();
        return m_server->url();
    }
    QUrl at(const QString &path) const { return m_server->url().resolved(QUrl(path)); }
    HttpResult call(const QByteArray &method, const QString &path,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {},
                    const QByteArray &body = {}, int timeoutMs = 10000)
    {
        return httpCall(m_nam, method, at(path), headers, body, timeoutMs);
    }
    // A raw exchange, for what QNetworkAccessManager would not send (or would resend: Qt
    // silently re-sends a request once when the connection dies before any answer). The
    // server runs on this thread, so the wait spins the event loop instead of blocking.
    QByteArray raw(const QByteArray &bytes, int waitMs = 3000)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_server->url().port());
        s.write(bytes);
        QByteArray out;
        QElapsedTimer t;
        t.start();
        do {
            QTest::qWait(10);
            out += s.readAll();
        } while (s.state() != QAbstractSocket::UnconnectedState && t.elapsed() < waitMs);
        return out + s.readAll();
    }
};
