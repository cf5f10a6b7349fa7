// SPDX-License-Identifier: GPL-3.0-or-later
#include "http_transport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslError>

using namespace Qt::StringLiterals;

namespace retrylab {

HttpTransport::HttpTransport(const QUrl &base, int clients,
                             const QStringList &allowInvalidCertificates, qint64 keepBodyBytes,
                             QObject *parent)
    : QObject(parent)
    , m_base(base)
    , m_allowInvalid(allowInvalidCertificates)
    , m_keepBodyBytes(keepBodyBytes)
{
    const int count = std::max(1, (clients + kClientsPerManager - 1) / kClientsPerManager);
    for (int i = 0; i < count; ++i) {
        auto nam = std::make_unique<QNetworkAccessManager>();
        nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        m_managers.push_back(std::move(nam));
    }
}

HttpTransport::~HttpTransport()
{
    for (QNetworkReply *reply : std::as_const(m_inFlight)) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void HttpTransport::send(const AttemptRequest &r, Done done)
{
    QNetworkRequest request(m_base.resolved(QUrl(r.path)));
    // HTTP/1.1 on purpose: one request per connection at a time, as the server journal expects.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(0); // the engine times attempts itself
    for (const auto &[name, value] : r.headers)
        request.setRawHeader(name, value);
    if (!r.body.isEmpty() && request.header(QNetworkRequest::ContentTypeHeader).isNull())
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    QNetworkAccessManager &nam = *m_managers[(r.client / kClientsPerManager) % m_managers.size()];
    QNetworkReply *reply = nam.sendCustomRequest(request, r.method, r.body);
    m_inFlight.insert(r.id, reply);
#ifndef QT_NO_SSL
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        QStringList reasons;
        for (const QSslError &e : errors)
            reasons << e.errorString();
        const QString host = reply->url().host().toLower();
        if (m_allowInvalid.contains(host)) {
            m_insecure.insert(reply);
            reply->ignoreSslErrors(errors);
        }
        m_sslErrors.insert(reply, u"TLS: %1 (%2)"_s.arg(reasons.join(u"; "_s), host));
    });
#endif
    // Read as it arrives, so that a 2 GiB body never sits in memory.
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        Body &body = m_bodies[reply];
        while (reply->bytesAvailable() > 0) {
            const qint64 room = m_keepBodyBytes - body.kept.size();
            const QByteArray chunk = reply->read(std::max<qint64>(room, 64 * 1024));
            if (chunk.isEmpty())
                break;
            body.bytes += chunk.size();
            if (room > 0)
                body.kept += chunk.left(room);
        }
    });
    connect(
        reply, &QNetworkReply::finished, this, [this, reply, id = r.id, done = std::move(done)] {
            m_inFlight.remove(id);
            AttemptResponse response;
            response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            response.receivedAt = QDateTime::currentDateTimeUtc();
            response.headers = reply->rawHeaderPairs();
            response.outcome = response.status > 0 ? outcome::fromStatus(response.status)
                                                   : outcome::fromNetworkError(reply->error());
            response.insecure = m_insecure.remove(reply);
            if (response.status > 0)
                response.httpVersion =
                    reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool() ? 20 : 11;
            if (response.status > 0) {
                Body body = m_bodies.take(reply);
                body.bytes += reply->bytesAvailable();
                const qint64 room = m_keepBodyBytes - body.kept.size();
                if (room > 0)
                    body.kept += reply->read(room);
                response.body = std::move(body.kept);
                response.bodyBytes = body.bytes;
            }
            m_bodies.remove(reply);
            const QString tls = m_sslErrors.take(reply);
            if (response.status == 0 && reply->error() != QNetworkReply::NoError)
                response.error = tls.isEmpty() ? reply->errorString() : tls;
            else if (response.insecure)
                response.error = tls + u", accepted for this host"_s;
            reply->deleteLater();
            done(response);
        });
}

void HttpTransport::cancel(std::uint64_t id)
{
    if (QNetworkReply *reply = m_inFlight.take(id)) {
        m_sslErrors.remove(reply);
        m_bodies.remove(reply);
        m_insecure.remove(reply);
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

} // namespace retrylab
