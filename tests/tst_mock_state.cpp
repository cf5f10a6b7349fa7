// SPDX-License-Identifier: GPL-3.0-or-later
// The server's bookkeeping without sockets: the idempotency store and the journal; and the
// bodies it writes by hand, byte for byte as QJsonDocument would.
#include "mock/http_wire.h"
#include "mock/idempotency_store.h"
#include "mock/payment_ledger.h"
#include "mock/request_journal.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

using V = IdempotencyStore::Verdict;

class TestMockState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // core/http/README.md, "Idempotency keys": the server's answers, row by row.
    void idempotencyRows()
    {
        IdempotencyStore s(24h);
        const QByteArray a = IdempotencyStore::fingerprint("POST", "/payments", "{\"amount\":1}");
        const QByteArray b = IdempotencyStore::fingerprint("POST", "/payments", "{\"amount\":2}");
        QCOMPARE(s.begin(u"k"_s, a, 0s, nullptr), V::New);             // new key
        QCOMPARE(s.begin(u"k"_s, a, 1s, nullptr), V::InFlight);        // first still in flight
        QCOMPARE(s.begin(u"k"_s, b, 1s, nullptr), V::PayloadMismatch); // different payload
        s.complete(u"k"_s, 201, "paid", 2s);
        IdempotencyStore::Stored stored;
        QCOMPARE(s.begin(u"k"_s, a, 3s, &stored), V::Replay); // replay
        QCOMPARE(stored.status, 201);
        QCOMPARE(stored.body, QByteArray("paid"));
        QCOMPARE(s.begin(u"k"_s, b, 3s, nullptr), V::PayloadMismatch);
        // After the retention window the key is new again.
        QCOMPARE(s.begin(u"k"_s, a, 2s + 24h, nullptr), V::New);
        // A released key (failure before any effect) starts afresh.
        s.release(u"k"_s);
        QCOMPARE(s.begin(u"k"_s, b, 25h, nullptr), V::New);
    }

    void ledgerCountsDuplicatesPerOperation()
    {
        PaymentLedger l;
        l.charge(u"op1"_s);
        l.charge(u"op2"_s);
        l.charge(u"op1"_s);
        l.charge(u"op1"_s);
        QCOMPARE(l.payments(), 4);
        QCOMPARE(l.operations(), 2);
        QCOMPARE(l.duplicates(), 2);
    }

    void journalIsABoundedRing()
    {
        RequestJournal j(3);
        for (int i = 0; i < 5; ++i) {
            JournalEntry e;
            e.at = std::chrono::seconds(i);
            j.arrive(e);
        }
        QCOMPARE(j.total(), 5);
        QCOMPARE(j.dropped(), 2);
        const auto all = j.since(0);
        QCOMPARE(all.size(), std::size_t(3));
        QCOMPARE(all.front().id, 3);
        QCOMPARE(j.since(4).size(), std::size_t(1));
        QCOMPARE(j.since(5).size(), std::size_t(0));
    }

    // A client asked to wait 2 s that comes back after 1.5 s is 500 ms early; one that
    // waits 2 s is compliant. The key is judged like the client id.
    void complianceVerdicts()
    {
        RequestJournal j;
        JournalEntry first;
        first.clientId = u"c1"_s;
        first.at = 0s;
        const qint64 id = j.arrive(first).id;
        j.askedToWait(id, 2s, 100ms); // response sent at 100 ms
        JournalEntry early;
        early.clientId = u"c1"_s;
        early.at = 1600ms;
        const auto &e = j.arrive(early);
        QVERIFY(e.earlyBy);
        QCOMPARE(*e.earlyBy, Duration(500ms));
        QCOMPARE(j.violations(), 1);

        JournalEntry keyed;
        keyed.idempotencyKey = u"k"_s;
        keyed.at = 10s;
        j.askedToWait(j.arrive(keyed).id, 1s, 10s);
        JournalEntry onTime;
        onTime.idempotencyKey = u"k"_s;
        onTime.clientId = u"someone-else"_s;
        onTime.at = 11s;
        QVERIFY(!j.arrive(onTime).earlyBy);
        QCOMPARE(j.judged(), 2);
        QCOMPARE(j.violations(), 1);
        // Nothing asked, nothing judged.
        JournalEntry fresh;
        fresh.clientId = u"c9"_s;
        QVERIFY(!j.arrive(fresh).earlyBy);
        QCOMPARE(j.judged(), 2);
        const QJsonObject json = e.toJson();
        QCOMPARE(json.value(u"earlyByMs"_s).toDouble(), 500.0);
    }

    void waitsOfOperationsThatGaveUpAreDropped()
    {
        // Every operation asked to wait and never back (it gave up): the table of waits to
        // judge keeps only those that may still matter, so a long run does not grow it.
        RequestJournal j(100);
        for (int i = 0; i < 20'000; ++i) {
            JournalEntry e;
            e.idempotencyKey = u"k%1"_s.arg(i);
            e.at = Duration(i * 100ms);
            j.askedToWait(j.arrive(e).id, 1s, e.at);
        }
        // 2,000 s of them; waits over for more than ten minutes are dropped.
        QVERIFY2(j.waitsFollowed() <= 2 * 6'010, qPrintable(QString::number(j.waitsFollowed())));
        // One asked a moment ago is still judged.
        JournalEntry back;
        back.idempotencyKey = u"k19999"_s;
        back.at = 1999s;
        QVERIFY(j.arrive(back).earlyBy);
    }

    void journalFeedsArrivalsToAnotherThread()
    {
        RequestJournal journal;
        auto feed = std::make_shared<ArrivalFeed>();
        journal.setFeed(feed);
        for (int i = 0; i < 5; ++i) {
            JournalEntry e;
            e.at = std::chrono::milliseconds(10 * i);
            e.attempt = i + 1;
            journal.arrive(e);
        }
        std::size_t next = 0;
        auto got = feed->since(0, &next);
        QCOMPARE(got.size(), std::size_t(5));
        QCOMPARE(next, std::size_t(5));
        QCOMPARE(got[3].atUs, qint64(30'000));
        QCOMPARE(got[3].attempt, 4);
        QVERIFY(feed->since(next, &next).empty()); // nothing new
        journal.clear();                           // a reset starts the feed again
        QVERIFY(feed->since(0, &next).empty());
        QCOMPARE(next, std::size_t(0));
        // Bounded: past the limit the oldest half goes, positions keep counting.
        for (std::size_t i = 0; i < ArrivalFeed::kLimit + 10; ++i)
            feed->append({qint64(i), 1});
        got = feed->since(0, &next);
        QCOMPARE(next, ArrivalFeed::kLimit + 10);
        QCOMPARE(got.size(), ArrivalFeed::kLimit / 2 + 10);
        QCOMPARE(got.front().atUs, qint64(ArrivalFeed::kLimit / 2));
    }

    // errorBody() writes printable ASCII itself and leaves the rest to QJsonDocument: either
    // way the bytes are QJsonDocument's.
    void errorBodyIsQJsonDocumentsOwn_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detail");
        QTest::newRow("plain") << 503 << u"status-mix"_s;
        QTest::newRow("empty") << 400 << QString();
        QTest::newRow("quote and backslash") << 400 << u"the body must be {\"a\": \\d}"_s;
        QTest::newRow("control characters") << 408 << u"tab\there, line\nfeed, \x01 bell"_s;
        QTest::newRow("DEL") << 400 << u"x\x7fy"_s;
        QTest::newRow("not ASCII") << 429 << u"wait… größer 🙂"_s;
        QTest::newRow("unknown status") << 599 << u"x"_s;
    }
    void errorBodyIsQJsonDocumentsOwn()
    {
        QFETCH(int, status);
        QFETCH(QString, detail);
        const QByteArray expected =
            QJsonDocument(QJsonObject{{u"status"_s, status},
                                      {u"error"_s, QString::fromLatin1(wire::reasonPhrase(status))},
                                      {u"detail"_s, detail}})
                .toJson(QJsonDocument::Compact) +
            '\n';
        QCOMPARE(wire::errorBody(status, detail), expected);
    }

    void okBodyReadsBack_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("plain") << u"/orders/7"_s;
        QTest::newRow("quote and backslash") << u"/a\"b\\c"_s;
        QTest::newRow("decoded control character") << u"/a\nb"_s;
        QTest::newRow("not ASCII") << u"/größe"_s;
    }
    void okBodyReadsBack()
    {
        QFETCH(QString, path);
        const QByteArray body = wire::okBody("GET", path, 42);
        QVERIFY(body.endsWith("}\n"));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(body, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(o.value(u"path"_s).toString(), path);
        QCOMPARE(o.value(u"method"_s).toString(), u"GET"_s);
        QCOMPARE(o.value(u"request"_s).toInteger(), 42);
        if (path == u"/orders/7"_s)
            QCOMPARE(body, QByteArray("{\"method\":\"GET\",\"ok\":true,\"path\":\"/orders/7\","
                                      "\"request\":42}\n"));
    }

    // One buffer for the head and the body: the same bytes as the head, then the body.
    void responseIsHeadThenBody()
    {
        const HeaderList extra{{"Retry-After", "2"}, {"Retry-After", "3"}};
        const QByteArray date = "Mon, 30 Nov 2026 17:00:00 GMT";
        const QByteArray head = wire::head(503, extra, 99, true, date);
        QCOMPARE(head, QByteArray("HTTP/1.1 503 Service Unavailable\r\nDate: " + date +
                                  "\r\nServer: retrylab-mock\r\nContent-Type: application/json"
                                  "\r\nContent-Length: 99\r\nConnection: keep-alive\r\n"
                                  "Retry-After: 2\r\nRetry-After: 3\r\n\r\n"));
        QCOMPARE(wire::response(503, extra, 99, true, date, "half"), head + "half");
        QCOMPARE(wire::head(200, {}, -1, false, date, "text/plain"),
                 QByteArray("HTTP/1.1 200 OK\r\nDate: " + date +
                            "\r\nServer: retrylab-mock\r\nConnection: close\r\n\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestMockState)
#include "tst_mock_state.moc"
