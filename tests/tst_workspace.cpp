// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace as a person drives it: target and load, curl import, the server panel during a
// run, saving and reopening a scenario.
#include "gui_test_utils.h"
#include "log/attempt_log_view.h"
#include "log/attempt_table_model.h"
#include "main_window.h"
#include "mock/mock_server_host.h"
#include "policy/policy_editor.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"
#include "server/server_panel.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestWorkspace : public QObject
{
    Q_OBJECT
private:
    template<typename T> static T *child(QWidget *w, const QString &name)
    {
        auto *c = w->findChild<T *>(name);
        if (!c)
            qFatal("no %s", qPrintable(name));
        return c;
    }

private Q_SLOTS:
    void initTestCase() { useFreshSettings(u"tst_workspace"_s); }

    void typedUrlIsCheckedAndKept()
    {
        MainWindow w;
        w.show();
        ScenarioEditor *e = w.scenarioEditor();
        child<QRadioButton>(e, u"target.isUrl"_s)->setChecked(true);
        auto *url = child<QLineEdit>(e, u"target.url"_s);
        url->clear();
        QTest::keyClicks(url, u"ftp:/nowhere"_s);
        QVERIFY(!e->scenario(*w.policyEditor()->policy()));
        auto *error = child<QLabel>(e, u"target.url.error"_s);
        QVERIFY2(error->text().contains(u"not an http"_s), qPrintable(error->text()));
        QCOMPARE(url->text(), u"ftp:/nowhere"_s); // what was typed is kept
        // Run refuses and shows the tab with the problem.
        w.runAction()->trigger();
        QVERIFY(!w.runController()->isRunning());
        url->clear();
        QTest::keyClicks(url, u"http://127.0.0.1:9/"_s);
        const auto s = e->scenario(*w.policyEditor()->policy());
        QVERIFY(s);
        QVERIFY(!s->builtinServer);
        QCOMPARE(s->url.port(), 9);
    }

    void aProblemShowsWhileTyping()
    {
        MainWindow w;
        w.show();
        ScenarioEditor *e = w.scenarioEditor();
        child<QRadioButton>(e, u"target.isUrl"_s)->setChecked(true);
        auto *url = child<QLineEdit>(e, u"target.url"_s);
        url->clear();
        // No Run, no Save: the message and the red outline come with the keystrokes.
        QTest::keyClicks(url, u"example.com/orders"_s);
        auto *error = child<QLabel>(e, u"target.url.error"_s);
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(u"write http://example.com/orders"_s),
                 qPrintable(error->text()));
        QVERIFY(url->property("fieldProblem").toBool());
        QVERIFY(url->styleSheet().contains(u"#c62828"_s));
        url->clear();
        QTest::keyClicks(url, u"http://example.com/orders"_s);
        QVERIFY(error->isHidden());
        QVERIFY(!url->property("fieldProblem").toBool());
        QVERIFY(url->styleSheet().isEmpty());
    }

    void curlImportFillsTheRequest()
    {
        MainWindow w;
        ScenarioEditor *e = w.scenarioEditor();
        const QStringList notes =
            e->importCurl(u"curl -s -X POST 'https://api.example.test/v1/payments?x=1' "
                          "-H 'Content-Type: application/json' -H 'Idempotency-Key: k1' "
                          "-d '{\"amount\": 5, \"currency\": \"EUR\"}'"_s);
        QCOMPARE(notes.size(), 1); // -s
        const auto s = e->scenario(*w.policyEditor()->policy());
        QVERIFY(s);
        QCOMPARE(s->method, QByteArray("POST"));
        QCOMPARE(s->url.toString(), u"https://api.example.test/"_s);
        QCOMPARE(s->path, u"/v1/payments?x=1"_s);
        QCOMPARE(s->keys, KeyMode::PerOperation); // the run makes its own keys
        QCOMPARE(s->headers.size(), 1);
        QVERIFY(child<QLabel>(e, u"curlNotes"_s)->text().contains(u"-s"_s));
        QVERIFY(child<QLabel>(e, u"bodyCheck"_s)->text().contains(u"valid JSON"_s));
        e->importCurl(u"wget http://x"_s);
        QVERIFY(child<QLabel>(e, u"curlNotes"_s)->text().contains(u"Nothing imported"_s));
        // A broken body is pointed at.
        child<QPlainTextEdit>(e, u"request.body"_s)->setPlainText(u"{\"amount\": "_s);
        QVERIFY(!e->scenario(*w.policyEditor()->policy()));
        QVERIFY(child<QLabel>(e, u"bodyCheck"_s)->text().contains(u"not valid JSON"_s));
        // The POST turned into a GET keeps its body: the body field says it is still sent.
        child<QPlainTextEdit>(e, u"request.body"_s)->setPlainText(u"{\"amount\": 5}"_s);
        child<QComboBox>(e, u"request.method"_s)->setCurrentText(u"GET"_s);
        QVERIFY(child<QLabel>(e, u"bodyCheck"_s)->text().contains(u"GET with a body"_s));

        // curl's own retries become the policy, and the notes say which.
        e->importCurl(u"curl --retry 3 --retry-delay 2 -m 5 https://api.example.test/v1/orders"_s);
        const auto p = w.policyEditor()->policy();
        QVERIFY(p);
        QCOMPARE(p->retry.maxAttempts, 4);
        QCOMPARE(p->retry.backoff.kind, BackoffKind::Fixed);
        QCOMPARE(p->retry.attemptTimeout, Duration(5'000'000));
        QVERIFY(child<QLabel>(e, u"curlNotes"_s)->text().contains(u"the policy is curl's"_s));
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.pages()->setCurrentWidget(e);
        saveScreenshot(&w, u"workspace-target-and-load"_s);
    }

    // The server panel acts during a run: switching the mix to all-503 shows in the rows.
    void serverChangesDuringARun()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        child<QSpinBox>(w.scenarioEditor(), u"load.operationsPerClient"_s)->setValue(200);
        QSignalSpy finished(w.runController(), &RunController::runFinished);
        w.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.attemptLog()->model()->rowCount() > 30, 5000);
        ServerPanel *panel = w.serverPanel();
        child<QSpinBox>(panel, u"mix429"_s)->setValue(0);
        child<QSpinBox>(panel, u"mix200"_s)->setValue(0);
        child<QSpinBox>(panel, u"mix503"_s)->setValue(100);
        // profile() waits for the server's thread, so once it reads all-503 the change is in
        // effect; attempts sent from then on (by the run's clock, which starts at the log's
        // wall-clock start) must all fail. Those already in flight may still be served.
        QTRY_COMPARE_WITH_TIMEOUT(w.server()->profile().routes.front().statuses.size(), 1, 5000);
        const auto log = w.runController()->log();
        const qint64 changedUs =
            log->runInfo().startedAt.msecsTo(QDateTime::currentDateTimeUtc()) * 1000 + 100'000;
        const std::size_t from = log->size();
        QTRY_VERIFY_WITH_TIMEOUT(w.attemptLog()->model()->rowCount() > int(from) + 80, 25000);
        int served = 0;
        int unavailable = 0;
        int refused = 0; // the demo's breakers open once everything fails
        for (std::size_t i = from; i < log->size(); ++i) {
            const AttemptRecord r = log->at(i);
            if (r.startedUs <= changedUs)
                continue;
            served += r.status == 200;
            unavailable += r.status == 503;
            refused += r.outcome == OutcomeClass::RejectedByBreaker;
        }
        QVERIFY2(served == 0 && unavailable >= 5 && unavailable + refused >= 20,
                 qPrintable(u"%1 served, %2 unavailable, %3 refused by breakers"_s.arg(served)
                                .arg(unavailable)
                                .arg(refused)));
        QCOMPARE(w.server()->profile().routes.front().statuses.size(), 1);
        saveScreenshot(&w, u"workspace-server-all-503"_s);
        w.stopAction()->trigger();
        QVERIFY(finished.wait(20000));

        // The first attempt's detail reads like curl -v: the request as written, the answer's
        // version, its body.
        w.pages()->setCurrentWidget(w.attemptLog());
        QTableView *table = w.attemptLog()->table();
        table->setCurrentIndex(table->model()->index(0, 0));
        const QString details =
            child<QPlainTextEdit>(w.attemptLog(), u"attemptDetails"_s)->toPlainText();
        QVERIFY2(details.contains(u"Request as sent:\n  GET /"_s), qPrintable(details));
        QVERIFY(details.contains(u"  Host: 127.0.0.1:"_s));
        QVERIFY(details.contains(u"HTTP/1.1)"_s));
        QVERIFY(details.contains(u"Response body ("_s));
        // After the phases, how long the answer then waited for this client (plain TCP).
        QVERIFY2(details.contains(u"for this client to read it (not the server's time)"_s),
                 qPrintable(details));
        saveScreenshot(&w, u"workspace-attempt-details"_s);
    }

    void saveAndReopen()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"mine.json"_s);
        {
            MainWindow w;
            child<QSpinBox>(w.scenarioEditor(), u"load.clients"_s)->setValue(33);
            child<QSpinBox>(w.policyEditor(), u"retry.maxAttempts"_s)->setValue(7);
            child<QSpinBox>(w.serverPanel(), u"mix500"_s)->setValue(15);
            QVERIFY(w.saveScenario(file));
        }
        MainWindow w;
        QVERIFY(w.openScenario(file));
        const auto s = w.scenarioEditor()->scenario(*w.policyEditor()->policy());
        QVERIFY(s);
        QCOMPARE(s->clients, 33);
        QCOMPARE(s->policy.retry.maxAttempts, 7);
        bool has500 = false;
        const FaultProfile served = w.server()->profile();
        for (const auto &st : served.routes.front().statuses)
            has500 = has500 || st.status == 500;
        QVERIFY(has500); // the server's profile at save time came back
        // A bad file is refused with the reason, and nothing typed is lost.
        const QString bad = dir.filePath(u"bad.json"_s);
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"version\": 1, \"load\": {\"clients\": -1}}");
        f.close();
        QVERIFY(!w.openScenario(bad));
        QCOMPARE(w.scenarioEditor()->scenario(*w.policyEditor()->policy())->clients, 33);
    }
};

QTEST_MAIN(TestWorkspace)
#include "tst_workspace.moc"
