// SPDX-License-Identifier: GPL-3.0-or-later
// For tst_client_exam: retrylab-mock with the exam on a port the OS picks, the clients run to
// their end, and the report cards read from GET /__admin/grades.
#pragma once

#include "http_test_client.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace exam {

inline constexpr auto kPython = "/usr/bin/python3";
inline const QString kClients = QStringLiteral(RETRYLAB_EXAM_CLIENTS);

// retrylab-mock with the exam, on a port the OS picks.
class ExamServer
{
public:
    explicit ExamServer(const QStringList &extra = {})
    {
        m_process.start(QStringLiteral(RETRYLAB_MOCK_BIN),
                        QStringList{u"--profile"_s, u"exam"_s} + extra);
        QByteArray line;
        QElapsedTimer t;
        t.start();
        while (m_process.waitForStarted(5000) && !line.contains('\n') && t.elapsed() < 10000 &&
               m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(100);
            line += m_process.readAllStandardOutput();
        }
        m_url = QUrl(QString::fromUtf8(line.trimmed()));
    }
    ~ExamServer()
    {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }
    QString url() const { return m_url.toString(); }
    bool isUp() const { return m_url.isValid() && m_url.port() > 0; }
    QJsonObject grades(const QString &query = {}) const
    {
        QNetworkAccessManager nam;
        const auto r = httpCall(nam, "GET", QUrl(url() + u"__admin/grades"_s + query));
        return QJsonDocument::fromJson(r.body).object();
    }

private:
    QProcess m_process;
    QUrl m_url;
};

// Runs a client to its end (at most a minute); returns its exit code, -1 when it did not end.
inline int run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(2000);
        qWarning().noquote() << program << "did not end:" << p.readAll();
        return -1;
    }
    const QByteArray out = p.readAll();
    if (!out.isEmpty())
        qInfo().noquote() << program.section(u'/', -1) << args.value(0) << "→" << out.trimmed();
    return p.exitCode();
}

// The card of the one client whose name contains `name`.
inline QJsonObject card(const QJsonObject &grades, const QString &name)
{
    QJsonObject found;
    for (const QJsonValue &c : grades.value(u"clients"_s).toArray())
        if (c.toObject().value(u"client"_s).toString().contains(name))
            found = c.toObject();
    return found;
}

inline QString verdict(const QJsonObject &card, const QString &id)
{
    for (const QJsonValue &v : card.value(u"verdicts"_s).toArray())
        if (v.toObject().value(u"id"_s).toString() == id)
            return v.toObject().value(u"result"_s).toString();
    return u"(missing)"_s;
}

inline int tally(const QJsonObject &card, const QString &answer, const char *what)
{
    return card.value(u"answers"_s)
        .toObject()
        .value(answer)
        .toObject()
        .value(QLatin1String(what))
        .toInt();
}

// Keeps the grades beside the other test output (the notes show curl's and urllib3's).
inline void keep(const QJsonObject &grades, const QString &name)
{
    const QString dir = qEnvironmentVariable("RETRYLAB_TEST_OUTPUT");
    if (dir.isEmpty() || !QDir().mkpath(dir))
        return;
    QFile f(dir + u"/grades-"_s + name + u".json"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write(QJsonDocument(grades).toJson());
}

inline bool near(double value, double expected, double tolerance)
{
    return std::abs(value - expected) <= tolerance * expected;
}

// A wait the server measures is the client's sleep plus the client's own work between the
// answer and the next request (a Python or curl process reconnecting). That work is additive,
// not proportional, and on a loaded 2-core machine it reaches 10–15 ms: 20 ms of slack on top
// of the relative tolerance keeps a 50 ms base from failing by load while a base off by a
// factor of two still fails.
inline bool nearWait(double valueMs, double expectedMs, double tolerance)
{
    constexpr double kClientWorkMs = 20;
    return std::abs(valueMs - expectedMs) <= tolerance * expectedMs + kClientWorkMs;
}

#define DESCRIBE(c) qPrintable(QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact)))

inline bool pythonHas(const char *module)
{
    QProcess p;
    p.start(QString::fromLatin1(kPython), {u"-c"_s, u"import "_s + QLatin1String(module)});
    return p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace exam
