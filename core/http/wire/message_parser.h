// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wire_message.h"

namespace retrylab::wire {

// An incremental HTTP/1.1 parser for requests (the built-in server) and responses (the client),
// with no socket inside: feed it bytes in any split, take each message when it is complete.
// Every malformation ends in state Error with a reason (and, for requests, the status to refuse
// with); it never waits for bytes that cannot make the message valid. Rules and limits:
// core/http/wire/README.md.
//
//     MessageParser p(MessageParser::Mode::Request, limits);
//     while (!bytes.isEmpty()) {
//         bytes = bytes.sliced(p.feed(bytes));
//         if (p.state() == MessageParser::State::Complete) handle(p.take());
//         else if (p.state() == MessageParser::State::Error) refuse(p.error()); // and close
//     }
//
// Not thread-safe; one parser per connection.
class MessageParser
{
public:
    enum class Mode { Request, Response };
    enum class State {
        Idle,     // between messages (leading empty lines are skipped in request mode)
        Head,     // reading the start line and the fields
        Body,     // the head is complete (message() has it); reading the body
        Complete, // take() the message; feed() consumes nothing until then
        Error,    // error() says why; the connection cannot be used any more
    };

    explicit MessageParser(Mode mode, const Limits &limits = {});

    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    // Response mode: the method of the request the next response answers (HEAD has no body).
    void setRequestMethod(QByteArrayView method);

    // Consumes bytes up to the end of one message, or up to an error, or all of them.
    // Returns how many were consumed; 0 only when `data` is empty or the state is Complete or
    // Error.
    qsizetype feed(QByteArrayView data);
    // The peer closed its sending side: completes a close-delimited response; a message cut
    // short becomes a Truncated error. Nothing happens in Idle.
    void finish();

    State state() const { return m_state; }
    bool headComplete() const { return m_state == State::Body || m_state == State::Complete; }
    // The message so far: its head once headComplete(), its body as it arrives.
    const Message &message() const { return m_message; }
    // Returns the complete message and starts on the next one.
    Message take();
    const ParseError &error() const { return m_error; }
    // Bytes of the current message consumed so far (its head and body on the wire).
    qint64 messageWireBytes() const { return m_wireBytes; }
    // 1xx responses skipped since construction (response mode).
    int informationalSkipped() const { return m_informational; }
    // Back to Idle, dropping any partial message and error.
    void reset();

private:
    enum class BodyStep { Length, ChunkSize, ChunkData, ChunkEnd, Trailers, UntilClose };

    qsizetype feedHead(QByteArrayView data);
    qsizetype feedBody(QByteArrayView data);
    bool headLine(QByteArrayView line);
    bool startLine(QByteArrayView line);
    bool requestLine(QByteArrayView line);
    bool statusLine(QByteArrayView line);
    bool fieldLine(QByteArrayView line, HeaderList *into);
    bool headDone();
    bool chooseFraming();
    bool chunkSizeLine(QByteArrayView line);
    void keep(QByteArrayView bytes);
    void complete();
    bool fail(ErrorKind kind, int status, const QString &reason);

    Mode m_mode;
    Limits m_limits;
    bool m_headRequest = false;
    State m_state = State::Idle;
    Message m_message;
    ParseError m_error;
    QByteArray m_line;      // a partial line carried between feed() calls
    QByteArray m_joined;    // a line that began in an earlier feed() call, joined
    qsizetype m_budget = 0; // head (or trailer) bytes still allowed
    bool m_lineEndedInCr = false;
    BodyStep m_step = BodyStep::Length;
    qint64 m_left = 0; // body or chunk bytes still to come
    qint64 m_wireBytes = 0;
    int m_informational = 0;
};

} // namespace retrylab::wire
