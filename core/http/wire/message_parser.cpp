// SPDX-License-Identifier: GPL-3.0-or-later
#include "message_parser.h"

#include "line_reader.h"
#include "wire_syntax.h"

using namespace Qt::StringLiterals;

namespace retrylab::wire {

MessageParser::MessageParser(Mode mode, const Limits &limits)
    : m_mode(mode)
    , m_limits(limits)
{}

void MessageParser::setRequestMethod(QByteArrayView method)
{
    m_headRequest = method == QByteArrayView("HEAD");
}

void MessageParser::reset()
{
    m_state = State::Idle;
    m_message = {};
    m_error = {};
    m_line.clear();
    m_wireBytes = 0;
}

Message MessageParser::take()
{
    Message out = std::move(m_message);
    m_message = {};
    m_state = State::Idle;
    m_wireBytes = 0;
    return out;
}

bool MessageParser::fail(ErrorKind kind, int status, const QString &reason)
{
    m_state = State::Error;
    m_error = {kind, m_mode == Mode::Request ? status : 0, reason};
    m_message.keepAlive = false;
    m_line.clear();
    return false;
}

void MessageParser::complete()
{
    m_state = State::Complete;
    m_line.clear();
}

qsizetype MessageParser::feed(QByteArrayView data)
{
    qsizetype used = 0;
    while (used < data.size()) {
        qsizetype n = 0;
        if (m_state == State::Idle || m_state == State::Head)
            n = feedHead(data.sliced(used));
        else if (m_state == State::Body)
            n = feedBody(data.sliced(used));
        else
            break;
        used += n;
        if (n == 0)
            break;
    }
    return used;
}

void MessageParser::finish()
{
    switch (m_state) {
    case State::Head:
        fail(ErrorKind::Truncated, 400,
             u"the connection closed after %1 bytes of the head"_s.arg(m_wireBytes));
        return;
    case State::Body:
        if (m_step == BodyStep::UntilClose) {
            complete();
        } else if (m_message.framing == BodyFraming::Length) {
            fail(ErrorKind::Truncated, 400,
                 u"the connection closed after %1 of %2 body bytes"_s.arg(m_message.bodyBytes)
                     .arg(m_message.contentLength));
        } else {
            fail(ErrorKind::Truncated, 400,
                 u"the connection closed inside a chunked body, after %1 bytes"_s.arg(
                     m_message.bodyBytes));
        }
        return;
    case State::Idle:
    case State::Complete:
    case State::Error:
        return;
    }
}

qsizetype MessageParser::feedHead(QByteArrayView data)
{
    qsizetype used = 0;
    while (used < data.size() && (m_state == State::Idle || m_state == State::Head)) {
        if (m_state == State::Idle) {
            // Empty lines before a message are skipped (RFC 9112 §2.2).
            const char c = data[used];
            if (c == '\r' || c == '\n') {
                ++used;
                continue;
            }
            m_state = State::Head;
            m_message = {};
            m_message.minorVersion = -1;  // no start line yet
            m_message.headers.reserve(8); // what clients usually send, in one allocation
            m_budget = m_limits.maxHeaderBytes;
            m_wireBytes = 0;
        }
        QByteArrayView line;
        qsizetype n = 0;
        const LineResult r = takeLine(m_line, m_joined, data.sliced(used), m_budget,
                                      m_mode == Mode::Response, &line, &n);
        used += n;
        m_wireBytes += n;
        m_budget -= n;
        if (r == LineResult::Partial)
            break;
        if (r == LineResult::TooLong) {
            fail(ErrorKind::HeaderTooLarge, 431,
                 u"the head is over %1 bytes"_s.arg(m_limits.maxHeaderBytes));
            break;
        }
        if (r == LineResult::BareLf) {
            fail(ErrorKind::HeaderSyntax, 400, u"a line of the head ends in a bare LF"_s);
            break;
        }
        if (!headLine(line))
            break;
    }
    return used;
}

bool MessageParser::headLine(QByteArrayView line)
{
    if (m_message.minorVersion < 0)
        return startLine(line);
    if (line.isEmpty())
        return headDone();
    if (line.front() == ' ' || line.front() == '\t') {
        // obs-fold (RFC 9112 §5.2): refused in requests, joined with a space in responses.
        if (m_mode == Mode::Request || m_message.headers.isEmpty())
            return fail(ErrorKind::HeaderSyntax, 400,
                        u"a field line starts with whitespace (obsolete line folding)"_s);
        const QByteArray more = trimmedOws(line);
        if (!validFieldValue(more))
            return fail(ErrorKind::HeaderSyntax, 400,
                        u"a folded field line holds a control character"_s);
        m_message.headers.back().second += ' ' + more;
        return true;
    }
    return fieldLine(line, &m_message.headers);
}

bool MessageParser::startLine(QByteArrayView line)
{
    return m_mode == Mode::Request ? requestLine(line) : statusLine(line);
}

bool MessageParser::requestLine(QByteArrayView line)
{
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    const auto malformed = [&] {
        return fail(ErrorKind::StartLine, 400,
                    u"malformed request line: '%1'"_s.arg(escapeBytes(line)));
    };
    if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return malformed();
    const QByteArrayView method = QByteArrayView(line).first(sp1);
    const QByteArrayView target = QByteArrayView(line).sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = QByteArrayView(line).sliced(sp2 + 1);
    if (!isToken(method) || target.isEmpty())
        return malformed();
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return fail(ErrorKind::StartLine, 400,
                        u"the request target holds a control character or a byte that is "
                        "not ASCII"_s);
    }
    int major = 0;
    int minor = 0;
    if (!parseVersion(version, &major, &minor))
        return malformed();
    if (major != 1)
        return fail(ErrorKind::Version, 505,
                    u"HTTP version %1 is not supported; this server speaks HTTP/1.1"_s.arg(
                        escapeBytes(version)));
    const qsizetype known = m_limits.methods.indexOf(method);
    if (!m_limits.methods.isEmpty() && known < 0)
        return fail(ErrorKind::Method, 501,
                    u"method %1 is not implemented"_s.arg(escapeBytes(method)));
    // A listed method shares the list's bytes: no allocation for it.
    m_message.method = known >= 0 ? m_limits.methods.at(known) : method.toByteArray();
    m_message.target = target.toByteArray();
    m_message.minorVersion = minor;
    return true;
}

bool MessageParser::statusLine(QByteArrayView line)
{
    const auto malformed = [&] {
        return fail(ErrorKind::StartLine, 0,
                    u"malformed status line: '%1'"_s.arg(escapeBytes(line)));
    };
    const qsizetype sp = line.indexOf(' ');
    int major = 0;
    int minor = 0;
    if (sp < 0 || !parseVersion(QByteArrayView(line).first(sp), &major, &minor))
        return malformed();
    if (major != 1)
        return fail(ErrorKind::Version, 0,
                    u"a response in HTTP/%1 on an HTTP/1.1 connection"_s.arg(major));
    // status-code = 3DIGIT, then SP and an optional reason (a missing SP is tolerated).
    const QByteArrayView rest = QByteArrayView(line).sliced(sp + 1);
    if (rest.size() < 3 || (rest.size() > 3 && rest[3] != ' '))
        return malformed();
    int status = 0;
    for (const char c : rest.first(3)) {
        if (c < '0' || c > '9')
            return malformed();
        status = status * 10 + (c - '0');
    }
    if (status < 100 || status > 599)
        return fail(ErrorKind::StartLine, 0,
                    u"status %1 is outside 100-599"_s.arg(escapeBytes(rest.first(3))));
    const QByteArrayView reason = rest.size() > 4 ? rest.sliced(4) : QByteArrayView();
    if (!validFieldValue(reason))
        return fail(ErrorKind::StartLine, 0, u"the reason phrase holds a control character"_s);
    m_message.status = status;
    m_message.reasonPhrase = reason.toByteArray();
    m_message.minorVersion = minor;
    return true;
}

bool MessageParser::fieldLine(QByteArrayView line, HeaderList *into)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(QByteArrayView(line).first(colon)))
        return fail(ErrorKind::HeaderSyntax, 400,
                    u"a field line is not 'Name: value': '%1'"_s.arg(escapeBytes(line)));
    const QByteArray value = trimmedOws(QByteArrayView(line).sliced(colon + 1));
    if (!validFieldValue(value))
        return fail(ErrorKind::HeaderSyntax, 400,
                    u"field %1 holds a control character"_s.arg(escapeBytes(line.first(colon))));
    if (into->size() >= m_limits.maxHeaderCount)
        return fail(ErrorKind::TooManyHeaders, 431,
                    u"more than %1 fields"_s.arg(m_limits.maxHeaderCount));
    into->emplaceBack(line.first(colon).toByteArray(), value);
    return true;
}

} // namespace retrylab::wire
