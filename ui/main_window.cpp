// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "policy/policy_editor.h"

#include <QApplication>
#include <QCloseEvent>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

using namespace Qt::StringLiterals;

namespace retrylab {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Retry Lab"));
    m_pages = new QTabWidget;
    m_pages->setObjectName(u"pages"_s);
    m_policyEditor = new PolicyEditor;
    m_pages->addTab(m_policyEditor, tr("&Policy"));
    setCentralWidget(m_pages);
    createMenus();

    connect(m_policyEditor, &PolicyEditor::validityChanged, this, [this](bool valid) {
        if (valid)
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(tr("The policy has invalid fields (marked in red)."));
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray()))
        resize(1280, 860);
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Retry Lab"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Retry Lab"),
        tr("<h3>Retry Lab %1</h3><p>Drive retry policies against real endpoints or a built-in "
           "flaky server, and see every attempt, wait and breaker change.</p>"
           "<p>Licensed under the GNU General Public License, version 3 or later.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    event->accept();
}

} // namespace retrylab
