// SPDX-License-Identifier: GPL-3.0-or-later
// The data rows of tst_http_wire.cpp: inputs and what each must read as.
#pragma once

using Messages = QList<QByteArray>;

void TestHttpWire::requests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<Messages>("expected");
    const QByteArray get = "GET / 1.1 [Host=x] none body=/0 ka";
    QTest::addRow("GET") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << Messages{get};
    QTest::addRow("empty lines before it")
        << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") << Messages{get};
    QTest::addRow("whitespace around a value")
        << QByteArray("GET / HTTP/1.1\r\nHost: \t x \t\r\n\r\n") << Messages{get};
    QTest::addRow("empty value") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX:\r\n\r\n")
                                 << Messages{"GET / 1.1 [Host=x] [X=] none body=/0 ka"};
    QTest::addRow("obs-text in a value")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nX: caf\xc3\xa9\r\n\r\n")
        << Messages{"GET / 1.1 [Host=x] [X=caf\xc3\xa9] none body=/0 ka"};
    QTest::addRow("absolute-form target")
        << QByteArray("GET http://x/a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        << Messages{"GET http://x/a?b=1 1.1 [Host=x] none body=/0 ka"};
    QTest::addRow("Content-Length")
        << QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        << Messages{"POST /p 1.1 [Host=x] [Content-Length=3] length body=abc/3 ka"};
    QTest::addRow("Content-Length repeated, equal")
        << QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n"
                      "Content-Length: 3\r\n\r\nabc")
        << Messages{"POST /p 1.1 [Host=x] [Content-Length=3, 3] [Content-Length=3] length "
                    "body=abc/3 ka"};
    QTest::addRow("Content-Length 0")
        << QByteArray("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        << Messages{"POST /p 1.1 [Host=x] [Content-Length=0] length body=/0 ka"};
    QTest::addRow("chunked, extensions, trailers")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;name=val\r\nabc\r\n2 ; q=\"x y\"\r\nde\r\nA\r\n0123456789\r\n"
                      "0;last\r\nX-Sum: 15\r\n\r\n")
        << Messages{"POST / 1.1 [Host=x] [Transfer-Encoding=chunked] {X-Sum=15} chunked "
                    "body=abcde0123456789/15 ka"};
    QTest::addRow("chunked, upper-case name and hex")
        << QByteArray("POST / HTTP/1.1\r\nHost: x\r\nTRANSFER-ENCODING: Chunked\r\n\r\n"
                      "0000B\r\n0123456789a\r\n0\r\n\r\n")
        << Messages{"POST / 1.1 [Host=x] [TRANSFER-ENCODING=Chunked] chunked "
                    "body=0123456789a/11 ka"};
    QTest::addRow("HTTP/1.0 closes")
        << QByteArray("GET / HTTP/1.0\r\n\r\n") << Messages{"GET / 1.0 none body=/0 close"};
    QTest::addRow("HTTP/1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
        << Messages{"GET / 1.0 [Connection=Keep-Alive] none body=/0 ka"};
    QTest::addRow("Connection: close in a list")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, close\r\n\r\n")
        << Messages{"GET / 1.1 [Host=x] [Connection=foo, close] none body=/0 close"};
    QTest::addRow("pipelined") << QByteArray(
                                      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                                      "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                                      "GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
                               << Messages{
                                      "GET /a 1.1 [Host=x] none body=/0 ka",
                                      "POST /b 1.1 [Host=x] [Content-Length=2] length body=hi/2 ka",
                                      "GET /c 1.1 [Host=x] none body=/0 ka"};
}

void TestHttpWire::requestErrors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("error");
    QTest::addColumn<bool>("eof");
    const auto row = [](const char *name, const QByteArray &in, const char *err, bool eof = false) {
        QTest::addRow("%s", name) << in << QByteArray(err) << eof;
    };
    row("bare LF", "GET / HTTP/1.1\nHost: x\r\n\r\n", "400 header-syntax");
    row("two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", "400 start-line");
    row("no version", "GET /\r\nHost: x\r\n\r\n", "400 start-line");
    row("lower-case version", "GET / http/1.1\r\n", "400 start-line");
    row("not HTTP", "\x16\x03\x01\x02\x05\r\n", "400 start-line");
    row("HTTP/2.0", "GET / HTTP/2.0\r\n", "505 version");
    row("unknown method", "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", "501 method");
    row("method not a token", "G(T / HTTP/1.1\r\n", "400 start-line");
    row("control character in the target", "GET /a\x01z HTTP/1.1\r\n", "400 start-line");
    row("no colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", "400 header-syntax");
    row("space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "400 header-syntax");
    row("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "400 header-syntax");
    row("bare CR in a value", "GET / HTTP/1.1\r\nHost: x\rEvil: 1\r\n\r\n", "400 header-syntax");
    row("DEL in a value", "GET / HTTP/1.1\r\nHost: x\x7f\r\n\r\n", "400 header-syntax");
    row("no Host", "GET / HTTP/1.1\r\n\r\n", "400 header-syntax");
    row("two Host", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "400 header-syntax");
    const QByteArray post = "POST / HTTP/1.1\r\nHost: x\r\n";
    row("negative length", post + "Content-Length: -1\r\n\r\n", "400 content-length");
    row("length with a letter", post + "Content-Length: 1x\r\n\r\n", "400 content-length");
    row("length list differs", post + "Content-Length: 3, 4\r\n\r\n", "400 content-length");
    row("two lengths differ", post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n",
        "400 content-length");
    row("length of 20 digits", post + "Content-Length: 99999999999999999999\r\n\r\n",
        "400 content-length");
    row("length and chunked", post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "400 transfer-encoding");
    row("coding without chunked", post + "Transfer-Encoding: gzip\r\n\r\n",
        "400 transfer-encoding");
    row("gzip then chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n",
        "501 transfer-encoding");
    row("chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n",
        "400 transfer-encoding");
    row("chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        "400 transfer-encoding");
    const QByteArray chunked = post + "Transfer-Encoding: chunked\r\n\r\n";
    row("chunk size not hex", chunked + "zz\r\n", "400 chunk");
    row("chunk size of 16 digits", chunked + "1234567890123456\r\n", "400 chunk");
    row("chunk longer than its size", chunked + "3\r\nabcd\r\n", "400 chunk");
    row("control character in an extension", chunked + "3;a\x01\r\n", "400 chunk");
    row("chunk line bare LF", chunked + "3\nabc\r\n", "400 chunk");
    row("head cut by a close", "GET / HTTP/1.1\r\nHo", "400 truncated", true);
    row("body cut by a close", post + "Content-Length: 10\r\n\r\nabc", "400 truncated", true);
    row("chunked cut by a close", chunked + "3\r\nab", "400 truncated", true);
}

void TestHttpWire::responses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<Messages>("expected");
    const auto row = [](const char *name, const QByteArray &in, const Messages &expected,
                        const char *method = "GET", bool eof = false) {
        QTest::addRow("%s", name) << in << QByteArray(method) << eof << expected;
    };
    row("Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        {"200 OK 1.1 [Content-Length=2] length body=hi/2 ka"});
    row("no reason, no space", "HTTP/1.1 204\r\n\r\n", {"204  1.1 none body=/0 ka"});
    row("empty reason", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n",
        {"200  1.1 [Content-Length=0] length body=/0 ka"});
    row("1xx skipped",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        {"200 OK 1.1 [Content-Length=1] length body=x/1 ka"});
    row("HEAD has no body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
        {"200 OK 1.1 [Content-Length=5] none body=/0 ka"}, "HEAD");
    row("204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
        {"204 No Content 1.1 [Content-Length=5] none body=/0 ka"});
    row("304 has no body", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        {"304 Not Modified 1.1 [Transfer-Encoding=chunked] none body=/0 ka"});
    row("close-delimited", "HTTP/1.1 200 OK\r\n\r\nabc", {"200 OK 1.1 close body=abc/3 close"},
        "GET", true);
    row("close-delimited, HTTP/1.0", "HTTP/1.0 503 Busy\r\nRetry-After: 1\r\n\r\nabc",
        {"503 Busy 1.0 [Retry-After=1] close body=abc/3 close"}, "GET", true);
    row("chunked with trailers",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=1\r\nWiki\r\n5\r\npedia\r\n"
        "0\r\nExpires: never\r\nX-Check: 1\r\n\r\n",
        {"200 OK 1.1 [Transfer-Encoding=chunked] {Expires=never} {X-Check=1} chunked "
         "body=Wikipedia/9 ka"});
    row("gzip then chunked: the body stays encoded",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nzz\r\n0\r\n\r\n",
        {"200 OK 1.1 [Transfer-Encoding=gzip, chunked] chunked body=zz/2 ka"});
    row("gzip alone runs to the close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz",
        {"200 OK 1.1 [Transfer-Encoding=gzip] close body=zz/2 close"}, "GET", true);
    row("chunked wins over a length, then close",
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        "1\r\nx\r\n0\r\n\r\n",
        {"200 OK 1.1 [Content-Length=100] [Transfer-Encoding=chunked] chunked body=x/1 close"});
    row("bare LF accepted", "HTTP/1.1 200 OK\nContent-Length: 1\n\nx",
        {"200 OK 1.1 [Content-Length=1] length body=x/1 ka"});
    row("obs-fold joined", "HTTP/1.1 200 OK\r\nX: a\r\n\t b\r\nContent-Length: 0\r\n\r\n",
        {"200 OK 1.1 [X=a b] [Content-Length=0] length body=/0 ka"});
    row("HTTP/1.0 keep-alive",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
        "Content-Length: 0\r\n\r\n",
        {"200 OK 1.0 [Connection=keep-alive] [Content-Length=0] length body=/0 ka"});
    row("pipelined",
        "HTTP/1.1 503 X\r\nRetry-After: 2\r\nContent-Length: 1\r\n\r\na"
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb",
        {"503 X 1.1 [Retry-After=2] [Content-Length=1] length body=a/1 ka",
         "200 OK 1.1 [Content-Length=1] [Connection=close] length body=b/1 close"});
}

void TestHttpWire::responseErrors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<QByteArray>("error");
    const auto row = [](const char *name, const QByteArray &in, const char *err, bool eof = false) {
        QTest::addRow("%s", name) << in << eof << QByteArray(err);
    };
    row("status -1", "HTTP/1.1 -1 Neg\r\n\r\n", "0 start-line");
    row("status 000", "HTTP/1.1 000 Zero\r\n\r\n", "0 start-line");
    row("status 99999", "HTTP/1.1 99999\r\n\r\n", "0 start-line");
    row("status abc", "HTTP/1.1 abc\r\n\r\n", "0 start-line");
    row("status of two digits", "HTTP/1.1 20 OK\r\n\r\n", "0 start-line");
    row("status 099", "HTTP/1.1 099 X\r\n\r\n", "0 start-line");
    row("status 600", "HTTP/1.1 600 X\r\n\r\n", "0 start-line");
    row("not HTTP", "garbage\r\n\r\n", "0 start-line");
    row("HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", "0 version");
    row("control character in the reason", "HTTP/1.1 200 O\x01K\r\n\r\n", "0 start-line");
    row("101 nobody asked for", "HTTP/1.1 101 Switching Protocols\r\n\r\n", "0 unexpected");
    row("bad Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", "0 content-length");
    row("field without a colon", "HTTP/1.1 200 OK\r\nBroken\r\n\r\n", "0 header-syntax");
    row("head cut by a close", "HTTP/1.1 200 OK\r\nCont", "0 truncated", true);
    row("length body cut by a close", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc",
        "0 truncated", true);
    row("chunked body cut by a close",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "0 truncated", true);
    row("chunked without its last chunk",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n", "0 truncated", true);
}
