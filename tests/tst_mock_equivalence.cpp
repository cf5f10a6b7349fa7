// SPDX-License-Identifier: GPL-3.0-or-later
// One server model for both clocks: the same requests, with the same seed, through the socket
// server (on 127.0.0.1, its time moved by the test) and through the simulation, for every ready
// profile, give the same statuses, Retry-After and Idempotent-Replayed headers, effects and
// journal.
#include "engine/virtual_scheduler.h"
#include "http/wire/message_parser.h"
#include "http/wire/message_writer.h"
#include "mock/mock_server.h"
#include "transport/simulated_transport.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>
#include <QTimeZone>

#include <map>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

// Time the test moves: the socket server's latencies, dribbles and hangs run when the test
// says, at the virtual times the simulation uses.
class ManualTime final : public MockTime
{
public:
    Duration now() const override { return m_now; }
    QDateTime wall() const override { return m_epoch.addMSecs(toMs(m_now)); }
    void after(Duration delay, QObject *context, std::function<void()> fn) override
    {
        m_timers.emplace(std::pair{m_now + delay, m_seq++},
                         Timer{QPointer<QObject>(context), std::move(fn)});
    }
    void setNow(Duration t) { m_now = std::max(m_now, t); }
    // Runs the earliest timer; false when none is left.
    bool runNext()
    {
        if (m_timers.empty())
            return false;
        auto it = m_timers.begin();
        m_now = std::max(m_now, it->first.first);
        Timer t = std::move(it->second);
        m_timers.erase(it);
        if (t.context)
            t.fn();
        return true;
    }

private:
    struct Timer {
        QPointer<QObject> context;
        std::function<void()> fn;
    };
    Duration m_now{0};
    std::uint64_t m_seq = 0;
    std::map<std::pair<Duration, std::uint64_t>, Timer> m_timers;
    QDateTime m_epoch = QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc());
};

struct Step {
    Duration at{0}; // planned send time; sent no earlier than the previous answer
    std::uint32_t client = 0;
    int attempt = 1;
    QByteArray method;
    QString path;
    QString key;
    QByteArray body;
};

// What a client saw: the status (0: the connection failed) and the headers that matter.
struct Seen {
    int status = 0;
    QByteArray retryAfter;
    QByteArray replayed;
    bool operator==(const Seen &) const = default;
};

QByteArray describe(const Seen &s)
{
    return QByteArray::number(s.status) + " ra=" + s.retryAfter + " replayed=" + s.replayed;
}

// A seeded mix: GETs and POST /payments, keys reused with the same and another payload, a
// few invalid bodies, five clients coming back sooner or later than they were asked to.
QList<Step> steps(std::uint64_t seed, int count)
{
    QRandomGenerator rng(static_cast<quint32>(seed));
    QList<Step> out;
    Duration t{0};
    for (int i = 0; i < count; ++i) {
        Step s;
        t += fromMs(rng.bounded(1500));
        s.at = t;
        s.client = rng.bounded(5u);
        s.attempt = 1 + static_cast<int>(rng.bounded(3u));
        const int kind = static_cast<int>(rng.bounded(10u));
        if (kind < 5) {
            s.method = "GET";
            s.path = u"/items/%1?page=2"_s.arg(i);
        } else {
            s.method = "POST";
            s.path = u"/payments"_s;
            if (kind < 9)
                s.key = u"key-%1"_s.arg(rng.bounded(6u));
            const int amount = kind == 8 ? 7 : 100;
            s.body =
                kind == 7 && rng.bounded(3u) == 0
                    ? QByteArray("{\"amount\": -1}")
                    : R"({"amount": )" + QByteArray::number(amount) + R"(, "currency": "EUR"})";
        }
        out << s;
    }
    return out;
}

AttemptRequest attemptOf(const Step &s, std::uint64_t id)
{
    AttemptRequest r;
    r.id = id;
    r.client = s.client;
    r.attempt = s.attempt;
    r.method = s.method;
    r.path = s.path;
    r.body = s.body;
    r.idempotencyKey = s.key;
    r.headers = {{"X-Client-Id", QByteArray::number(s.client)},
                 {"X-Attempt", QByteArray::number(s.attempt)}};
    if (!s.key.isEmpty())
        r.headers.append({"Idempotency-Key", '"' + s.key.toLatin1() + '"'});
    return r;
}

Seen fromHeaders(int status, const HeaderList &headers)
{
    return {status, headerValues(headers, "retry-after").join(", "),
            headerValues(headers, "idempotent-replayed").value(0)};
}

} // namespace

class TestMockEquivalence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameAnswersInBothClocks_data()
    {
        QTest::addColumn<QString>("profile");
        for (const QString &name : FaultProfile::readyProfiles())
            QTest::addRow("%s", qPrintable(name)) << name;
    }
    void sameAnswersInBothClocks();
};

void TestMockEquivalence::sameAnswersInBothClocks()
{
    QFETCH(QString, profile);
    FaultProfile p = *FaultProfile::ready(profile);
    // Make every fault show up in a short sequence (both clocks get the same profile).
    if (profile == u"healthy"_s || profile == u"outage"_s) {
        p.routes.front().faults.truncate = 0.05;
        p.routes.front().faults.commitThenLose = 0.05;
    }
    const std::uint64_t seed = 11;
    const QList<Step> plan = steps(seed, 70);

    // Simulated time.
    QList<Seen> simulated;
    VirtualScheduler scheduler;
    SimulatedTransport sim(scheduler, p, seed, NetworkDelay::fixed(0));
    Duration free{0};
    for (qsizetype i = 0; i < plan.size(); ++i) {
        bool done = false;
        scheduler.at(std::max(plan[i].at, free), [&, i] {
            sim.send(attemptOf(plan[i], static_cast<std::uint64_t>(i + 1)),
                     [&](const AttemptResponse &r) {
                         simulated << fromHeaders(r.status, r.headers);
                         done = true;
                     });
        });
        scheduler.run();
        QVERIFY(done);
        free = scheduler.now();
    }

    // The socket server, on the same times.
    ManualTime time;
    MockServer server(p, seed);
    server.setTime(&time);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<Seen> real;
    for (const Step &s : plan) {
        time.setNow(s.at);
        const qint64 before = server.journal().total();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.url().port());
        HeaderList headers = attemptOf(s, 0).headers;
        headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
        socket.write(wire::request(s.method, s.path.toLatin1(), "127.0.0.1", headers, s.body));
        QTRY_VERIFY_WITH_TIMEOUT(server.journal().total() > before, 5000);
        while (time.runNext())
            QCoreApplication::processEvents();
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
        wire::MessageParser parser(wire::MessageParser::Mode::Response);
        parser.setRequestMethod(s.method);
        const QByteArray bytes = socket.readAll();
        parser.feed(bytes);
        parser.finish();
        const bool whole = parser.state() == wire::MessageParser::State::Complete;
        real << (whole ? fromHeaders(parser.message().status, parser.message().headers) : Seen{});
    }

    QCOMPARE(real.size(), simulated.size());
    for (qsizetype i = 0; i < real.size(); ++i)
        if (!(real[i] == simulated[i]))
            QFAIL(qPrintable(u"request %1 (%2 %3): socket %4, simulated %5"_s.arg(i).arg(
                QString::fromLatin1(plan[i].method), plan[i].path,
                QString::fromLatin1(describe(real[i])),
                QString::fromLatin1(describe(simulated[i])))));
    QCOMPARE(server.ledger().payments(), sim.ledger().payments());
    QCOMPARE(server.ledger().duplicates(), sim.ledger().duplicates());
    const auto a = server.journal().since(0);
    const auto b = sim.journal().since(0);
    QCOMPARE(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        QCOMPARE(QJsonDocument(a[i].toJson()).toJson(QJsonDocument::Compact),
                 QJsonDocument(b[i].toJson()).toJson(QJsonDocument::Compact));
    // The sequence exercised what it is meant to compare.
    QSet<QString> decisions;
    for (const auto &e : a)
        decisions << e.decision;
    QVERIFY2(decisions.size() >= 3,
             qPrintable(QStringList(decisions.begin(), decisions.end()).join(u", "_s)));
}

QTEST_GUILESS_MAIN(TestMockEquivalence)
#include "tst_mock_equivalence.moc"
