// SPDX-License-Identifier: GPL-3.0-or-later
#include "admin_access.h"

#include <QHostAddress>
#include <QNetworkInterface>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

QByteArray hostName(const QHostAddress &a)
{
    if (a.protocol() == QAbstractSocket::IPv6Protocol)
        return '[' + a.toString().toLatin1().toLower() + ']';
    return a.toString().toLatin1().toLower();
}

// "name[:port]" (with "[v6]" names): splits at the port's colon.
bool splitHostPort(QByteArrayView v, QByteArray *name, int *port)
{
    const qsizetype close = v.lastIndexOf(']');
    const qsizetype colon = v.lastIndexOf(':');
    *port = -1;
    if (colon > close && colon >= 0) {
        bool ok = false;
        *port = v.sliced(colon + 1).toInt(&ok);
        if (!ok || *port < 0 || *port > 65535)
            return false;
        v = v.first(colon);
    }
    *name = v.toByteArray().toLower();
    return !name->isEmpty();
}

// Compares without stopping at the first difference, so timing does not reveal a prefix.
bool sameSecret(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

QByteArray AdminAccess::randomToken()
{
    QByteArray bytes(16, Qt::Uninitialized);
    for (char &c : bytes)
        c = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return bytes.toHex();
}

AdminAccess AdminAccess::forBinding(const QString &address, quint16 port, const QByteArray &token)
{
    AdminAccess a;
    a.port = port;
    a.hostNames = {"localhost", "127.0.0.1", "[::1]"};
    const QHostAddress bound(address);
    const bool loopback = bound.isLoopback();
    if (bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6 ||
        bound == QHostAddress::Any) {
        for (const QHostAddress &local : QNetworkInterface::allAddresses())
            a.hostNames << hostName(QHostAddress(local.toString().section(u'%', 0, 0)));
    } else if (!bound.isNull()) {
        a.hostNames << hostName(bound);
    }
    a.token = token;
    if (a.token.isEmpty() && !loopback)
        a.token = randomToken();
    return a;
}

int AdminAccess::check(const HeaderList &headers, QString *why) const
{
    const QList<QByteArray> hosts = headerValues(headers, "host");
    QByteArray name;
    int p = -1;
    const auto ours = [&](QByteArrayView hostPort) {
        return splitHostPort(hostPort, &name, &p) && hostNames.contains(name) &&
               (p == port || (p < 0 && port == 80));
    };
    if (hosts.size() != 1 || !ours(hosts.front())) {
        *why = u"the admin API answers only to Host %1:%2 (or another name of this server)"_s
                   .arg(QString::fromLatin1(hostNames.value(0)))
                   .arg(port);
        return 421;
    }
    const QList<QByteArray> origins = headerValues(headers, "origin");
    for (const QByteArray &origin : origins) {
        if (!origin.startsWith("http://") || !ours(QByteArrayView(origin).sliced(7))) {
            *why = u"the admin API refuses requests from another origin (%1)"_s.arg(
                QString::fromLatin1(origin.left(100)));
            return 403;
        }
    }
    if (!token.isEmpty()) {
        const QList<QByteArray> auth = headerValues(headers, "authorization");
        const bool ok = auth.size() == 1 && auth.front().startsWith("Bearer ") &&
                        sameSecret(QByteArrayView(auth.front()).sliced(7).trimmed(), token);
        if (!ok) {
            *why = u"the admin API needs 'Authorization: Bearer <token>' (the token "
                   "retrylab-mock printed at start, or --admin-token)"_s;
            return 401;
        }
    }
    return 0;
}

} // namespace retrylab
