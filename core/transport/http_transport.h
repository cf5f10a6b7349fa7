// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/transport.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace retrylab {

// Real HTTP through QNetworkAccessManager, the scenario's "stack": "qt" (what a Qt app sees; it
// may re-send a request on its own when a connection dies). One manager opens at most 6 connections
// per host, so clients are spread over several managers (6 clients each), and a herd of hundreds of
// clients really is in flight at once instead of queueing behind six sockets.
class HttpTransport final : public QObject, public Transport
{
    Q_OBJECT
public:
    // `allowInvalidCertificates`: hosts whose certificate errors the person accepted; their
    // responses are marked insecure. Any other certificate error fails the attempt as TLS.
    // Bodies are read as they arrive: the first `keepBodyBytes` kept, the rest counted.
    HttpTransport(const QUrl &base, int clients, const QStringList &allowInvalidCertificates = {},
                  qint64 keepBodyBytes = 64 * 1024, QObject *parent = nullptr);
    ~HttpTransport() override;

    void send(const AttemptRequest &request, Done done) override;
    void cancel(std::uint64_t id) override;
    int managers() const { return static_cast<int>(m_managers.size()); }

    static constexpr int kClientsPerManager = 6;

private:
    QUrl m_base;
    QStringList m_allowInvalid;
    qint64 m_keepBodyBytes = 0;
    struct Body {
        QByteArray kept;
        qint64 bytes = 0;
    };
    QHash<QNetworkReply *, Body> m_bodies;
    QHash<QNetworkReply *, QString> m_sslErrors; // what was wrong with a certificate
    QSet<QNetworkReply *> m_insecure;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_managers;
    QHash<std::uint64_t, QNetworkReply *> m_inFlight;
};

} // namespace retrylab
