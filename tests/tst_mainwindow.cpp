// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui_test_utils.h"
#include "main_window.h"
#include "policy/policy_editor.h"

#include <QApplication>
#include <QMenuBar>
#include <QTabWidget>
#include <QTest>

using namespace retrylab;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Keep the developer's real settings out of the test.
        QApplication::setOrganizationName(u"RetryLabTests"_s);
        QApplication::setApplicationName(u"tst_mainwindow"_s);
    }

    void opensWithThePolicyEditorFirst()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QCOMPARE(w.windowTitle(), u"Retry Lab"_s);
        auto *pages = w.findChild<QTabWidget *>(u"pages"_s);
        QVERIFY(pages);
        QCOMPARE(pages->widget(0), w.policyEditor());
        QVERIFY(w.policyEditor()->isVisible());
        QVERIFY(w.policyEditor()->policy());
        QStringList menus;
        for (QAction *a : w.menuBar()->actions())
            menus << a->text();
        QCOMPARE(menus, (QStringList{u"&File"_s, u"&Help"_s}));
        const QString shot = saveScreenshot(&w, u"mainwindow-default"_s);
        QVERIFY(QFile::exists(shot));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
