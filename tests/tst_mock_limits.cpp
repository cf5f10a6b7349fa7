// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in server at its edges: half-closed and pipelined connections, the connection cap,
// the head deadline, and the admin API's protection. The server runs in its own thread
// (MockServerHost), so the test can use plain blocking sockets on 127.0.0.1.
#include "mock/admin_access.h"
#include "mock/mock_server_host.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// A blocking client socket with a receive timeout.
class Raw
{
public:
    explicit Raw(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{3, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    }
    ~Raw() { ::close(m_fd); }
    bool connected() const { return m_connected; }
    void send(const QByteArray &bytes)
    {
        ::send(m_fd, bytes.data(), static_cast<size_t>(bytes.size()), MSG_NOSIGNAL);
    }
    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }
    // Everything until the server closes (or the timeout).
    QByteArray readAll()
    {
        QByteArray out;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return out;
            out.append(buf, n);
        }
    }
    // Until `bytes` holds `needle` at least `count` times (or the timeout).
    QByteArray readUntil(QByteArrayView needle, int count = 1)
    {
        QByteArray out;
        char buf[4096];
        while (out.count(needle) < count) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            out.append(buf, n);
        }
        return out;
    }
    // Whether the server closed the connection (end of stream within the timeout).
    bool closedByServer()
    {
        char c;
        return ::recv(m_fd, &c, 1, 0) == 0;
    }

private:
    int m_fd = -1;
    bool m_connected = false;
};

QByteArray get(const QByteArray &path, const QByteArray &host = "127.0.0.1",
               const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n";
}

} // namespace

class TestMockLimits : public QObject
{
    Q_OBJECT
private:
    MockServerHost m_host;
    quint16 m_port = 0;

    void start(const FaultProfile &p, const QByteArray &token = {})
    {
        QString error;
        QVERIFY2(m_host.start(p, 1, QHostAddress::LocalHost, 0, &error, token), qPrintable(error));
        m_port = static_cast<quint16>(m_host.url().port());
    }
    QByteArray host() const { return "127.0.0.1:" + QByteArray::number(m_port); }

private Q_SLOTS:
    void cleanup() { m_host.stop(); }

    // Regression: a request followed by shutdown(SHUT_WR) (`nc -N`) was journaled but never
    // answered.
    void halfCloseIsAnswered()
    {
        FaultProfile p;
        p.routes.front().latency.ms = 100; // the half-close arrives before the answer
        start(p);
        Raw c(m_port);
        QVERIFY(c.connected());
        c.send(get("/half", host()));
        c.shutdownWrite();
        const QByteArray answer = c.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY(answer.contains("Connection: close"));
        QVERIFY(answer.contains("\"/half\""));
    }

    // Regression: pipelined requests split across packets got a 400.
    void pipelinedRequestsSplitAcrossPackets()
    {
        start(FaultProfile{});
        Raw c(m_port);
        const QByteArray two = get("/one", host()) + get("/two", host()) + get("/three", host());
        const qsizetype cut = two.indexOf("/two") + 2; // inside the second request line
        c.send(two.first(cut));
        QTest::qWait(50);
        c.send(two.sliced(cut));
        const QByteArray answers = c.readUntil("HTTP/1.1 200", 3);
        QCOMPARE(answers.count("HTTP/1.1 200"), 3);
        QVERIFY(answers.indexOf("\"/one\"") < answers.indexOf("\"/two\""));
        QVERIFY(answers.indexOf("\"/two\"") < answers.indexOf("\"/three\""));
    }

    void chunkedRequestBodyIsAccepted()
    {
        start(FaultProfile{});
        Raw c(m_port);
        c.send("POST /payments HTTP/1.1\r\nHost: " + host() +
               "\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"amount\": 5, \"c\r\n"
               "10\r\nurrency\": \"EUR\"}\r\n0\r\n\r\n");
        const QByteArray answer = c.readUntil("}\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 201"), answer.constData());
    }

    // Regression: with the descriptors taken by idle connections, new clients were locked out
    // until the idle timeout.
    void idleConnectionsMakeRoomForNewClients()
    {
        FaultProfile p;
        p.limits.maxConnections = 10;
        start(p);
        std::vector<std::unique_ptr<Raw>> idle;
        for (int i = 0; i < 10; ++i)
            idle.push_back(std::make_unique<Raw>(m_port));
        QTRY_COMPARE_WITH_TIMEOUT(m_host.stats().openConnections, 10, 3000);
        Raw fresh(m_port);
        fresh.send(get("/fresh", host()));
        QVERIFY(fresh.readUntil("}\n").startsWith("HTTP/1.1 200"));
        QVERIFY(idle.front()->closedByServer()); // the longest idle made room
        QVERIFY(m_host.stats().openConnections <= 10);
    }

    // Regression: a client sending its head a byte at a time kept the connection for ever
    // (each byte restarted the idle timer).
    void headsHaveADeadline()
    {
        FaultProfile p;
        p.limits.headerTimeout = 300ms;
        start(p);
        Raw c(m_port);
        QElapsedTimer t;
        t.start();
        const QByteArray head = get("/slow", host());
        QByteArray answer;
        for (qsizetype i = 0; i < head.size() - 2 && t.elapsed() < 3000; ++i) {
            c.send(head.sliced(i, 1));
            QTest::qWait(50);
        }
        answer = c.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
        QVERIFY(t.elapsed() >= 250);
        QCOMPARE(m_host.stats().refused, 1);
    }

    // Regression: a DNS-rebinding page (a foreign Host) and a cross-site form post (a foreign
    // Origin) reached the admin API.
    void adminRefusesForeignHostAndOrigin()
    {
        start(FaultProfile{});
        Raw rebound(m_port);
        rebound.send(get("/__admin/stats", "evil.example:" + QByteArray::number(m_port)));
        QVERIFY(rebound.readAll().startsWith("HTTP/1.1 421"));
        Raw form(m_port);
        form.send("POST /__admin/outage?seconds=60 HTTP/1.1\r\nHost: " + host() +
                  "\r\nOrigin: http://evil.example\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(form.readUntil("}\n").startsWith("HTTP/1.1 403"));
        QVERIFY(!m_host.stats().outageActive);
        Raw own(m_port);
        own.send(get("/__admin/stats", "localhost:" + QByteArray::number(m_port),
                     "Origin: http://localhost:" + QByteArray::number(m_port) + "\r\n"));
        QVERIFY(own.readUntil("}\n").startsWith("HTTP/1.1 200"));
    }

    void adminTokenIsRequiredWhenSet()
    {
        start(FaultProfile{}, "s3cret-token");
        Raw none(m_port);
        none.send(get("/__admin/journal", host()));
        const QByteArray refused = none.readUntil("}\n");
        QVERIFY(refused.startsWith("HTTP/1.1 401"));
        QVERIFY(refused.contains("WWW-Authenticate: Bearer"));
        Raw wrong(m_port);
        wrong.send(get("/__admin/journal", host(), "Authorization: Bearer s3cret-tokem\r\n"));
        QVERIFY(wrong.readUntil("}\n").startsWith("HTTP/1.1 401"));
        Raw right(m_port);
        right.send(get("/__admin/journal", host(), "Authorization: Bearer s3cret-token\r\n"));
        QVERIFY(right.readUntil("\n").startsWith("HTTP/1.1 200"));
        // The flaky routes themselves need no token.
        Raw plain(m_port);
        plain.send(get("/x", host()));
        QVERIFY(plain.readUntil("}\n").startsWith("HTTP/1.1 200"));
        // Bound beyond loopback, a token is made up when none is given.
        const AdminAccess wide = AdminAccess::forBinding(u"0.0.0.0"_s, 8080, {});
        QCOMPARE(wide.token.size(), 32);
        QVERIFY(AdminAccess::forBinding(u"127.0.0.1"_s, 8080, {}).token.isEmpty());
    }

    // Regression: a profile with "maxBodyBytes": 0 locked the admin API out until restart.
    void adminBodyLimitIsItsOwn()
    {
        start(FaultProfile{});
        FaultProfile tiny;
        tiny.limits.maxBodyBytes = 0;
        const auto put = [this](const FaultProfile &p) {
            const QByteArray body = QJsonDocument(p.toJson()).toJson();
            Raw c(m_port);
            c.send("PUT /__admin/profile HTTP/1.1\r\nHost: " + host() +
                   "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            return c.readUntil("}\n");
        };
        QVERIFY(put(tiny).startsWith("HTTP/1.1 200"));
        QTRY_COMPARE_WITH_TIMEOUT(m_host.profile().limits.maxBodyBytes, 0, 3000);
        Raw post(m_port);
        post.send("POST /x HTTP/1.1\r\nHost: " + host() + "\r\nContent-Length: 1\r\n\r\nx");
        QVERIFY(post.readAll().startsWith("HTTP/1.1 413"));      // the profile's own limit holds
        QVERIFY(put(FaultProfile{}).startsWith("HTTP/1.1 200")); // and the admin API still works
    }
};

QTEST_GUILESS_MAIN(TestMockLimits)
#include "tst_mock_limits.moc"
