// SPDX-License-Identifier: GPL-3.0-or-later
// Where an attempt's time went on Retry Lab's own client: every phase of a new and of a reused
// connection, and the wait and receive ending when the answer's bytes arrived, not when the
// client got round to reading them.
#include "scripted_http_server.h"
#include "transport/wire_transport.h"
#include "wire_calls.h"

#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestWirePhases : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A new connection has DNS (0 for an address), connect, send, wait and receive; a reused
    // one has no DNS, connect or TLS.
    void phaseTimings()
    {
        ScriptedHttpServer server(
            [](const ScriptedRequest &) { return ScriptedAnswer{ScriptedHttpServer::ok()}; });
        WireTransport t(QUrl(u"http://localhost:%1/"_s.arg(server.port())), {});
        const auto r = sendInTurn(t, {get(1), get(2)});
        const PhaseTimings &fresh = r[0].phases;
        QVERIFY(!fresh.reused);
        QCOMPARE(fresh.blockedUs, -1);
        QVERIFY(fresh.dnsUs >= 0);
        QVERIFY(fresh.connectUs >= 0);
        QCOMPARE(fresh.tlsUs, -1);
        QVERIFY(fresh.sendUs >= 0 && fresh.waitUs >= 0 && fresh.receiveUs >= 0);
        const PhaseTimings &reused = r[1].phases;
        QVERIFY(reused.reused);
        QCOMPARE(reused.dnsUs, -1);
        QCOMPARE(reused.connectUs, -1);
        QCOMPARE(reused.tlsUs, -1);
        QVERIFY(reused.sendUs >= 0 && reused.waitUs >= 0 && reused.receiveUs >= 0);
    }

    // The answer's phases end when its bytes reached this machine, not when the client got
    // round to reading them: a client thread that is busy while the answer arrives shows that
    // as its own lag, not as the server's wait (transport/README.md, "When bytes arrived").
    void waitEndsWhenTheAnswerArrived()
    {
        // A server in a thread of its own, which answers whatever this thread is doing.
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        // The thread accepts on its own copy; this thread's listener must not take the
        // connection first.
        const qintptr fd = ::dup(int(listener.socketDescriptor()));
        const quint16 port = listener.serverPort();
        listener.close();
        ::fcntl(int(fd), F_SETFL, ::fcntl(int(fd), F_GETFL) & ~O_NONBLOCK); // accept() waits
        std::thread server([fd] {
            const int c = ::accept(int(fd), nullptr, nullptr);
            char buffer[4096];
            QByteArray in;
            for (int answered = 0; c >= 0 && answered < 2;) {
                const ssize_t n = ::read(c, buffer, sizeof buffer);
                if (n <= 0)
                    break;
                in.append(buffer, n);
                for (qsizetype end; (end = in.indexOf("\r\n\r\n")) >= 0; ++answered) {
                    in.remove(0, end + 4);
                    const QByteArray ok = ScriptedHttpServer::ok();
                    if (::write(c, ok.constData(), size_t(ok.size())) != ok.size())
                        return;
                }
            }
            if (c >= 0) // until the client has read the last answer and closes
                while (::read(c, buffer, sizeof buffer) > 0) {
                }
            ::close(c);
        });
        {
            WireTransport t(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)), {});
            sendInTurn(t, {get(1)}); // the connection is open: only the exchange is timed
            Call call;
            t.send(get(2), [&call](const AttemptResponse &response) {
                call.done = true;
                call.response = response;
            });
            // The request is on the wire; the answer comes back within a millisecond or so,
            // while this thread does something else for 300 ms.
            QThread::msleep(300);
            QVERIFY(QTest::qWaitFor([&] { return call.done; }, 10000));
            const PhaseTimings &p = call.response.phases;
            QCOMPARE(call.response.status, 200);
            QVERIFY(p.reused);
            // Wait and lag together span the 300 ms; a server that took as long as 150 ms on a
            // loaded machine would still leave them on the right sides.
            QVERIFY2(p.waitUs >= 0 && p.waitUs < 150'000, qPrintable(QString::number(p.waitUs)));
            QVERIFY2(p.lagUs > 150'000, qPrintable(QString::number(p.lagUs)));
            QVERIFY(p.receiveUs >= 0 && p.receiveUs < 150'000);
        }
        server.join();
        ::close(int(fd));
    }
};

QTEST_GUILESS_MAIN(TestWirePhases)
#include "tst_wire_phases.moc"
