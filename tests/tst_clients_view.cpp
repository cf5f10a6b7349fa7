// SPDX-License-Identifier: GPL-3.0-or-later
// The server panel's Clients window: curl and urllib3 sit the exam against the built-in
// server, and their report cards show in the table, the verdicts and the timeline.
#include "gui_test_utils.h"
#include "mock/mock_server_host.h"
#include "server/client_timeline.h"
#include "server/clients_view.h"
#include "server/server_panel.h"

#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestClientsView : public QObject
{
    Q_OBJECT
private:
    static bool run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit;
    }

private Q_SLOTS:
    void curlAndUrllib3Cards()
    {
        const bool haveCurl = QFile::exists(u"/usr/bin/curl"_s);
        const bool haveUrllib3 =
            QProcess::execute(u"/usr/bin/python3"_s, {u"-c"_s, u"import urllib3"_s}) == 0;
        if (!haveCurl || !haveUrllib3)
            QSKIP("curl and python3-urllib3 are needed (installer/install-deps.sh installs them)");
        MockServerHost host;
        QVERIFY(host.start(*FaultProfile::ready(u"exam"_s), 1));
        const QString url = host.url().toString();
        const QString out = QDir::temp().filePath(u"retrylab-view-curl.out"_s);
        for (const QString &path : {u"exam/backoff"_s, u"thing"_s, u"exam/missing"_s})
            QVERIFY(
                run(u"/usr/bin/curl"_s, {u"-s"_s, u"-o"_s, out, u"--retry"_s, u"3"_s, url + path}));
        QVERIFY(run(u"/usr/bin/python3"_s,
                    {QStringLiteral(RETRYLAB_EXAM_CLIENTS) + u"/urllib3_client.py"_s, url}));

        ServerPanel panel(&host);
        ClientsView *view = panel.showClients();
        QVERIFY(view);
        QTableWidget *table = view->table();
        QCOMPARE(table->rowCount(), 2);
        const GradeReport report = host.grades();
        QString curl, urllib3;
        for (const ClientCard &c : report.clients)
            (c.client.contains(u"curl/"_s) ? curl : urllib3) = c.client;
        QVERIFY(urllib3.contains(u"python-urllib3/"_s));
        view->selectClient(curl);
        QCOMPARE(table->item(table->currentRow(), 0)->text(), curl);
        QVERIFY(table->item(table->currentRow(), 3)->text().startsWith(u"exponential"_s));
        auto *verdicts = view->findChild<QTreeWidget *>(u"clientVerdicts"_s);
        QCOMPARE(verdicts->topLevelItemCount(), 8);
        QCOMPARE(verdicts->topLevelItem(0)->text(1), u"pass"_s); // honours Retry-After
        QVERIFY(view->findChild<ClientTimeline *>());

        const QString dir = qEnvironmentVariable("RETRYLAB_TEST_OUTPUT", QDir::tempPath());
        QFile json(dir + u"/grades-view.json"_s);
        QVERIFY(json.open(QIODevice::WriteOnly));
        json.write(QJsonDocument(report.toJson()).toJson());
        json.close();
        view->window()->resize(1280, 760);
        view->selectClient(curl);
        qInfo() << "screenshot:" << saveScreenshot(view->window(), u"grades-curl"_s);
        view->selectClient(urllib3);
        qInfo() << "screenshot:" << saveScreenshot(view->window(), u"grades-urllib3"_s);
        host.stop();
    }
};

QTEST_MAIN(TestClientsView)
#include "tst_clients_view.moc"
