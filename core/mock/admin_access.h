// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/pushback.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace retrylab {

// Who may use the admin API under /__admin/ (core/mock/README.md, "Admin API"): requests whose
// Host names this server (DNS rebinding sends a foreign one), with no Origin or the server's
// own (a cross-site form post sends the page's), and, when a token is set, with
// "Authorization: Bearer <token>". A server bound beyond loopback always has a token.
struct AdminAccess {
    QList<QByteArray> hostNames; // lower case: "localhost", "127.0.0.1", "[::1]", the bound one
    quint16 port = 0;
    QByteArray token; // empty: no token asked

    // The names a server bound to `address` answers to, and a token when it must have one
    // (`token` when given, else a new random one).
    static AdminAccess forBinding(const QString &address, quint16 port, const QByteArray &token);
    static QByteArray randomToken();

    // 0 when the request may proceed, else the status to refuse with and why.
    int check(const HeaderList &headers, QString *why) const;
};

} // namespace retrylab
