// SPDX-License-Identifier: GPL-3.0-or-later
// The Python policy shipped for Locust (resources/locust/retrylab_locust) against the C++ core:
// the same decision vectors go to both, and every decision, wait, breaker state, budget level,
// pushback reading, idempotency key and random draw must be identical.
#include "locust_parity_answers.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace retrylab;

namespace {

constexpr auto kPython = "/usr/bin/python3";

QJsonObject pythonAnswer(const QJsonObject &vectors, QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PYTHONPATH"_s, QStringLiteral(RETRYLAB_LOCUST_DIR));
    env.insert(u"PYTHONDONTWRITEBYTECODE"_s, u"1"_s);
    p.setProcessEnvironment(env);
    p.start(QString::fromLatin1(kPython), {u"-m"_s, u"retrylab_locust.parity"_s});
    if (!p.waitForStarted(30'000)) {
        *error = p.errorString();
        return {};
    }
    p.write(QJsonDocument(vectors).toJson(QJsonDocument::Compact));
    p.closeWriteChannel();
    if (!p.waitForFinished(240'000) || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return {};
    }
    QJsonParseError parseError;
    const auto doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &parseError);
    if (!doc.isObject())
        *error = u"the Python answer is not JSON: "_s + parseError.errorString();
    return doc.object();
}

} // namespace

#include "tst_locust_parity_vectors.h"

class TestLocustParity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromLatin1(kPython))) {
            // CI runs installer/install-deps.sh first: there a missing Python is a fault.
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("/usr/bin/python3 is missing although installer/install-deps.sh ran");
            QSKIP("/usr/bin/python3 is not installed (installer/install-deps.sh installs it)");
        }
        m_vectors = parityVectors();
        QString error;
        m_python = pythonAnswer(m_vectors, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_cpp = parity::cppAnswer(m_vectors);
    }

    void sameAnswers_data()
    {
        QTest::addColumn<QString>("kind");
        for (const char *kind : {"rng", "decisions", "breakers", "budgets", "pushbacks", "keys"})
            QTest::newRow(kind) << QString::fromLatin1(kind);
    }

    void sameAnswers()
    {
        QFETCH(QString, kind);
        const QJsonArray cpp = m_cpp[kind].toArray();
        const QJsonArray python = m_python[kind].toArray();
        const QJsonArray vectors = m_vectors[kind].toArray();
        QVERIFY(!vectors.isEmpty());
        QCOMPARE(python.size(), cpp.size());
        for (qsizetype i = 0; i < cpp.size(); ++i) {
            if (cpp[i] == python[i])
                continue;
            const auto text = [](const QJsonValue &v) {
                return QString::fromUtf8(
                    QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact));
            };
            QFAIL(qPrintable(
                u"%1 vector %2 differs\nvector: %3\nC++:    %4\nPython: %5"_s.arg(kind).arg(i).arg(
                    text(vectors[i]).left(2000), text(cpp[i]).left(3000),
                    text(python[i]).left(3000))));
        }
    }

private:
    QJsonObject m_vectors;
    QJsonObject m_cpp;
    QJsonObject m_python;
};

QTEST_GUILESS_MAIN(TestLocustParity)
#include "tst_locust_parity.moc"
