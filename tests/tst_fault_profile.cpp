// SPDX-License-Identifier: GPL-3.0-or-later
#include "mock/fault_profile.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestFaultProfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readyProfilesLoadAndRoundTrip_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names = FaultProfile::readyProfiles();
        for (const char *expected :
             {"healthy", "flaky-503", "rate-limited-429", "brownout", "outage", "payments-lossy"})
            QVERIFY2(names.contains(QLatin1String(expected)), expected);
        for (const QString &n : names)
            QTest::addRow("%s", qPrintable(n)) << n;
    }
    void readyProfilesLoadAndRoundTrip()
    {
        QFETCH(QString, name);
        QString error;
        const auto p = FaultProfile::load(u":/profiles/%1.json"_s.arg(name), &error);
        QVERIFY2(p, qPrintable(error));
        QCOMPARE(p->name, name);
        QVERIFY(!p->description.isEmpty());
        FieldProblems problems;
        const auto back = FaultProfile::fromJson(p->toJson(), &problems);
        QVERIFY(back);
        QVERIFY(*back == *p);
    }

    void saveIsAtomicAndReloads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        FaultProfile p = *FaultProfile::ready(u"brownout"_s);
        p.name = u"mine"_s;
        QString error;
        QVERIFY2(p.save(path, &error), qPrintable(error));
        QCOMPARE(FaultProfile::load(path, &error)->name, u"mine"_s);
        QVERIFY(!p.save(dir.filePath(u"no/such/dir/p.json"_s), &error));
        QVERIFY(error.contains(u"cannot write"_s));
    }

    void loadErrorsNameFileAndField_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("says");
        QTest::addRow("not JSON") << QByteArray("{\"routes\": [") << u"not valid JSON at byte"_s;
        QTest::addRow("not an object") << QByteArray("[1]") << u"must be a JSON object"_s;
        QTest::addRow("negative weight")
            << QByteArray(R"({"routes": [{"statuses": [{"status": 200, "weight": -1}]}]})")
            << u"routes[0].statuses[0]: weight must be a number from 0 to 1e12"_s;
        // Regression: 1e308 + 1e308 was accepted, and its sum is infinite.
        QTest::addRow("weight past the limit")
            << QByteArray(R"({"routes": [{"statuses": [{"status": 200, "weight": 1e308},)"
                          R"( {"status": 503, "weight": 1e308}]}]})")
            << u"routes[0].statuses[0]: weight must be a number from 0 to 1e12"_s;
        QTest::addRow("zero total weight")
            << QByteArray(R"({"routes": [{"statuses": [{"status": 200, "weight": 0}]}]})")
            << u"routes[0].statuses: needs at least one status"_s;
        QTest::addRow("probabilities over 1")
            << QByteArray(R"({"routes": [{"faults": {"reset": 0.6, "hang": 0.6}}]})")
            << u"routes[0].faults: the fault probabilities add up to more than 1"_s;
        QTest::addRow("unknown form")
            << QByteArray(R"({"routes": [{"retryAfter": {"form": "weeks"}}]})")
            << u"routes[0].retryAfter.form: must be one of"_s;
        QTest::addRow("misspelt field")
            << QByteArray(R"({"capacty": {}})") << u"capacty: unknown field"_s;
        QTest::addRow("outage backwards")
            << QByteArray(R"({"outages": [{"startMs": 10, "endMs": 5}]})") << u"outages[0]"_s;
        QTest::addRow("bad path") << QByteArray(R"({"routes": [{"path": "payments"}]})")
                                  << u"routes[0].path: must start with /"_s;
        // Found by tests/fuzz/fuzz_profile: a status past int's range was cast to int before
        // its range was checked (undefined behaviour; UBSan stops on it).
        QTest::addRow("status past int")
            << QByteArray(R"({"routes": [{"statuses": [{"status": 3e10, "weight": 1}]}]})")
            << u"routes[0].statuses[0]: must be {\"status\": 100..599"_s;
        QTest::addRow("Retry-After status past int")
            << QByteArray(R"({"routes": [{"retryAfter": {"on": [-1e300]}}]})")
            << u"routes[0].retryAfter.on[0]: must be a status code"_s;
        QTest::addRow("outage status past int")
            << QByteArray(R"({"outages": [{"startMs": 0, "endMs": 5, "status": 1e19}]})")
            << u"outages[0]: status must be a status code"_s;
    }
    void loadErrorsNameFileAndField()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QString error;
        QVERIFY(!FaultProfile::load(path, &error));
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    void missingFile()
    {
        QString error;
        QVERIFY(!FaultProfile::load(u"/no/such/profile.json"_s, &error));
        QVERIFY(error.contains(u"cannot open"_s));
    }

    void routeMatching()
    {
        FaultProfile p = *FaultProfile::ready(u"payments-lossy"_s);
        QCOMPARE(p.route(u"POST", u"/payments")->path, u"/payments"_s);
        QCOMPARE(p.route(u"GET", u"/payments")->path, u"/*"_s);
        QCOMPARE(p.route(u"post", u"/payments")->path, u"/payments"_s);
        p.routes.removeLast();
        QVERIFY(!p.route(u"GET", u"/x"));
    }
};

QTEST_GUILESS_MAIN(TestFaultProfile)
#include "tst_fault_profile.moc"
