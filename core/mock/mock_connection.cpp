// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock_connection.h"

#include "http_wire.h"
#include "mock_server.h"
#include "socket_io.h"

#include <QSocketNotifier>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr qint64 kReadChunk = 64 * 1024;
constexpr int kReadsPerEvent = 4;                // then let other connections have a turn
constexpr qsizetype kPipelineBuffer = 64 * 1024; // then stop reading until the answer is out

} // namespace

MockConnection::MockConnection(qintptr fd, MockServer *server)
    : QObject(server)
    , m_fd(fd)
    , m_server(server)
    , m_parser(wire::MessageParser::Mode::Request, server->parserLimits())
{
    sockio::prepare(fd);
    m_read = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    m_write = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &MockConnection::onReadable);
    connect(m_write, &QSocketNotifier::activated, this, &MockConnection::onWritable);
    m_lastActivity = server->now();
    m_peer = sockio::peerAddress(fd);
}

MockConnection::~MockConnection()
{
    if (m_fd >= 0) {
        m_read->setEnabled(false);
        m_write->setEnabled(false);
        sockio::close(m_fd);
        m_fd = -1;
    }
}

MockConnection::Phase MockConnection::phase() const
{
    if (m_draining || m_closeAfterWrite || m_fd < 0)
        return Phase::Closing;
    if (m_busy)
        return Phase::Busy;
    switch (m_parser.state()) {
    case wire::MessageParser::State::Head:
        return Phase::Head;
    case wire::MessageParser::State::Body:
        return Phase::Body;
    default:
        return m_in.isEmpty() ? Phase::Idle : Phase::Head;
    }
}

void MockConnection::die()
{
    if (m_fd < 0)
        return;
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    m_fd = -1;
    m_server->connectionClosed(this);
    deleteLater();
}

void MockConnection::closeNow()
{
    if (m_fd < 0)
        return;
    const qintptr fd = m_fd;
    die();
    sockio::close(fd);
}

void MockConnection::reset()
{
    if (m_fd < 0)
        return;
    const qintptr fd = m_fd;
    die();
    sockio::reset(fd);
}

void MockConnection::onReadable()
{
    char buffer[kReadChunk];
    for (int i = 0; i < kReadsPerEvent && m_fd >= 0; ++i) {
        if (m_busy && m_in.size() >= kPipelineBuffer && !m_draining) {
            m_read->setEnabled(false); // back-pressure until the answer is out
            return;
        }
        const qint64 n = sockio::receive(m_fd, buffer, kReadChunk);
        if (n == sockio::WouldBlock)
            return;
        if (n == sockio::Failed) {
            closeNow();
            return;
        }
        if (n == 0) {
            m_peerClosed = true;
            m_read->setEnabled(false);
            if (m_draining)
                closeNow();
            else
                onEndOfInput();
            return;
        }
        m_lastActivity = m_server->now();
        if (!m_draining)
            consume(QByteArrayView(buffer, n));
        if (n < kReadChunk)
            return; // the kernel had no more: the notifier says when it has (saves a recv)
    }
}

// What the profile allows, or the admin API's own limit, for the request being read.
bool MockConnection::bodyOverLimit(QString *reason) const
{
    const wire::Message &m = m_parser.message();
    const qint64 limit = m_server->bodyLimit(m.target);
    const qint64 size = std::max(m.contentLength, m.bodyBytes);
    if (size <= limit)
        return false;
    *reason = u"the body of %1 bytes is over the limit of %2"_s.arg(size).arg(limit);
    return true;
}

void MockConnection::consume(QByteArrayView data)
{
    using State = wire::MessageParser::State;
    while (!data.isEmpty() && !m_busy && m_fd >= 0 && !m_closeAfterWrite) {
        const qsizetype n = m_parser.feed(data);
        data = data.sliced(n);
        const State state = m_parser.state();
        if (state == State::Error) {
            refuse(m_parser.error().status, m_parser.error().reason);
            return;
        }
        if (m_headStarted < Duration::zero() && state != State::Idle)
            m_headStarted = m_server->now();
        QString reason;
        if (m_parser.headComplete() && bodyOverLimit(&reason)) {
            refuse(413, reason);
            return;
        }
        if (state == State::Complete) {
            m_busy = true;
            m_headStarted = Duration(-1);
            m_server->dispatch(this, m_parser.take());
        }
    }
    if (!data.isEmpty() && m_fd >= 0 && !m_closeAfterWrite)
        m_in.append(data);
}

void MockConnection::onEndOfInput()
{
    if (m_busy)
        return; // answered first; requestDone() closes
    if (!m_in.isEmpty()) {
        const QByteArray rest = std::exchange(m_in, {});
        consume(rest);
        if (m_busy || m_fd < 0 || m_closeAfterWrite)
            return;
    }
    m_parser.finish();
    if (m_parser.state() == wire::MessageParser::State::Error)
        refuse(m_parser.error().status, m_parser.error().reason);
    else
        closeAfterWrite();
}

void MockConnection::requestDone(bool keepAlive)
{
    if (m_fd < 0)
        return;
    m_busy = false;
    m_lastActivity = m_server->now();
    if (!keepAlive) {
        closeAfterWrite();
        return;
    }
    if (!m_in.isEmpty()) {
        const QByteArray rest = std::exchange(m_in, {});
        consume(rest);
    }
    if (m_fd < 0 || m_busy || m_closeAfterWrite)
        return;
    if (m_peerClosed)
        onEndOfInput();
    else
        m_read->setEnabled(true);
}

void MockConnection::refuse(int status, const QString &reason)
{
    if (m_fd < 0)
        return;
    m_server->refused(status, reason);
    const QByteArray body = wire::errorBody(status, reason);
    write(wire::response(status, {}, body.size(), false, m_server->httpDate(), body));
    m_in.clear();
    closeAfterWrite();
}

void MockConnection::write(QByteArrayView bytes)
{
    if (m_fd < 0 || m_draining || bytes.isEmpty())
        return;
    if (m_outAt == m_out.size()) {
        // Nothing queued: straight to the kernel, keeping only what it did not take.
        const qint64 n = sockio::send(m_fd, bytes.data(), bytes.size());
        if (n == sockio::Failed) {
            closeNow();
            return;
        }
        const qsizetype sent = n > 0 ? static_cast<qsizetype>(n) : 0;
        if (sent == bytes.size())
            return;
        m_out = bytes.sliced(sent).toByteArray();
        m_outAt = 0;
        m_write->setEnabled(true);
        return;
    }
    m_out.append(bytes);
}

void MockConnection::onWritable()
{
    flush();
}

void MockConnection::flush()
{
    while (m_fd >= 0 && m_outAt < m_out.size()) {
        const qint64 n = sockio::send(m_fd, m_out.constData() + m_outAt, m_out.size() - m_outAt);
        if (n == sockio::Failed) {
            closeNow();
            return;
        }
        if (n == sockio::WouldBlock)
            return;
        m_outAt += static_cast<qsizetype>(n);
    }
    if (m_fd < 0)
        return;
    m_out.clear();
    m_outAt = 0;
    m_write->setEnabled(false);
    if (m_closeAfterWrite && !m_draining) {
        m_draining = true;
        sockio::shutdownWrite(m_fd);
        m_lastActivity = m_server->now();
        if (m_peerClosed)
            closeNow();
        else
            m_read->setEnabled(true);
    }
}

void MockConnection::closeAfterWrite()
{
    if (m_fd < 0 || m_closeAfterWrite)
        return;
    m_closeAfterWrite = true;
    m_in.clear();
    flush();
}

} // namespace retrylab
