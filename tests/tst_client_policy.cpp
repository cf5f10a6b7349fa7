// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/client_policy.h"

#include <QJsonDocument>
#include <QTest>

using namespace retrylab;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {
QJsonObject parse(const char *json)
{
    QJsonParseError e;
    const auto doc = QJsonDocument::fromJson(QByteArray(json), &e);
    if (e.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s", qPrintable(e.errorString()));
    return doc.object();
}
} // namespace

class TestClientPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void presetsRoundTrip_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto &p : policyPresets())
            QTest::addRow("%s", qPrintable(p.id)) << p.id;
    }
    void presetsRoundTrip()
    {
        QFETCH(QString, id);
        const auto preset = findPreset(id);
        QVERIFY(preset);
        FieldProblems problems;
        const auto back = ClientPolicy::fromJson(preset->policy.toJson(), &problems);
        QVERIFY2(back, qPrintable(problems.isEmpty() ? QString() : problems.front().message));
        QVERIFY(*back == preset->policy);
        QVERIFY(!preset->title.isEmpty() && !preset->description.isEmpty());
    }

    void emptyObjectIsDefaults()
    {
        const auto p = ClientPolicy::fromJson({}, nullptr);
        QVERIFY(p);
        QVERIFY(*p == ClientPolicy{});
    }

    void partialOverride()
    {
        const auto p = ClientPolicy::fromJson(
            parse(R"({"retry": {"maxAttempts": 7, "backoff": {"kind": "equal-jitter"},
                                "retryableStatuses": []},
                      "breaker": {"rule": "failure-rate", "window": "time"}})"),
            nullptr);
        QVERIFY(p);
        QCOMPARE(p->retry.maxAttempts, 7);
        QCOMPARE(p->retry.backoff.kind, BackoffKind::EqualJitter);
        QCOMPARE(p->retry.backoff.base, RetryPolicy{}.backoff.base);
        QVERIFY(p->retry.retryableStatuses.isEmpty()); // an empty list is a choice
        QCOMPARE(p->breaker.rule, TripRule::FailureRate);
        QCOMPARE(p->breaker.window, WindowKind::Time);
    }

    // The AWS simulator's conventions load, save and load again; a policy without them writes
    // no new field, so older files stay byte for byte.
    void awsConventionsRoundTrip()
    {
        const auto p = ClientPolicy::fromJson(
            parse(R"({"retry": {"backoff": {"kind": "none", "firstRetryExponent": 1}}})"), nullptr);
        QVERIFY(p);
        QCOMPARE(p->retry.backoff.kind, BackoffKind::None);
        QCOMPARE(p->retry.backoff.firstRetryExponent, 1);
        QCOMPARE(ClientPolicy::fromJson(p->toJson(), nullptr), p);
        const QJsonObject plain = ClientPolicy{}.toJson()[u"retry"_s][u"backoff"_s].toObject();
        QVERIFY(!plain.contains(u"firstRetryExponent"_s));
    }

    // Every bad field is named by its path, with what was wrong.
    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::addRow("wrong type") << QByteArray(R"({"retry": {"maxAttempts": "four"}})")
                                    << u"retry.maxAttempts"_s << u"whole number"_s;
        QTest::addRow("fraction") << QByteArray(R"({"retry": {"maxAttempts": 2.5}})")
                                  << u"retry.maxAttempts"_s << u"whole number"_s;
        QTest::addRow("unknown kind") << QByteArray(R"({"retry": {"backoff": {"kind": "random"}}})")
                                      << u"retry.backoff.kind"_s << u"full-jitter"_s;
        QTest::addRow("misspelt field") << QByteArray(R"({"retry": {"maxAtempts": 3}})")
                                        << u"retry.maxAtempts"_s << u"unknown field"_s;
        QTest::addRow("negative ms") << QByteArray(R"({"breaker": {"openDurationMs": -1}})")
                                     << u"breaker.openDurationMs"_s << u"milliseconds"_s;
        QTest::addRow("bad status in list")
            << QByteArray(R"({"retry": {"retryableStatuses": [503, 1000]}})")
            << u"retry.retryableStatuses[1]"_s << u"status code"_s;
        // Past int's range: refused, not cast first (undefined behaviour; UBSan stops on it).
        QTest::addRow("status past int")
            << QByteArray(R"({"retry": {"retryableStatuses": [4e12]}})")
            << u"retry.retryableStatuses[0]"_s << u"status code"_s;
        QTest::addRow("bad failure class")
            << QByteArray(R"({"retry": {"retryableFailures": ["success"]}})")
            << u"retry.retryableFailures[0]"_s << u"timeout"_s;
        QTest::addRow("not an object")
            << QByteArray(R"({"budget": 5})") << u"budget"_s << u"object"_s;
        QTest::addRow("first retry exponent out of range")
            << QByteArray(R"({"retry": {"backoff": {"firstRetryExponent": 40}}})")
            << u"retry.backoff.firstRetryExponent"_s << u"whole number from 0 to 16"_s;
        QTest::addRow("valid types, invalid combination")
            << QByteArray(R"({"retry": {"backoff": {"baseMs": 500, "capMs": 100}}})")
            << u"retry.backoff.capMs"_s << u"below the base"_s;
    }
    void errorsNameTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QFETCH(QString, says);
        FieldProblems problems;
        const auto p = ClientPolicy::fromJson(parse(json.constData()), &problems);
        QVERIFY(!p);
        QVERIFY(!problems.isEmpty());
        QCOMPARE(problems.front().field, field);
        QVERIFY2(problems.front().message.contains(says), qPrintable(problems.front().message));
    }
};

QTEST_GUILESS_MAIN(TestClientPolicy)
#include "tst_client_policy.moc"
