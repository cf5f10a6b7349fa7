// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/outcome.h"

#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(retrylab::OutcomeClass)

class TestOutcome : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void status_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<OutcomeClass>("expected");
        QTest::addRow("200") << 200 << OutcomeClass::Success;
        QTest::addRow("201") << 201 << OutcomeClass::Success;
        QTest::addRow("204") << 204 << OutcomeClass::Success;
        QTest::addRow("101") << 101 << OutcomeClass::Informational;
        QTest::addRow("304") << 304 << OutcomeClass::Redirect;
        QTest::addRow("400") << 400 << OutcomeClass::ClientError;
        QTest::addRow("429") << 429 << OutcomeClass::ClientError;
        QTest::addRow("499") << 499 << OutcomeClass::ClientError;
        QTest::addRow("500") << 500 << OutcomeClass::ServerError;
        QTest::addRow("503") << 503 << OutcomeClass::ServerError;
        QTest::addRow("599") << 599 << OutcomeClass::ServerError;
        QTest::addRow("0") << 0 << OutcomeClass::NetworkOther;
        QTest::addRow("600") << 600 << OutcomeClass::NetworkOther;
        QTest::addRow("-1") << -1 << OutcomeClass::NetworkOther;
    }
    void status()
    {
        QFETCH(int, status);
        QFETCH(OutcomeClass, expected);
        QCOMPARE(outcome::fromStatus(status), expected);
    }

    void networkError_data()
    {
        QTest::addColumn<QNetworkReply::NetworkError>("error");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<OutcomeClass>("expected");
        QTest::addRow("refused") << QNetworkReply::ConnectionRefusedError << false
                                 << OutcomeClass::ConnectionRefused;
        QTest::addRow("closed") << QNetworkReply::RemoteHostClosedError << false
                                << OutcomeClass::ConnectionReset;
        QTest::addRow("dns") << QNetworkReply::HostNotFoundError << false << OutcomeClass::Dns;
        QTest::addRow("qt timeout")
            << QNetworkReply::TimeoutError << false << OutcomeClass::Timeout;
        QTest::addRow("our timeout aborts")
            << QNetworkReply::OperationCanceledError << true << OutcomeClass::Timeout;
        QTest::addRow("cancel") << QNetworkReply::OperationCanceledError << false
                                << OutcomeClass::NetworkOther;
        QTest::addRow("tls") << QNetworkReply::SslHandshakeFailedError << false
                             << OutcomeClass::Tls;
        QTest::addRow("protocol") << QNetworkReply::ProtocolFailure << false
                                  << OutcomeClass::NetworkOther;
    }
    void networkError()
    {
        QFETCH(QNetworkReply::NetworkError, error);
        QFETCH(bool, timedOut);
        QFETCH(OutcomeClass, expected);
        QCOMPARE(outcome::fromNetworkError(error, timedOut), expected);
    }

    void idsRoundTrip()
    {
        for (int i = 0; i <= static_cast<int>(OutcomeClass::Cancelled); ++i) {
            const auto c = static_cast<OutcomeClass>(i);
            QCOMPARE(outcome::fromId(outcome::id(c)), c);
            QVERIFY(!outcome::title(c).isEmpty());
        }
        QVERIFY(!outcome::fromId(u"nope"_s));
    }
};

QTEST_GUILESS_MAIN(TestOutcome)
#include "tst_outcome.moc"
