// SPDX-License-Identifier: GPL-3.0-or-later
// Where a real-time run keeps its threads (system/core_placement.h): the split itself, a thread
// really kept to the cores it asked for, and a run against the built-in server whose shard and
// server threads the system reports on cores apart (/proc/self/task/*/status).
#include "fail_first_scenario.h"
#include "mock/mock_server_host.h"
#include "run/run_controller.h"
#include "system/core_placement.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// Each thread of this process by name, with the cores the system lets it run on, as its
// "Cpus_allowed_list" says ("0", "1-3", "0,2").
QHash<QString, QString> threadCores()
{
    QHash<QString, QString> out;
    const QDir tasks(u"/proc/self/task"_s);
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + u"/comm"_s));
        QFile status(tasks.filePath(tid + u"/status"_s));
        if (!comm.open(QIODevice::ReadOnly) || !status.open(QIODevice::ReadOnly))
            continue; // the thread ended meanwhile
        const QString name = QString::fromUtf8(comm.readAll()).trimmed();
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("Cpus_allowed_list:"))
                out.insert(name, QString::fromLatin1(line.mid(18)).trimmed());
    }
    return out;
}

// The same as the kernel writes it: runs of consecutive cores as ranges ("0-2,5").
QString listText(const QList<int> &cores)
{
    QStringList parts;
    for (qsizetype i = 0; i < cores.size();) {
        qsizetype j = i;
        while (j + 1 < cores.size() && cores[j + 1] == cores[j] + 1)
            ++j;
        parts << (i == j ? QString::number(cores[i]) : u"%1-%2"_s.arg(cores[i]).arg(cores[j]));
        i = j + 1;
    }
    return parts.join(u',');
}

// Real time against the built-in server, 20 clients for a few hundred milliseconds.
Scenario quickRun()
{
    Scenario s = failFirstScenario(20, 20);
    s.stagger = 100ms;
    s.policy.retry.retryAfterMode = RetryAfterMode::Ignore; // the 503 asks for a second
    s.policy.retry.backoff.base = 20ms;
    s.policy.retry.backoff.cap = 20ms;
    return s;
}

} // namespace

class TestCorePlacement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void split_data()
    {
        QTest::addColumn<QList<int>>("allowed");
        QTest::addColumn<int>("shards");
        QTest::addColumn<QList<int>>("shardCores");
        QTest::addColumn<QList<int>>("restCores");
        QTest::addColumn<QString>("text");
        QTest::newRow("two cores") << QList<int>{0, 1} << 1 << QList<int>{0} << QList<int>{1}
                                   << u"engine on core 0, built-in server and log on core 1"_s;
        QTest::newRow("eight cores, four shards")
            << QList<int>{0, 1, 2, 3, 4, 5, 6, 7} << 4 << QList<int>{0, 1, 2, 3}
            << QList<int>{4, 5, 6, 7}
            << u"engine on cores 0, 1, 2, 3, built-in server and log on cores 4, 5, 6, 7"_s;
        QTest::newRow("more shards than cores leave one")
            << QList<int>{0, 1, 2} << 8 << QList<int>{0, 1} << QList<int>{2}
            << u"engine on cores 0, 1, built-in server and log on core 2"_s;
        QTest::newRow("taskset's cores, not 0..n")
            << QList<int>{2, 5} << 1 << QList<int>{2} << QList<int>{5}
            << u"engine on core 2, built-in server and log on core 5"_s;
        QTest::newRow("one core: nothing to split")
            << QList<int>{3} << 1 << QList<int>{} << QList<int>{} << QString();
        QTest::newRow("unknown: nothing to split")
            << QList<int>{} << 1 << QList<int>{} << QList<int>{} << QString();
    }
    void split()
    {
        QFETCH(QList<int>, allowed);
        QFETCH(int, shards);
        const CorePlacement p = CorePlacement::split(allowed, shards);
        QCOMPARE(p.all, allowed);
        QTEST(p.shards, "shardCores");
        QTEST(p.rest, "restCores");
        QCOMPARE(p.isSplit(), !p.shards.isEmpty());
        QTEST(p.describe(), "text");
    }

    void keepsTheCallingThreadOnly()
    {
        const QList<int> allowed = CorePlacement::allowedCores();
        if (allowed.isEmpty())
            QSKIP("this system does not say which cores a thread may use");
        QList<int> inside;
        bool kept = false, refusedEmpty = true, refusedNegative = true;
        QThread *t = QThread::create([&] {
            refusedEmpty = !keepThreadTo({});
            refusedNegative = !keepThreadTo({-1});
            kept = keepThreadTo({allowed.last()});
            inside = CorePlacement::allowedCores();
        });
        t->start();
        QVERIFY(t->wait(10000));
        delete t;
        QVERIFY(refusedEmpty);
        QVERIFY(refusedNegative);
        QVERIFY(kept);
        QCOMPARE(inside, QList<int>{allowed.last()});
        QCOMPARE(CorePlacement::allowedCores(), allowed); // this thread stays where it was
    }

    // A real-time run against the built-in server: while it runs, the shard's thread and the
    // server's are on cores apart, as the run's log says; with the split off, both may run
    // anywhere.
    // The GUI's server, shared with a run: kept apart while the run goes on, and free to run
    // anywhere again as soon as it has finished.
    void aSharedServerGetsItsCoresBack()
    {
        const QList<int> allowed = CorePlacement::allowedCores();
        if (allowed.size() < 2)
            QSKIP("one core: nothing to keep apart");
        Scenario s = quickRun();
        MockServerHost server;
        QString error;
        QVERIFY2(server.start(s.profile, 1, QHostAddress::LocalHost, 0, &error), qPrintable(error));
        RunController controller;
        controller.setShards(1);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QSet<QString> during; // the server's cores as seen while the run went on
        QTimer look;
        look.setInterval(10);
        connect(&look, &QTimer::timeout, this, [&] {
            const QString now = threadCores().value(u"mock-server"_s);
            if (!now.isEmpty() && !finished.count())
                during.insert(now);
        });
        controller.start(s, {}, &server);
        look.start();
        QVERIFY(finished.wait(60000));
        look.stop();
        QVERIFY2(during.contains(listText(CorePlacement::split(allowed, 1).rest)),
                 qPrintable(QStringList(during.values()).join(u" "_s)));
        QCOMPARE(threadCores().value(u"mock-server"_s), listText(allowed));
        QVERIFY(server.isRunning());
    }

    void aRunKeepsItsThreadsApart_data()
    {
        QTest::addColumn<bool>("split");
        QTest::newRow("split (the default)") << true;
        QTest::newRow("shared") << false;
    }
    void aRunKeepsItsThreadsApart()
    {
        QFETCH(bool, split);
        const QList<int> allowed = CorePlacement::allowedCores();
        if (allowed.size() < 2)
            QSKIP("one core: nothing to keep apart");
        const Scenario s = quickRun();
        RunController controller;
        controller.setShards(1);
        controller.setSplitCores(split);
        QSignalSpy finished(&controller, &RunController::runFinished);
        QHash<QString, QString> seen;
        QTimer look;
        look.setInterval(10);
        connect(&look, &QTimer::timeout, this, [&] {
            const auto now = threadCores();
            for (auto it = now.begin(); it != now.end(); ++it)
                if (it.key() == u"engine-0"_s || it.key() == u"mock-server"_s)
                    seen.insert(it.key(), it.value());
        });
        controller.start(s);
        look.start();
        QVERIFY(finished.wait(60000));
        look.stop();
        QVERIFY2(seen.contains(u"engine-0"_s) && seen.contains(u"mock-server"_s),
                 qPrintable(QStringList(seen.keys()).join(u", "_s)));
        const CorePlacement plan = CorePlacement::split(allowed, 1);
        if (split) {
            QCOMPARE(seen.value(u"engine-0"_s), listText(plan.shards));
            QCOMPARE(seen.value(u"mock-server"_s), listText(plan.rest));
            QCOMPARE(controller.log()->runInfo().threads, plan.describe());
        } else {
            QVERIFY(seen.value(u"engine-0"_s) != listText(plan.shards));
            QVERIFY(controller.log()->runInfo().threads.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCorePlacement)
#include "tst_core_placement.moc"
