// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP/1.1 framing shared by the built-in server and the client (core/http/wire/README.md):
// every row is parsed whole, split at every byte boundary, and byte by byte, with one result.
#include "http/wire/message_parser.h"
#include "http/wire/message_writer.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace retrylab;
using namespace retrylab::wire;

using Mode = MessageParser::Mode;
using State = MessageParser::State;

namespace {

// A message as one line, for comparing rows: what a caller would read of it.
QByteArray describe(const Message &m)
{
    // Each side made a QByteArray: with QStringBuilder the two sides of ?: are different types,
    // which GCC 14 (Debian 13) refuses.
    QByteArray out = m.method.isEmpty()
                         ? QByteArray(QByteArray::number(m.status) + ' ' + m.reasonPhrase)
                         : QByteArray(m.method + ' ' + m.target);
    out += " 1." + QByteArray::number(m.minorVersion);
    for (const auto &[n, v] : m.headers)
        out += " [" + n + '=' + v + ']';
    for (const auto &[n, v] : m.trailers)
        out += " {" + n + '=' + v + '}';
    static const char *framings[] = {"none", "length", "chunked", "close"};
    out += ' ';
    out += framings[static_cast<int>(m.framing)];
    out += " body=" + m.body + '/' + QByteArray::number(m.bodyBytes);
    out += m.keepAlive ? " ka" : " close";
    return out;
}

struct Outcome {
    QList<QByteArray> messages; // described
    QByteArray error;           // "<status> <kind>" or empty
    qsizetype consumed = 0;
    bool operator==(const Outcome &) const = default;
};

QByteArray describeError(const ParseError &e)
{
    return QByteArray::number(e.status) + ' ' + errorKindId(e.kind).toLatin1();
}

// Feeds `pieces` in order, taking every complete message; `eof` ends with finish().
Outcome run(Mode mode, const QList<QByteArrayView> &pieces, bool eof, QByteArrayView method = "GET",
            const Limits &limits = {})
{
    MessageParser p(mode, limits);
    p.setRequestMethod(method);
    Outcome out;
    const auto drain = [&] {
        if (p.state() == State::Complete)
            out.messages << describe(p.take());
    };
    for (QByteArrayView piece : pieces) {
        while (!piece.isEmpty() && p.state() != State::Error) {
            const qsizetype n = p.feed(piece);
            out.consumed += n;
            piece = piece.sliced(n);
            drain();
            if (n == 0 && p.state() != State::Error)
                qFatal("feed() made no progress");
        }
    }
    if (eof && p.state() != State::Error) {
        p.finish();
        drain();
    }
    if (p.state() == State::Error)
        out.error = describeError(p.error());
    return out;
}

// The same outcome whole, at every split into two, and byte by byte.
void checkEverySplit(Mode mode, const QByteArray &input, bool eof, const Outcome &expected,
                     QByteArrayView method = "GET", const Limits &limits = {})
{
    const Outcome whole = run(mode, {input}, eof, method, limits);
    QCOMPARE(whole.messages, expected.messages);
    QCOMPARE(whole.error, expected.error);
    for (qsizetype at = 1; at < input.size(); ++at) {
        const QByteArrayView v(input);
        const Outcome split = run(mode, {v.first(at), v.sliced(at)}, eof, method, limits);
        if (split.messages != whole.messages || split.error != whole.error)
            QFAIL(qPrintable(u"split at %1: %2 | %3"_s.arg(at).arg(
                QString::fromLatin1(split.messages.join(" / ")),
                QString::fromLatin1(split.error))));
    }
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < input.size(); ++i)
        bytes << QByteArrayView(input).sliced(i, 1);
    const Outcome single = run(mode, bytes, eof, method, limits);
    QCOMPARE(single.messages, whole.messages);
    QCOMPARE(single.error, whole.error);
}

} // namespace

class TestHttpWire : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requests_data();
    void requests();
    void requestErrors_data();
    void requestErrors();
    void responses_data();
    void responses();
    void responseErrors_data();
    void responseErrors();
    void limits();
    void bodyKeptUpToLimit();
    void partialBodyCostsItsSize();
    void stopsAtEachMessage();
    void writersRoundTrip();
    void validField();
    void fragmentsNeverStall();
};

#include "tst_http_wire_rows.h"

void TestHttpWire::requests()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, expected);
    checkEverySplit(Mode::Request, input, false, {expected, {}, 0});
}

void TestHttpWire::requestErrors()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, error);
    QFETCH(bool, eof);
    const Outcome out = run(Mode::Request, {input}, eof);
    QCOMPARE(out.error, error);
    checkEverySplit(Mode::Request, input, eof, {{}, error, 0});
}

void TestHttpWire::responses()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, method);
    QFETCH(bool, eof);
    QFETCH(QList<QByteArray>, expected);
    checkEverySplit(Mode::Response, input, eof, {expected, {}, 0}, method);
}

void TestHttpWire::responseErrors()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, eof);
    QFETCH(QByteArray, error);
    checkEverySplit(Mode::Response, input, eof, {{}, error, 0});
}

void TestHttpWire::limits()
{
    Limits l;
    l.maxHeaderBytes = 64;
    l.maxHeaderCount = 3;
    // The head is counted with its line ends: "GET / HTTP/1.1\r\n" (16) + "Host: x\r\n" (9) +
    // a field of 37 bytes with CRLF + the blank line (2) = 64.
    const QByteArray atLimit =
        "GET / HTTP/1.1\r\nHost: x\r\nX: " + QByteArray(32, 'a') + "\r\n\r\n";
    QCOMPARE(atLimit.size(), 64);
    checkEverySplit(Mode::Request, atLimit, false,
                    {{"GET / 1.1 [Host=x] [X=" + QByteArray(32, 'a') + "] none body=/0 ka"}, {}, 0},
                    "GET", l);
    const QByteArray over = "GET / HTTP/1.1\r\nHost: x\r\nX: " + QByteArray(33, 'a') + "\r\n\r\n";
    checkEverySplit(Mode::Request, over, false, {{}, "431 header-too-large", 0}, "GET", l);
    // Over the limit is refused before the blank line arrives.
    QCOMPARE(run(Mode::Request, {QByteArray(65, 'G')}, false, "GET", l).error,
             QByteArray("431 header-too-large"));
    const QByteArray four = "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    l.maxHeaderBytes = 1024;
    checkEverySplit(Mode::Request, four, false, {{}, "431 too-many-headers", 0}, "GET", l);
    // The body limit: refused from the Content-Length alone, or as a chunked body grows.
    l.maxBodyBytes = 4;
    QCOMPARE(run(Mode::Request, {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"}, false,
                 "GET", l)
                 .error,
             QByteArray("413 body-too-large"));
    checkEverySplit(Mode::Request,
                    "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                    false, {{}, "413 body-too-large", 0}, "GET", l);
    l.requireContentLength = true;
    QCOMPARE(run(Mode::Request,
                 {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"}, false, "GET",
                 l)
                 .error,
             QByteArray("411 length-required"));
    // Every method, when the list is empty.
    l.methods.clear();
    QCOMPARE(run(Mode::Request, {"BREW / HTTP/1.1\r\nHost: x\r\n\r\n"}, false, "GET", l).messages,
             QList<QByteArray>{"BREW / 1.1 [Host=x] none body=/0 ka"});
}

void TestHttpWire::bodyKeptUpToLimit()
{
    Limits l;
    l.bodyKeepBytes = 4;
    checkEverySplit(Mode::Response, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789",
                    false, {{"200 OK 1.1 [Content-Length=10] length body=0123/10 ka"}, {}, 0},
                    "GET", l);
    checkEverySplit(Mode::Response,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n"
                    "4\r\n6789\r\n0\r\n\r\n",
                    false,
                    {{"200 OK 1.1 [Transfer-Encoding=chunked] chunked body=0123/10 ka"}, {}, 0},
                    "GET", l);
    checkEverySplit(Mode::Response, "HTTP/1.1 200 OK\r\n\r\n0123456789", true,
                    {{"200 OK 1.1 close body=0123/10 close"}, {}, 0}, "GET", l);
    MessageParser p(Mode::Response, l);
    p.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
    QVERIFY(p.message().bodyCut());
}

void TestHttpWire::partialBodyCostsItsSize()
{
    // Regression: a connection holding a partial 1 MB body cost about 2 MB.
    Limits l;
    l.maxBodyBytes = 1024 * 1024;
    l.bodyKeepBytes = 1024 * 1024;
    MessageParser p(Mode::Request, l);
    const qint64 declared = 1000 * 1000;
    p.feed(QByteArray("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                      QByteArray::number(declared) + "\r\n\r\n"));
    QCOMPARE(p.state(), State::Body);
    const QByteArray piece(1000, 'x');
    for (int i = 0; i < 999; ++i) {
        QCOMPARE(p.feed(piece), piece.size());
        QVERIFY2(p.message().body.capacity() <= declared,
                 qPrintable(u"capacity %1 after %2 bytes"_s.arg(p.message().body.capacity())
                                .arg(p.message().body.size())));
    }
    QCOMPARE(p.message().body.size(), 999'000);
    // A declared length alone reserves nothing.
    MessageParser q(Mode::Request, l);
    q.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nx");
    QVERIFY(q.message().body.capacity() <= 8192);
}

void TestHttpWire::stopsAtEachMessage()
{
    // Pipelined requests: feed() stops at the end of each, so the caller answers in order.
    const QByteArray two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
    MessageParser p(Mode::Request);
    const qsizetype n = p.feed(two);
    QCOMPARE(n, two.indexOf("GET /b"));
    QCOMPARE(p.state(), State::Complete);
    QCOMPARE(p.feed(QByteArrayView(two).sliced(n)), 0); // nothing until take()
    QCOMPARE(p.take().target, QByteArray("/a"));
    QCOMPARE(p.feed(QByteArrayView(two).sliced(n)), two.size() - n);
    QCOMPARE(p.take().target, QByteArray("/b"));
    QCOMPARE(p.state(), State::Idle);
    // A response to HEAD has no body even with a Content-Length; the next response follows.
    MessageParser r(Mode::Response);
    r.setRequestMethod("HEAD");
    const QByteArray head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    QCOMPARE(r.feed(QByteArray(head + "HTTP/1.1")), head.size());
    QCOMPARE(r.take().bodyBytes, 0);
    QVERIFY(r.messageWireBytes() == 0);
}

void TestHttpWire::writersRoundTrip()
{
    const QByteArray req =
        wire::request("POST", "/payments?x=1", "127.0.0.1:8080",
                      {{"Idempotency-Key", "\"k1\""}, {"Host", "ignored"}}, "{\"amount\":5}");
    QCOMPARE(run(Mode::Request, {req}, false).messages,
             QList<QByteArray>{"POST /payments?x=1 1.1 [Host=127.0.0.1:8080] "
                               "[Idempotency-Key=\"k1\"] [Content-Length=12] length "
                               "body={\"amount\":5}/12 ka"});
    // A POST without a body still says Content-Length: 0; a GET says nothing.
    QVERIFY(wire::request("POST", "/", "h", {}).contains("Content-Length: 0\r\n"));
    QVERIFY(!wire::request("GET", "/", "h", {}).contains("Content-Length"));
    const QByteArray resp =
        responseHead(503, {{"Retry-After", "2"}, {"Transfer-Encoding", "chunked"}}) + chunk("abc") +
        chunk("de") + chunk({});
    QCOMPARE(run(Mode::Response, {resp}, false).messages,
             QList<QByteArray>{"503 Service Unavailable 1.1 [Retry-After=2] "
                               "[Transfer-Encoding=chunked] chunked body=abcde/5 ka"});
    QCOMPARE(reasonPhrase(505).toByteArray(), QByteArray("HTTP Version Not Supported"));
}

void TestHttpWire::validField()
{
    QVERIFY(wire::validField("X-Ok", "a value\twith tab"));
    QString why;
    QVERIFY(!wire::validField("X-Bad", "a\r\nInjected: yes", &why));
    QVERIFY(why.contains(u"control character"_s));
    QVERIFY(!wire::validField("Bad Name", "v", &why));
    QVERIFY(why.contains(u"not a valid header name"_s));
}

void TestHttpWire::fragmentsNeverStall()
{
    // Shuffled pieces of valid and broken messages, in both modes, under a fixed seed: every
    // feed() makes progress or stops in Complete/Error (run() aborts otherwise), and a message
    // that completes has a status in 100-599 or a method.
    const QList<QByteArray> pieces = {"GET / HTTP/1.1\r\n",
                                      "HTTP/1.1 200 OK\r\n",
                                      "Host: x\r\n",
                                      "Content-Length: 3\r\n",
                                      "Transfer-Encoding: chunked\r\n",
                                      "\r\n",
                                      "3\r\nabc\r\n",
                                      "0\r\n\r\n",
                                      "abc",
                                      "\n",
                                      "\r",
                                      " ",
                                      ":",
                                      "HTTP/1.1 100 Continue\r\n\r\n",
                                      "ffffffffffffff\r\n",
                                      "\x00\xff"};
    QRandomGenerator rng(42);
    for (int i = 0; i < 3000; ++i) {
        QByteArray input;
        const int n = 1 + int(rng.bounded(12));
        for (int k = 0; k < n; ++k)
            input += pieces[rng.bounded(int(pieces.size()))];
        for (const Mode mode : {Mode::Request, Mode::Response}) {
            const qsizetype cut = rng.bounded(int(input.size()) + 1);
            const QByteArrayView v(input);
            const Outcome out = run(mode, {v.first(cut), v.sliced(cut)}, rng.bounded(2) == 1);
            for (const QByteArray &m : out.messages) {
                const int status = m.left(3).toInt();
                QVERIFY2(mode == Mode::Request || (status >= 100 && status <= 599), m.constData());
            }
        }
    }
}

QTEST_GUILESS_MAIN(TestHttpWire)
#include "tst_http_wire.moc"
