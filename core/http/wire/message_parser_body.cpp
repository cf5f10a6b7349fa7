// SPDX-License-Identifier: GPL-3.0-or-later
// MessageParser: choosing how the body is delimited, and reading it.
#include "line_reader.h"
#include "message_parser.h"
#include "wire_syntax.h"

using namespace Qt::StringLiterals;

namespace retrylab::wire {

namespace {

// A chunk-size line with its extensions; longer ones are refused (README.md).
constexpr qsizetype kMaxChunkLine = 4096;

// Content-Length: one or more fields, each a comma-separated list, all of one decimal value
// (RFC 9110 §8.6). Returns -1 when invalid or conflicting.
qint64 contentLength(const HeaderList &headers, bool *present)
{
    qint64 out = -1;
    *present = false;
    for (const auto &[name, value] : headers) {
        if (QByteArrayView(name).compare("content-length", Qt::CaseInsensitive) != 0)
            continue;
        *present = true;
        for (const QByteArray &part : value.split(',')) {
            const QByteArray digits = trimmedOws(part);
            if (digits.isEmpty() || digits.size() > 18)
                return -1;
            qint64 n = 0;
            for (const char c : digits) {
                if (c < '0' || c > '9')
                    return -1;
                n = n * 10 + (c - '0');
            }
            if (out >= 0 && n != out)
                return -1;
            out = n;
        }
    }
    return out;
}

} // namespace

bool MessageParser::headDone()
{
    Message &m = m_message;
    if (m_mode == Mode::Response && m.status < 200) {
        if (m.status == 101)
            return fail(ErrorKind::Unexpected, 0,
                        u"101 Switching Protocols, but no upgrade was asked for"_s);
        ++m_informational; // 100 Continue, 102, 103 Early Hints: the real answer follows
        m_state = State::Idle;
        return true;
    }
    if (m_mode == Mode::Request && m.minorVersion >= 1) {
        int hosts = 0;
        for (const auto &field : m.headers)
            hosts += QByteArrayView(field.first).compare("host", Qt::CaseInsensitive) == 0;
        if (hosts != 1)
            return fail(ErrorKind::HeaderSyntax, 400,
                        hosts == 0 ? u"an HTTP/1.1 request needs a Host field"_s
                                   : u"%1 Host fields in one request"_s.arg(hosts));
    }
    m.keepAlive = m.minorVersion >= 1 ? !m.hasToken("connection", "close")
                                      : m.hasToken("connection", "keep-alive");
    if (!chooseFraming())
        return false;
    switch (m.framing) {
    case BodyFraming::None:
        complete();
        return true;
    case BodyFraming::Length:
        if (m_limits.maxBodyBytes >= 0 && m.contentLength > m_limits.maxBodyBytes)
            return fail(ErrorKind::BodyTooLarge, 413,
                        u"the body of %1 bytes is over the limit of %2"_s.arg(m.contentLength)
                            .arg(m_limits.maxBodyBytes));
        m_left = m.contentLength;
        m_step = BodyStep::Length;
        if (m_left == 0) {
            complete();
            return true;
        }
        break;
    case BodyFraming::Chunked:
        m_step = BodyStep::ChunkSize;
        m_budget = kMaxChunkLine;
        break;
    case BodyFraming::CloseDelimited:
        m_step = BodyStep::UntilClose;
        break;
    }
    m_state = State::Body;
    return true;
}

bool MessageParser::chooseFraming()
{
    Message &m = m_message;
    const bool request = m_mode == Mode::Request;
    if (!request && (m_headRequest || m.status == 204 || m.status == 304)) {
        m.framing = BodyFraming::None; // RFC 9112 §6.3 rule 1: whatever the fields say
        return true;
    }
    QList<QByteArray> codings;
    for (const auto &[name, value] : m.headers)
        if (QByteArrayView(name).compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            for (const QByteArray &part : value.split(','))
                codings << trimmedOws(part).toLower();
    bool hasLength = false;
    const qint64 length = contentLength(m.headers, &hasLength);
    if (!codings.isEmpty()) {
        if (m.minorVersion == 0)
            return fail(ErrorKind::TransferEncoding, 400,
                        u"Transfer-Encoding in an HTTP/1.0 message"_s);
        if (hasLength && request)
            return fail(ErrorKind::TransferEncoding, 400,
                        u"both Content-Length and Transfer-Encoding: the length is ambiguous"_s);
        const bool chunkedLast = codings.back() == "chunked";
        if (codings.count("chunked") > (chunkedLast ? 1 : 0) || codings.contains(QByteArray()))
            return fail(ErrorKind::TransferEncoding, 400,
                        u"Transfer-Encoding '%1' is not a valid list of codings"_s.arg(
                            escapeBytes(codings.join(", "))));
        if (request) {
            if (!chunkedLast)
                return fail(ErrorKind::TransferEncoding, 400,
                            u"a request's Transfer-Encoding must end in chunked"_s);
            if (codings.size() > 1)
                return fail(
                    ErrorKind::TransferEncoding, 501,
                    u"transfer coding %1 is not implemented"_s.arg(escapeBytes(codings.front())));
            if (m_limits.requireContentLength)
                return fail(ErrorKind::LengthRequired, 411,
                            u"chunked request bodies are not accepted: send Content-Length"_s);
        }
        // A response's other codings stay in the body, undecoded; without chunked last the
        // body runs to the close (RFC 9112 §6.3 rule 4).
        m.framing = chunkedLast ? BodyFraming::Chunked : BodyFraming::CloseDelimited;
        if (hasLength || !chunkedLast)
            m.keepAlive = false;
        return true;
    }
    if (hasLength) {
        if (length < 0)
            return fail(
                ErrorKind::ContentLength, 400,
                u"invalid Content-Length '%1'"_s.arg(escapeBytes(m.header("content-length"))));
        m.contentLength = length;
        m.framing = BodyFraming::Length;
        return true;
    }
    if (request) {
        m.framing = BodyFraming::None;
    } else {
        m.framing = BodyFraming::CloseDelimited;
        m.keepAlive = false;
    }
    return true;
}

void MessageParser::keep(QByteArrayView bytes)
{
    Message &m = m_message;
    m.bodyBytes += bytes.size();
    const qint64 room = m_limits.bodyKeepBytes - m.body.size();
    if (room <= 0 || bytes.isEmpty())
        return;
    const qsizetype take = static_cast<qsizetype>(std::min<qint64>(room, bytes.size()));
    const qsizetype need = m.body.size() + take;
    if (need > m.body.capacity()) {
        // Grow geometrically, but never past what the body can reach: a partial body costs
        // its own size, not twice it (README.md).
        qint64 bound = m_limits.bodyKeepBytes;
        if (m.framing == BodyFraming::Length)
            bound = std::min(bound, m.contentLength);
        const qint64 grown = std::max<qint64>(m.body.capacity() * 2, 4096);
        m.body.reserve(static_cast<qsizetype>(std::max<qint64>(need, std::min(bound, grown))));
    }
    m.body.append(bytes.first(take));
}

bool MessageParser::chunkSizeLine(QByteArrayView line)
{
    qsizetype i = 0;
    qint64 size = 0;
    for (; i < line.size(); ++i) {
        const char c = line[i];
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        if (digit < 0)
            break;
        if (i >= 15)
            return fail(ErrorKind::Chunk, 400, u"a chunk size of more than 15 hex digits"_s);
        size = size * 16 + digit;
    }
    // chunk-ext: BWS ";" name [= value], unchecked beyond its characters (RFC 9112 §7.1.1).
    QByteArrayView rest = QByteArrayView(line).sliced(i);
    while (!rest.isEmpty() && (rest.front() == ' ' || rest.front() == '\t'))
        rest = rest.sliced(1);
    if (i == 0 || (!rest.isEmpty() && rest.front() != ';') || !validFieldValue(rest))
        return fail(ErrorKind::Chunk, 400,
                    u"invalid chunk-size line '%1'"_s.arg(escapeBytes(line)));
    m_left = size;
    if (size == 0) {
        m_step = BodyStep::Trailers;
        m_budget = m_limits.maxHeaderBytes;
    } else {
        m_step = BodyStep::ChunkData;
    }
    return true;
}

qsizetype MessageParser::feedBody(QByteArrayView data)
{
    qsizetype used = 0;
    while (used < data.size() && m_state == State::Body) {
        const QByteArrayView rest = data.sliced(used);
        if (m_step == BodyStep::Length || m_step == BodyStep::ChunkData ||
            m_step == BodyStep::UntilClose) {
            const qsizetype take =
                m_step == BodyStep::UntilClose
                    ? rest.size()
                    : static_cast<qsizetype>(std::min<qint64>(m_left, rest.size()));
            used += take;
            m_wireBytes += take;
            if (m_step != BodyStep::UntilClose)
                m_left -= take;
            keep(rest.first(take));
            if (m_limits.maxBodyBytes >= 0 && m_message.bodyBytes > m_limits.maxBodyBytes) {
                fail(ErrorKind::BodyTooLarge, 413,
                     u"the body is over the limit of %1 bytes"_s.arg(m_limits.maxBodyBytes));
                break;
            }
            if (m_left == 0 && m_step == BodyStep::Length) {
                complete();
            } else if (m_left == 0 && m_step == BodyStep::ChunkData) {
                m_step = BodyStep::ChunkEnd;
                m_budget = 2;
            }
            continue;
        }
        QByteArrayView line;
        qsizetype n = 0;
        const LineResult r =
            takeLine(m_line, m_joined, rest, m_budget, m_mode == Mode::Response, &line, &n);
        used += n;
        m_wireBytes += n;
        m_budget -= n;
        if (r == LineResult::Partial)
            break;
        if (r == LineResult::BareLf) {
            fail(ErrorKind::Chunk, 400, u"a line of the chunked body ends in a bare LF"_s);
            break;
        }
        if (r == LineResult::TooLong) {
            if (m_step == BodyStep::Trailers)
                fail(ErrorKind::HeaderTooLarge, 431,
                     u"the trailers are over %1 bytes"_s.arg(m_limits.maxHeaderBytes));
            else if (m_step == BodyStep::ChunkEnd)
                fail(ErrorKind::Chunk, 400, u"a chunk is longer than its size"_s);
            else
                fail(ErrorKind::Chunk, 400,
                     u"a chunk-size line of more than %1 bytes"_s.arg(kMaxChunkLine));
            break;
        }
        if (m_step == BodyStep::ChunkEnd) {
            if (!line.isEmpty()) {
                fail(ErrorKind::Chunk, 400, u"a chunk is longer than its size"_s);
                break;
            }
            m_step = BodyStep::ChunkSize;
            m_budget = kMaxChunkLine;
        } else if (m_step == BodyStep::ChunkSize) {
            if (!chunkSizeLine(line))
                break;
        } else if (line.isEmpty()) {
            complete();
        } else if (!fieldLine(line, &m_message.trailers)) {
            break;
        }
    }
    return used;
}

} // namespace retrylab::wire
