// SPDX-License-Identifier: GPL-3.0-or-later
// The report card from the journal alone: model clients with known policies walk the exam on
// the clock-free server (MockService), and the card must name their policies and faults.
#include "base/random_source.h"
#include "mock/mock_service.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <functional>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kWall = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());

// A model client: its own wait before retry n (1-based) given its last wait, whether it
// honours Retry-After, and the most attempts it makes.
struct ModelClient {
    using Wait = std::function<double(int n, double last)>;
    ModelClient(QByteArray id_, Wait wait, bool honours = true, int max = 5, bool permanent = false,
                QByteArray key_ = {})
        : id(std::move(id_))
        , waitMs(std::move(wait))
        , honoursRetryAfter(honours)
        , maxAttempts(max)
        , retriesPermanent(permanent)
        , key(std::move(key_))
    {}
    QByteArray id;
    Wait waitMs;
    bool honoursRetryAfter = true;
    int maxAttempts = 5;
    bool retriesPermanent = false;
    QByteArray key; // sent on every attempt when set
};

// Runs one operation of `c` from `start`; returns when it ended.
Duration runOperation(MockService &s, const ModelClient &c, Duration start, const QByteArray &path,
                      const QByteArray &method = "GET", const QByteArray &body = {})
{
    Duration t = start;
    double last = 0;
    for (int attempt = 1; attempt <= c.maxAttempts; ++attempt) {
        HeaderList h{{"X-Client-Id", c.id}};
        if (!c.key.isEmpty())
            h.append({"Idempotency-Key", '"' + c.key + '"'});
        MockExchange x = s.arrive({method, path, h, body, {}}, t, kWall.addMSecs(toMs(t)));
        t += x.latency;
        s.process(x, t);
        s.finish(x);
        const bool answered = x.kind == FaultKind::Respond;
        if (answered && x.status < 400)
            break;
        if (answered && x.status >= 400 && x.status < 500 && x.status != 429 && !c.retriesPermanent)
            break;
        last =
            c.honoursRetryAfter && x.askedWait ? toMs(*x.askedWait) + 5 : c.waitMs(attempt, last);
        t += fromMs(last);
    }
    return t;
}

GradeReport examine(const QList<ModelClient> &clients, int operations, const QByteArray &path,
                    const GradeOptions &options = {})
{
    MockService s(*FaultProfile::ready(u"exam"_s));
    Duration t{0};
    for (int i = 0; i < operations; ++i) {
        Duration end = t;
        for (const auto &c : clients) // they fail together, each on its own schedule
            end = std::max(end, runOperation(s, c, t, path));
        t = end + 1s;
    }
    return s.grades(options);
}

QString result(const ClientCard *card, const QString &id)
{
    return card && card->verdict(id) ? card->verdict(id)->result : u"(none)"_s;
}

} // namespace

class TestClientGrades : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void infersTheFamilyAndItsParameters_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<double>("baseMs");
        QTest::addColumn<double>("multiplier");
        QTest::addColumn<double>("capMs");
        QTest::addColumn<int>("operations");
        QTest::addColumn<bool>("jittered");
        QTest::addRow("constant 300 ms") << u"constant"_s << 300.0 << 1.0 << 0.0 << 1 << false;
        QTest::addRow("linear 200 + 200 n") << u"linear"_s << 400.0 << 1.0 << 0.0 << 1 << false;
        QTest::addRow("exponential 100 x2")
            << u"exponential"_s << 100.0 << 2.0 << 0.0 << 1 << false;
        QTest::addRow("exponential 100 x3 capped at 1 s")
            << u"exponential"_s << 100.0 << 3.0 << 1000.0 << 1 << false;
        QTest::addRow("full jitter 100 x2")
            << u"exponential-jitter"_s << 100.0 << 2.0 << 0.0 << 12 << true;
        QTest::addRow("decorrelated 100") << u"decorrelated"_s << 100.0 << 0.0 << 0.0 << 12 << true;
    }
    void infersTheFamilyAndItsParameters()
    {
        QFETCH(QString, family);
        QFETCH(double, baseMs);
        QFETCH(double, multiplier);
        QFETCH(double, capMs);
        QFETCH(int, operations);
        QFETCH(bool, jittered);
        auto rng = std::make_shared<RandomSource>(42);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        ModelClient c{"c", {}, true, 7};
        if (tag.startsWith(u"constant"_s))
            c.waitMs = [](int, double) {
                return 300.0;
            };
        else if (tag.startsWith(u"linear"_s))
            c.waitMs = [](int n, double) {
                return 200.0 + 200.0 * n;
            };
        else if (tag.contains(u"capped"_s))
            c.waitMs = [](int n, double) {
                return std::min(1000.0, 100.0 * std::pow(3.0, n - 1));
            };
        else if (tag.startsWith(u"exponential"_s))
            c.waitMs = [](int n, double) {
                return 100.0 * std::pow(2.0, n - 1);
            };
        else if (tag.startsWith(u"full jitter"_s))
            c.waitMs = [rng](int n, double) {
                return rng->uniform(0, 100.0 * std::pow(2.0, n - 1));
            };
        else // AWS's decorrelated jitter: between the base and three times the last wait
            c.waitMs = [rng](int, double last) {
                return std::min(5000.0, rng->uniform(100.0, 3.0 * std::max(100.0, last)));
            };
        // /exam/backoff: six failures without Retry-After, so every wait is the client's own.
        const GradeReport r = examine({c}, operations, "/exam/backoff");
        QCOMPARE(r.clients.size(), 1);
        const InferredBackoff &b = r.clients[0].inferred;
        const QByteArray json = QJsonDocument(b.toJson()).toJson(QJsonDocument::Compact);
        QVERIFY2(b.family == family,
                 QJsonDocument(r.clients[0].toJson()).toJson(QJsonDocument::Compact).constData());
        QCOMPARE(b.jittered, jittered);
        // A jittered family's parameters come from the spread of random waits: a wider margin.
        const double tolerance = jittered ? 0.25 : 0.1;
        if (baseMs > 0)
            QVERIFY2(std::abs(b.baseMs - baseMs) <= tolerance * baseMs + 2, json.constData());
        if (multiplier > 1)
            QVERIFY2(std::abs(b.multiplier - multiplier) <= tolerance * multiplier,
                     json.constData());
        if (capMs > 0)
            QVERIFY2(b.capMs && std::abs(*b.capMs - capMs) <= 10, json.constData());
        if (!jittered)
            QVERIFY2(b.confidence >= 0.7, json.constData());
    }

    // Statistically: over 40 seeds, 8 operations each, full jitter and decorrelated jitter are
    // told apart (and from no jitter) at least 9 times in 10.
    void jitterFamiliesAcrossSeeds()
    {
        int fullRight = 0, decorrelatedRight = 0;
        constexpr int kSeeds = 40;
        for (int seed = 1; seed <= kSeeds; ++seed) {
            auto rng = std::make_shared<RandomSource>(seed);
            const ModelClient full{
                "full",
                [rng](int n, double) { return rng->uniform(0, 100.0 * std::pow(2.0, n - 1)); },
                true, 7};
            const ModelClient decorrelated{
                "decorrelated",
                [rng](int, double last) {
                    return std::min(5000.0, rng->uniform(100.0, 3.0 * std::max(100.0, last)));
                },
                true, 7};
            fullRight += examine({full}, 8, "/exam/backoff").clients.value(0).inferred.family ==
                         u"exponential-jitter"_s;
            decorrelatedRight +=
                examine({decorrelated}, 8, "/exam/backoff").clients.value(0).inferred.family ==
                u"decorrelated"_s;
        }
        QVERIFY2(fullRight >= kSeeds * 9 / 10, qPrintable(QString::number(fullRight)));
        QVERIFY2(decorrelatedRight >= kSeeds * 9 / 10,
                 qPrintable(QString::number(decorrelatedRight)));
    }

    void theExamFindsGoodAndBadHabits()
    {
        const auto exponential = [](int n, double) {
            return 200.0 * std::pow(2.0, n - 1);
        };
        ModelClient good{"good", exponential, true, 6};
        ModelClient rude{"rude", [](int, double) { return 50.0; }, false, 6, true};
        MockService s(*FaultProfile::ready(u"exam"_s));
        Duration t{0};
        for (const auto &c : {good, rude}) {
            t = runOperation(s, c, t, "/thing") + 1s;
            t = runOperation(s, c, t, "/exam/missing") + 1s;
            t = runOperation(s, c, t, "/payments", "POST", R"({"amount": 5, "currency": "EUR"})") +
                1s;
        }
        const GradeReport r = s.grades({4});
        const ClientCard *g = r.client(u"good"_s);
        const ClientCard *b = r.client(u"rude"_s);
        QVERIFY(g && b);
        QCOMPARE(g->identifiedBy, u"x-client-id, method+path+body"_s);
        QCOMPARE(result(g, u"honours-retry-after"_s), u"pass"_s);
        QCOMPARE(result(b, u"honours-retry-after"_s), u"fail"_s);
        QCOMPARE(result(g, u"stops-on-permanent"_s), u"pass"_s);
        QCOMPARE(result(b, u"stops-on-permanent"_s), u"fail"_s);
        QCOMPARE(result(g, u"retries-transient"_s), u"pass"_s);
        QCOMPARE(g->answers.value(u"reset"_s).retried, 1);
        QCOMPARE(g->answers.value(u"503"_s).retried, 1);
        QCOMPARE(result(g, u"no-unkeyed-post-retry"_s), u"fail"_s); // commit-then-lose, no key
        QCOMPARE(result(g, u"within-max-attempts"_s), u"fail"_s);   // 5 attempts > 4 stated
        QCOMPARE(result(g, u"key-reused"_s), u"not-seen"_s);
        QCOMPARE(result(g, u"jittered"_s), u"warn"_s);
        const Verdict *early = b->verdict(u"honours-retry-after"_s);
        QCOMPARE(early->evidence.value(u"judged"_s).toInt(), 2);
        QVERIFY(!early->evidence.value(u"early"_s).toArray().isEmpty());
        // The JSON has the shape the admin API promises.
        const QJsonObject card = r.toJson().value(u"clients"_s).toArray().at(0).toObject();
        for (const char *key :
             {"client", "identifiedBy", "operations", "attempts", "inferred", "verdicts"})
            QVERIFY2(card.contains(QLatin1String(key)), key);
        QCOMPARE(card.value(u"verdicts"_s).toArray().size(), 8);
    }

    void keyedRetriesAndKeysThatChange()
    {
        MockService s(*FaultProfile::ready(u"exam"_s));
        ModelClient keyed{"keyed", [](int, double) { return 100.0; }, true, 3, false, "k-1"};
        runOperation(s, keyed, 0s, "/payments", "POST", R"({"amount": 5, "currency": "EUR"})");
        // A client that makes a new key for every attempt (by X-Operation-Id it is one operation).
        for (int i = 0; i < 2; ++i) {
            MockExchange x =
                s.arrive({"POST",
                          "/payments",
                          {{"X-Client-Id", "fresh"},
                           {"X-Operation-Id", "op-1"},
                           {"Idempotency-Key", "\"k-" + QByteArray::number(10 + i) + '"'}},
                          R"({"amount": 5, "currency": "EUR"})",
                          {}},
                         Duration(10s + i * 1s), kWall);
            s.process(x, Duration(10s + i * 1s));
            s.finish(x);
        }
        const GradeReport r = s.grades();
        QCOMPARE(result(r.client(u"keyed"_s), u"key-reused"_s), u"pass"_s);
        QCOMPARE(result(r.client(u"keyed"_s), u"no-unkeyed-post-retry"_s), u"pass"_s);
        QCOMPARE(result(r.client(u"fresh"_s), u"key-reused"_s), u"fail"_s);
        QCOMPARE(s.ledger().duplicates(), 1); // the fresh key charged again
    }

    void clientsInStepAreFound()
    {
        const auto fixed = [](int n, double) {
            return 250.0 * n;
        };
        auto rng = std::make_shared<RandomSource>(7);
        const auto jitter = [rng](int n, double) {
            return rng->uniform(0, 400.0 * n);
        };
        const GradeReport herd =
            examine({{"a", fixed}, {"b", fixed}, {"c", fixed}}, 3, "/exam/backoff");
        QCOMPARE(result(herd.client(u"a"_s), u"not-in-step"_s), u"fail"_s);
        const GradeReport spread =
            examine({{"a", jitter}, {"b", jitter}, {"c", jitter}}, 3, "/exam/backoff");
        QCOMPARE(result(spread.client(u"a"_s), u"not-in-step"_s), u"pass"_s);
        const GradeReport alone = examine({{"a", fixed}}, 3, "/exam/backoff");
        QCOMPARE(result(alone.client(u"a"_s), u"not-in-step"_s), u"not-seen"_s);
    }

    void theAdminApiAnswers()
    {
        MockService s(*FaultProfile::ready(u"exam"_s));
        s.setAdminAccess(AdminAccess::forBinding(u"127.0.0.1"_s, 8080, {}));
        runOperation(s,
                     {"a",
                      [](int, double) {
                          return 10.0;
                      }},
                     0s, "/exam/backoff");
        const HeaderList host{{"Host", "127.0.0.1:8080"}};
        MockExchange x =
            s.arrive({"GET", "/__admin/grades?maxAttempts=3", host, {}, {}}, 60s, kWall);
        QCOMPARE(x.status, 200);
        const QJsonObject o = QJsonDocument::fromJson(x.body).object();
        const QJsonObject card = o.value(u"clients"_s).toArray().at(0).toObject();
        QCOMPARE(card.value(u"client"_s).toString(), u"a"_s);
        QCOMPARE(card.value(u"attempts"_s).toInt(), 5);
        const QJsonArray verdicts = card.value(u"verdicts"_s).toArray();
        QCOMPARE(verdicts.at(7).toObject().value(u"result"_s).toString(), u"fail"_s);
        QCOMPARE(
            s.arrive({"GET", "/__admin/grades?maxAttempts=x", host, {}, {}}, 61s, kWall).status,
            400);
    }
};

QTEST_GUILESS_MAIN(TestClientGrades)
#include "tst_client_grades.moc"
