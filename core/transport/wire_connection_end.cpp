// SPDX-License-Identifier: GPL-3.0-or-later
// WireConnection: how an exchange ends. A close or an error, classified by the phase it came
// in (transport/README.md has the table), or a whole answer; then the connection is kept for
// the next exchange or dropped.
#include "wire_connection.h"

#include <QHostInfo>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace retrylab {

AttemptResponse WireConnection::responseOf(const wire::Message &m)
{
    AttemptResponse r(outcome::fromStatus(m.status), m.status, m.headers);
    r.body = m.body;
    r.bodyBytes = m.bodyBytes;
    r.httpVersion = std::uint8_t(10 + m.minorVersion);
    return r;
}

void WireConnection::onSocketError()
{
    if (!m_socket)
        return;
    m_peerClosed = true; // whatever the buffered bytes finish, the connection is not reused
    if (m_phase == Phase::Receiving && !(m_socket->openMode() & QIODevice::Unbuffered)) {
        onReadyRead(); // what Qt buffered before the close
        if (!m_busy || !m_socket)
            return;
    }
    onPeerGone();
}

void WireConnection::onPeerGone()
{
    m_peerClosed = true;
    const auto error = m_socket->error();
    if (!m_busy) {
        dropSocket();
        if (onIdleClosed)
            onIdleClosed(this);
        return;
    }
    const QString where = u"%1:%2"_s.arg(m_target.host).arg(m_target.port);
    switch (m_phase) {
    case Phase::Connecting:
        if (m_addressIndex + 1 < m_addresses.size()) { // the next address of the name
            // From the event loop, not from inside the socket's own signal; until then the
            // socket's further signals about this address are ignored.
            m_phase = Phase::Resolving;
            QMetaObject::invokeMethod(
                this,
                [this, next = m_addressIndex + 1] {
                    if (!m_busy || !m_socket)
                        return;
                    m_socket->abort();
                    connectTo(next);
                },
                Qt::QueuedConnection);
            return;
        }
        fail(error == QAbstractSocket::ConnectionRefusedError ? OutcomeClass::ConnectionRefused
                                                              : OutcomeClass::NetworkOther,
             u"%1 (%2)"_s.arg(m_socket->errorString(), where));
        return;
    case Phase::Handshake:
        fail(OutcomeClass::Tls, m_tlsErrors.isEmpty()
                                    ? u"TLS: %1 (%2)"_s.arg(m_socket->errorString(), m_target.host)
                                    : m_tlsErrors);
        return;
    case Phase::Sending:
    case Phase::Waiting:
        // Never sent again: the policy decides. On a reused connection this is the classic
        // race with the server's idle timeout, and the person should see that it was one.
        fail(OutcomeClass::ConnectionReset,
             u"%1 before the answer began%2"_s.arg(
                 m_socket->errorString(), m_reusedForThis ? u", on a reused connection"_s : u""_s));
        return;
    case Phase::Receiving: {
        m_parser.finish();
        if (m_parser.state() == wire::MessageParser::State::Complete) {
            const wire::Message m = m_parser.take(); // a body delimited by the close
            finish(responseOf(m), false);
            return;
        }
        const QString reason = m_parser.state() == wire::MessageParser::State::Error
                                   ? m_parser.error().reason
                                   : m_socket->errorString();
        fail(OutcomeClass::ConnectionReset, u"response cut short: "_s + reason);
        return;
    }
    case Phase::Resolving:
    case Phase::Idle:
    case Phase::Closed:
        break;
    }
}

void WireConnection::onDisconnected()
{
    // An orderly close normally arrives as RemoteHostClosedError first; this covers the rest.
    if (m_socket && (m_busy || m_socket->error() == QAbstractSocket::UnknownSocketError))
        onSocketError();
}

void WireConnection::fail(OutcomeClass outcome, const QString &reason)
{
    AttemptResponse r(outcome, 0);
    r.error = reason;
    finish(std::move(r), false);
}

void WireConnection::finish(AttemptResponse response, bool reusable)
{
    if (m_phase == Phase::Receiving && response.status > 0) {
        // A whole answer: it ended when its last byte arrived, and the client's own delay
        // after that is the lag (transport/README.md, "When bytes arrived").
        m_timings.receiveUs = micros(m_firstByte, m_lastByte);
        if (m_stamped)
            m_timings.lagUs = since(m_lastByte);
    } else if (m_phase == Phase::Receiving) {
        m_timings.receiveUs = since(m_firstByte); // cut short: up to the moment it was seen
    }
    response.receivedAt = QDateTime::currentDateTimeUtc();
    response.phases = m_timings;
    if (m_timings.sendUs >= 0) { // what went out, up to the blank line (the body is the scenario's)
        const qsizetype end = m_exchange.request.indexOf("\r\n\r\n");
        response.requestHead = m_exchange.request.left(end < 0 ? m_exchange.request.size() : end);
    }
    response.insecure = m_insecure && response.status > 0;
    if (response.insecure && response.error.isEmpty())
        response.error = m_tlsErrors + u", accepted for this host"_s;
    m_busy = false;
    ++m_exchanges;
    reusable = reusable && isOpen() && !m_peerClosed;
    if (reusable)
        m_phase = Phase::Idle;
    else
        dropSocket();
    m_done(this, std::move(response), reusable); // may start the next exchange, or delete us
}

void WireConnection::abort()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    m_busy = false;
    dropSocket();
}

} // namespace retrylab
