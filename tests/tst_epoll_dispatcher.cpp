// SPDX-License-Identifier: GPL-3.0-or-later
// The epoll event loop of engine shards and the built-in server (base/epoll_dispatcher.h):
// sockets, timers, posted events and quitting behave as under Qt's own loop.
#include "base/epoll_dispatcher.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace retrylab;
using namespace Qt::StringLiterals;

namespace {

// A thread running on an EpollDispatcher, and a way to run code on it and wait for the result.
class LoopThread
{
public:
    LoopThread()
    {
        m_dispatcher = qobject_cast<EpollDispatcher *>(EpollDispatcher::create());
        m_thread.setEventDispatcher(m_dispatcher);
        m_thread.start();
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
    }
    ~LoopThread()
    {
        run([this] { delete m_context; });
        m_thread.quit();
        m_thread.wait();
    }
    template<typename F> void run(F f)
    {
        QMetaObject::invokeMethod(m_context, f, Qt::BlockingQueuedConnection);
    }
    QObject *context() const { return m_context; }
    EpollDispatcher *dispatcher() const { return m_dispatcher; }

private:
    QThread m_thread;
    EpollDispatcher *m_dispatcher = nullptr;
    QObject *m_context = nullptr;
};

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void installsOnAThread()
    {
        LoopThread loop;
        QVERIFY(loop.dispatcher());
        QAbstractEventDispatcher *seen = nullptr;
        loop.run([&] { seen = QAbstractEventDispatcher::instance(); });
        QCOMPARE(seen, loop.dispatcher());
    }

    // 200 clients each send a line and read it back from an echo server in the loop's thread;
    // when they have gone, the loop watches no descriptor of theirs.
    void socketsEchoAndAreForgotten()
    {
        LoopThread loop;
        QTcpServer *server = nullptr;
        quint16 port = 0;
        qsizetype watchedBefore = 0;
        loop.run([&] {
            server = new QTcpServer(loop.context());
            QVERIFY(server->listen(QHostAddress::LocalHost, 0));
            port = server->serverPort();
            watchedBefore = loop.dispatcher()->watched();
            QObject::connect(server, &QTcpServer::newConnection, server, [server] {
                while (QTcpSocket *s = server->nextPendingConnection()) {
                    QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                    QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                }
            });
        });
        constexpr int kClients = 200;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<QTcpSocket>());
            clients.back()->connectToHost(QHostAddress::LocalHost, port);
        }
        for (auto &c : clients)
            QVERIFY(c->waitForConnected(5000));
        for (int i = 0; i < kClients; ++i)
            clients[i]->write(u"line %1\n"_s.arg(i).toLatin1());
        for (int i = 0; i < kClients; ++i) {
            const QByteArray want = u"line %1\n"_s.arg(i).toLatin1();
            QTRY_COMPARE_WITH_TIMEOUT(clients[i]->bytesAvailable(), qint64(want.size()), 5000);
            QCOMPARE(clients[i]->readAll(), want);
        }
        qsizetype watchedDuring = 0;
        loop.run([&] { watchedDuring = loop.dispatcher()->watched(); });
        QVERIFY2(watchedDuring >= watchedBefore + kClients,
                 qPrintable(QString::number(watchedDuring)));
        clients.clear(); // they close; the server's sockets see it and delete themselves
        qsizetype watchedAfter = -1;
        QTRY_VERIFY_WITH_TIMEOUT((loop.run([&] { watchedAfter = loop.dispatcher()->watched(); }),
                                  watchedAfter == watchedBefore),
                                 5000);
    }

    // Timers are never early, repeat, and a timer stopped by another's handler does not fire.
    void timersKeepTheirWord()
    {
        LoopThread loop;
        qint64 elapsedMs = -1;
        int zeroFired = 0;
        int repeats = 0;
        bool stoppedFired = false;
        int remaining = -2;
        QElapsedTimer clock;
        loop.run([&] {
            clock.start();
            QTimer::singleShot(0, loop.context(), [&] { ++zeroFired; });
            auto *precise = new QTimer(loop.context());
            precise->setTimerType(Qt::PreciseTimer);
            precise->setSingleShot(true);
            QObject::connect(precise, &QTimer::timeout, loop.context(),
                             [&] { elapsedMs = clock.elapsed(); });
            precise->start(40);
            remaining = precise->remainingTime();
            auto *repeat = new QTimer(loop.context());
            QObject::connect(repeat, &QTimer::timeout, loop.context(), [&repeats, repeat] {
                if (++repeats == 5)
                    repeat->stop();
            });
            repeat->start(5);
            auto *victim = new QTimer(loop.context());
            victim->setSingleShot(true);
            QObject::connect(victim, &QTimer::timeout, loop.context(),
                             [&] { stoppedFired = true; });
            auto *killer = new QTimer(loop.context());
            killer->setSingleShot(true);
            QObject::connect(killer, &QTimer::timeout, loop.context(),
                             [victim] { victim->stop(); });
            killer->start(10);
            victim->start(10); // due with the killer, which goes first and stops it
        });
        QVERIFY(remaining > 30 && remaining <= 40);
        QTRY_VERIFY_WITH_TIMEOUT(elapsedMs >= 0 && repeats == 5, 5000);
        QVERIFY2(elapsedMs >= 40, qPrintable(QString::number(elapsedMs)));
        QCOMPARE(zeroFired, 1);
        QTest::qWait(50);
        QCOMPARE(repeats, 5);
        QVERIFY(!stoppedFired);
    }

    // epoll refuses regular files; poll() calls them always ready, and so does this loop.
    void aRegularFileIsAlwaysReady()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        LoopThread loop;
        int activations = 0;
        loop.run([&] {
            auto *n = new QSocketNotifier(file.handle(), QSocketNotifier::Read, loop.context());
            QObject::connect(n, &QSocketNotifier::activated, loop.context(), [&, n] {
                if (++activations == 3)
                    n->setEnabled(false); // and the loop may sleep again
            });
        });
        QTRY_COMPARE_WITH_TIMEOUT(activations, 3, 5000);
        qsizetype watched = -1;
        loop.run([&] { watched = loop.dispatcher()->watched(); });
        QCOMPARE(watched, 0);
    }

    // Interest that changes and changes back within one turn (QTcpSocket's write() and flush())
    // reaches epoll once per turn, or not at all, and still behaves as under poll(): a write
    // notifier turned on and off at once never fires and lets the loop sleep; a read notifier
    // turned off and on again still hears its data; a descriptor closed and its number given
    // to a new one within the turn is watched anew.
    void interestChangesWithinATurn()
    {
        LoopThread loop;
        int a[2] = {-1, -1};
        int b[2] = {-1, -1};
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, a), 0);
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, b), 0);
        int writeFired = 0;
        int readFired = 0;
        int turns = 0;
        QSocketNotifier *reader = nullptr;
        QSocketNotifier *writer = nullptr;
        loop.run([&] {
            writer = new QSocketNotifier(a[0], QSocketNotifier::Write, loop.context());
            writer->setEnabled(false);
            QObject::connect(writer, &QSocketNotifier::activated, loop.context(), [&] {
                ++writeFired;
                writer->setEnabled(false); // as QTcpSocket does when all is written
            });
            reader = new QSocketNotifier(a[0], QSocketNotifier::Read, loop.context());
            QObject::connect(reader, &QSocketNotifier::activated, loop.context(), [&] {
                char c;
                while (::read(a[0], &c, 1) == 1)
                    ++readFired;
            });
            reader->setEnabled(false);
            reader->setEnabled(true);
            QObject::connect(loop.dispatcher(), &QAbstractEventDispatcher::awake, loop.context(),
                             [&] { ++turns; });
        });
        QCOMPARE(::write(a[1], "xy", 2), 2);
        QTRY_COMPARE_WITH_TIMEOUT(readFired, 2, 5000);
        // The socket is writable: an EPOLLOUT left with epoll would wake the loop at once,
        // again and again.
        const auto turnsWhileIdle = [&] {
            int before = 0;
            loop.run([&] { before = turns; });
            QTest::qWait(200);
            int after = 0;
            loop.run([&] { after = turns; });
            return after - before;
        };
        loop.run([&] {
            writer->setEnabled(true);
            writer->setEnabled(false);
        });
        int idle = turnsWhileIdle();
        QCOMPARE(writeFired, 0);
        QVERIFY2(idle < 20, qPrintable(QString::number(idle)));
        loop.run([&] { writer->setEnabled(true); }); // fires once, and turns itself off
        QTRY_COMPARE_WITH_TIMEOUT(writeFired, 1, 5000);
        idle = turnsWhileIdle();
        QCOMPARE(writeFired, 1);
        QVERIFY2(idle < 20, qPrintable(QString::number(idle)));

        // The same number, a new socket, within one turn.
        int reused = -1;
        int fresh = 0;
        loop.run([&] {
            delete reader;
            ::close(a[0]);
            reused = ::dup(b[0]); // the lowest free number: a[0]'s
            auto *again = new QSocketNotifier(reused, QSocketNotifier::Read, loop.context());
            QObject::connect(again, &QSocketNotifier::activated, loop.context(), [&] {
                char c;
                while (::read(reused, &c, 1) == 1)
                    ++fresh;
            });
        });
        QCOMPARE(reused, a[0]);
        QCOMPARE(::write(b[1], "z", 1), 1);
        QTRY_COMPARE_WITH_TIMEOUT(fresh, 1, 5000);
        loop.run([&] { qDeleteAll(loop.context()->children()); });
        for (const int fd : {a[1], b[0], b[1], reused})
            ::close(fd);
    }

    // A loop asleep with nothing to do wakes for an event posted from another thread, runs
    // deleteLater, and quits when asked.
    void postedEventsWakeAndQuitEnds()
    {
        auto loop = std::make_unique<LoopThread>();
        QElapsedTimer clock;
        clock.start();
        bool ran = false;
        loop->run([&] { ran = true; }); // blocks until the loop, asleep, has run it
        QVERIFY(ran);
        QVERIFY(clock.elapsed() < 1000);
        QPointer<QObject> doomed;
        loop->run([&] {
            doomed = new QObject;
            doomed->deleteLater();
        });
        QTRY_VERIFY_WITH_TIMEOUT(doomed.isNull(), 5000);
        clock.restart();
        loop.reset(); // quit() and wait()
        QVERIFY(clock.elapsed() < 2000);
    }
};

QTEST_GUILESS_MAIN(TestEpollDispatcher)
#include "tst_epoll_dispatcher.moc"
