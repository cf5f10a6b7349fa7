// SPDX-License-Identifier: GPL-3.0-or-later
#include "wire_connection.h"

#include "arrival_stamps.h"

#include <QHostInfo>
#include <QSslSocket>
#include <QTcpSocket>

#include <memory>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
// Read in slices, so a large body passes through a bounded buffer. One buffer per thread: the
// parser copies what it keeps before the next read.
constexpr qint64 kReadSlice = 64 * 1024;

char *readSlice()
{
    thread_local std::unique_ptr<char[]> slice(new char[kReadSlice]);
    return slice.get();
}

} // namespace

WireConnection::WireConnection(const WireTarget &target, Done done, QObject *parent)
    : QObject(parent)
    , m_target(target)
    , m_done(std::move(done))
{}

WireConnection::~WireConnection()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

bool WireConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

qint32 WireConnection::micros(Clock::time_point t)
{
    return micros(t, Clock::now());
}

qint32 WireConnection::micros(Clock::time_point from, Clock::time_point to)
{
    return PhaseTimings::clamp(
        std::chrono::duration_cast<std::chrono::microseconds>(to - from).count());
}

qint32 WireConnection::since(Clock::time_point t) const
{
    return micros(t);
}

PhaseTimings WireConnection::phasesSoFar() const
{
    PhaseTimings t = m_timings;
    if (!m_busy)
        return t;
    switch (m_phase) {
    case Phase::Resolving: // also between two addresses of a name, with DNS done
        (t.dnsUs < 0 ? t.dnsUs : t.connectUs) = since(m_mark);
        break;
    case Phase::Connecting:
        t.connectUs = since(m_mark);
        break;
    case Phase::Handshake:
        t.tlsUs = since(m_mark);
        break;
    case Phase::Sending:
        t.sendUs = since(m_mark);
        break;
    case Phase::Waiting:
        t.waitUs = since(m_mark);
        break;
    case Phase::Receiving:
        t.receiveUs = since(m_firstByte);
        break;
    case Phase::Closed:
    case Phase::Idle:
        break;
    }
    return t;
}

void WireConnection::start(Exchange exchange)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_exchange = std::move(exchange);
    m_timings = {};
    if (m_exchange.waitedForConnection)
        m_timings.blockedUs = since(m_exchange.queuedAt);
    m_parser.reset();
    wire::Limits limits = m_parser.limits();
    limits.bodyKeepBytes = m_exchange.keepBodyBytes;
    m_parser.setLimits(limits);
    m_parser.setRequestMethod(m_exchange.method);
    m_reusedForThis = isOpen() && m_phase == Phase::Idle && !m_peerClosed;
    if (m_reusedForThis) {
        m_timings.reused = true;
        send();
        return;
    }
    dropSocket(); // a socket the peer closed since its last exchange
    resolve();
}

void WireConnection::resolve()
{
    QHostAddress literal;
    if (literal.setAddress(m_target.host)) {
        m_addresses = {literal};
        m_timings.dnsUs = 0; // nothing to look up
        connectTo(0);
        return;
    }
    m_phase = Phase::Resolving;
    m_mark = Clock::now();
    m_lookupId = QHostInfo::lookupHost(m_target.host, this, [this](const QHostInfo &info) {
        m_lookupId = -1;
        m_timings.dnsUs = since(m_mark);
        m_addresses = info.addresses();
        if (info.error() != QHostInfo::NoError || m_addresses.isEmpty()) {
            fail(OutcomeClass::Dns, u"DNS: %1 (%2)"_s.arg(info.errorString(), m_target.host));
            return;
        }
        connectTo(0);
    });
}

void WireConnection::makeSocket()
{
    if (m_target.tls) {
        auto *ssl = new QSslSocket(this);
        connect(ssl, &QSslSocket::encrypted, this, &WireConnection::onEncrypted);
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
            QStringList reasons;
            for (const QSslError &e : errors)
                reasons << e.errorString();
            m_tlsErrors = u"TLS: %1 (%2)"_s.arg(reasons.join(u"; "_s), m_target.host);
            if (m_target.allowInvalidCertificate) {
                m_insecure = true;
                ssl->ignoreSslErrors(errors);
            }
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
    }
    connect(m_socket, &QAbstractSocket::connected, this, &WireConnection::onConnected);
    connect(m_socket, &QAbstractSocket::bytesWritten, this, &WireConnection::onBytesWritten);
    connect(m_socket, &QAbstractSocket::readyRead, this, &WireConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &WireConnection::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &WireConnection::onDisconnected);
}

void WireConnection::dropSocket()
{
    m_phase = Phase::Closed;
    m_stamped = false;
    m_insecure = false;
    m_peerClosed = false;
    m_tlsErrors.clear();
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void WireConnection::connectTo(int addressIndex)
{
    if (!m_socket)
        makeSocket();
    m_addressIndex = addressIndex;
    m_peerClosed = false;
    if (addressIndex == 0)
        m_mark = Clock::now(); // connect counts every address tried
    m_phase = Phase::Connecting;
    // Plain TCP is read straight from the kernel: one read(2) per answer, where Qt's buffer
    // would first ask how much there is (transport/README.md, "System calls"). TLS keeps
    // QSslSocket's buffer, which decryption needs.
    const QIODevice::OpenMode mode =
        m_target.tls ? QIODevice::ReadWrite : QIODevice::ReadWrite | QIODevice::Unbuffered;
    m_socket->connectToHost(m_addresses.at(addressIndex), m_target.port, mode);
}

void WireConnection::onConnected()
{
    m_timings.connectUs = since(m_mark);
    // Small requests go out at once, not after Nagle's delay.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_target.tls) {
        // Before the first request: every byte of every answer comes with its arrival time.
        m_stamped = arrival::enable(m_socket->socketDescriptor());
        send();
        return;
    }
    m_phase = Phase::Handshake;
    m_mark = Clock::now();
    auto *ssl = static_cast<QSslSocket *>(m_socket);
    ssl->setPeerVerifyName(m_target.host);
    ssl->startClientEncryption();
}

void WireConnection::onEncrypted()
{
    m_timings.tlsUs = since(m_mark);
    send();
}

void WireConnection::send()
{
    m_phase = Phase::Sending;
    m_mark = Clock::now();
    if (m_socket->write(m_exchange.request) < 0) {
        // Unbuffered, a failed write is only reported here.
        onPeerGone();
        return;
    }
    // Out now rather than on the next turn of the event loop (flush() never blocks).
    m_socket->flush();
    onBytesWritten();
}

void WireConnection::onBytesWritten()
{
    if (m_phase != Phase::Sending || !m_socket || m_socket->bytesToWrite() > 0)
        return;
    if (m_target.tls && static_cast<QSslSocket *>(m_socket)->encryptedBytesToWrite() > 0)
        return;
    m_timings.sendUs = since(m_mark);
    m_phase = Phase::Waiting;
    m_mark = Clock::now();
}

void WireConnection::onReadyRead()
{
    if (!m_busy) {
        // Bytes nobody asked for on an idle connection, or its end: it cannot carry another
        // exchange.
        dropSocket();
        if (onIdleClosed)
            onIdleClosed(this);
        return;
    }
    if (m_phase == Phase::Sending) // answered before the request was all out
        onBytesWritten();
    if (m_phase != Phase::Sending && m_phase != Phase::Waiting && m_phase != Phase::Receiving)
        return;
    const bool unbuffered = m_socket->openMode() & QIODevice::Unbuffered;
    char *slice = readSlice();
    while (m_socket) {
        Clock::time_point arrived;
        const qint64 n = readSome(slice, &arrived);
        if (n < 0 && unbuffered) {
            // The end of the stream, or an error, read straight from the kernel: Qt emits no
            // signal for it on an unbuffered socket, so this is where it is handled.
            onPeerGone();
            return;
        }
        if (n <= 0)
            return;
        if (m_phase == Phase::Sending) {
            m_timings.sendUs = since(m_mark);
            m_phase = Phase::Waiting;
            m_mark = Clock::now();
        }
        if (m_phase == Phase::Waiting) {
            // The answer can arrive while the thread is still noting that the request went
            // out: then it waited no time at all.
            m_firstByte = std::max(arrived, m_mark);
            m_timings.waitUs = micros(m_mark, m_firstByte);
            m_phase = Phase::Receiving;
        }
        m_lastByte = std::max(arrived, m_firstByte);
        QByteArrayView rest(slice, n);
        while (!rest.isEmpty()) {
            rest = rest.sliced(m_parser.feed(rest));
            const auto state = m_parser.state();
            if (state == wire::MessageParser::State::Error) {
                const wire::ParseError &e = m_parser.error();
                fail(e.kind == wire::ErrorKind::Truncated ? OutcomeClass::ConnectionReset
                                                          : OutcomeClass::NetworkOther,
                     u"malformed response: "_s + e.reason);
                return;
            }
            if (state == wire::MessageParser::State::Complete) {
                const wire::Message m = m_parser.take();
                // Bytes after the answer: we never pipeline, so the connection is spoilt.
                // (Unbuffered, any later bytes make the idle connection drop itself.)
                const bool extra =
                    !rest.isEmpty() || (!unbuffered && m_socket->bytesAvailable() > 0);
                finish(responseOf(m), m.keepAlive && !extra);
                return;
            }
        }
        // Unbuffered, a short read means the kernel had no more: epoll says when there is.
        if (unbuffered && n < kReadSlice)
            return;
    }
}

qint64 WireConnection::readSome(char *slice, Clock::time_point *arrived)
{
    if (!m_stamped) {
        *arrived = Clock::now();
        return m_socket->read(slice, kReadSlice);
    }
    const arrival::Read r = arrival::receive(m_socket->socketDescriptor(), slice, kReadSlice);
    if (r.bytes == 0 || r.bytes == arrival::Failed) {
        // The end of the stream or an error: Qt reads it once more, closes the socket and
        // names the error, as it would have had it read the first time.
        return m_socket->read(slice, kReadSlice);
    }
    // Read past Qt: a read of nothing tells the socket its data was taken, so that it
    // announces the next (unbuffered, it holds back readyRead until then).
    m_socket->read(slice, 0);
    if (r.bytes == arrival::WouldBlock)
        return 0;
    *arrived = r.arrived;
    return r.bytes;
}

} // namespace retrylab
