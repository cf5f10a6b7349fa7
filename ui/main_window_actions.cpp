// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's menus, toolbar and recent-scenario list: actions wired to the pages.
#include "base/atomic_file.h"
#include "demos/demo_runner.h"
#include "help/help_page.h"
#include "log/locust_export_action.h"
#include "log/log_exports.h"
#include "main_window.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace retrylab {

void MainWindow::createMenusAndToolBar()
{
    createRunActions();
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open scenario…"), this, [this] {
        const QString name =
            QFileDialog::getOpenFileName(this, tr("Open a scenario"), {}, tr("Scenarios (*.json)"));
        if (!name.isEmpty())
            openScenario(name);
    });
    open->setShortcut(QKeySequence::Open);
    QAction *save = file->addAction(tr("&Save scenario…"), this, [this] {
        const QString name = QFileDialog::getSaveFileName(
            this, tr("Save the scenario"), fileNameFromTitle(m_scenario.name) + u".json"_s,
            tr("Scenarios (*.json)"));
        if (!name.isEmpty())
            saveScenario(name);
    });
    save->setShortcut(QKeySequence::Save);
    addReadyScenarios(file);
    m_recent = file->addMenu(tr("Recent scenarios"));
    fillRecentMenu();
    createRunToolBar(open, save);
    file->addSeparator();
    m_exports->addTo(file);
    addLocustExport(file, this, [this] { return currentScenario(); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    createDemoBar();
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions({m_run, m_pause, m_stop, m_reset});
    run->addSeparator();
    run->addAction(m_sendOnce);
    createViewMenu();
    createHelpMenu();
}

void MainWindow::createRunActions()
{
    m_run = new QAction(tr("&Run"), this);
    m_run->setObjectName(u"run"_s);
    m_run->setShortcut(Qt::Key_F5);
    m_run->setToolTip(tr("Run the scenario with this policy (F5)"));
    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setEnabled(false);
    m_pause->setToolTip(tr("Hold new attempts; those in flight still land"));
    m_stop = new QAction(tr("&Stop"), this);
    m_stop->setObjectName(u"stop"_s);
    m_stop->setShortcut(Qt::SHIFT | Qt::Key_F5);
    m_stop->setEnabled(false);
    m_stop->setToolTip(tr("End the run: no new operations or retries (Shift+F5)"));
    connect(m_run, &QAction::triggered, this, &MainWindow::startRun);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        paused ? m_controller->pause() : m_controller->resume();
        m_pause->setText(paused ? tr("Resume") : tr("&Pause"));
    });
    connect(m_stop, &QAction::triggered, m_controller, &RunController::stop);

    m_reset = new QAction(tr("Rese&t"), this);
    m_reset->setObjectName(u"reset"_s);
    m_reset->setToolTip(tr("Clear the results and reset the built-in server's journal, ledger "
                           "and outages"));
    connect(m_reset, &QAction::triggered, this, &MainWindow::resetResults);

    m_sendOnce = new QAction(tr("Send &once"), this);
    m_sendOnce->setObjectName(u"sendOnce"_s);
    m_sendOnce->setShortcut(Qt::CTRL | Qt::Key_Return);
    m_sendOnce->setToolTip(tr("Send one request with this method, URL, headers and body: no "
                              "retries, no breaker. The exchange and its timings show at once "
                              "(Ctrl+Return)"));
    connect(m_sendOnce, &QAction::triggered, this, &MainWindow::sendOnce);
    m_scenarioEditor->setSendOnceAction(m_sendOnce);
}

void MainWindow::addReadyScenarios(QMenu *file)
{
    QMenu *ready = file->addMenu(tr("&Ready scenarios"));
    ready->setObjectName(u"readyScenarios"_s);
    for (const QString &f : QDir(u":/scenarios"_s).entryList({u"*.json"_s})) {
        const QString path = u":/scenarios/"_s + f;
        const auto s = Scenario::load(path, nullptr);
        QAction *a = ready->addAction(s ? s->name : f.chopped(5), this,
                                      [this, path] { openScenario(path); });
        if (s)
            a->setToolTip(s->description);
    }
    ready->setToolTipsVisible(true);
}

void MainWindow::createRunToolBar(QAction *open, QAction *save)
{
    // The toolbar: the run, the clock, the scenario files, then the server and the scenario's
    // name. The run controls come first so that a long scenario title never moves them.
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(u"runToolBar"_s);
    bar->addAction(m_run);
    bar->addAction(m_pause);
    bar->addAction(m_stop);
    bar->addAction(m_reset);
    bar->addSeparator();
    m_clock = new QComboBox;
    m_clock->setObjectName(u"toolbarClock"_s);
    m_clock->addItem(tr("Real time"));
    m_clock->addItem(tr("Simulated time"));
    m_clock->setToolTip(tr("Real time over HTTP, or simulated time as fast as the CPU allows "
                           "(built-in server only)"));
    connect(m_clock, &QComboBox::activated, this,
            [this](int i) { m_scenarioEditor->setSimulated(i == 1); });
    bar->addWidget(m_clock);
    bar->addSeparator();
    bar->addAction(open);
    bar->addAction(save);
    auto *recent = new QToolButton;
    recent->setText(tr("Recent"));
    recent->setMenu(m_recent);
    recent->setPopupMode(QToolButton::InstantPopup);
    recent->setToolTip(tr("Scenarios opened or saved lately"));
    bar->addWidget(recent);
    // The server's address before the scenario's name, which is cut to at most 240 pixels: on a
    // narrow screen the toolbar's overflow takes the name, never the address.
    m_serverLabel = new QLabel;
    m_serverLabel->setObjectName(u"serverLabel"_s);
    m_serverLabel->setContentsMargins(8, 0, 8, 0);
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_serverLabel);
    bar->addSeparator();
    m_scenarioLabel = new QLabel;
    m_scenarioLabel->setObjectName(u"scenarioName"_s);
    m_scenarioLabel->setContentsMargins(8, 0, 8, 0);
    m_scenarioLabel->setMaximumWidth(256);
    bar->addWidget(m_scenarioLabel);
}

void MainWindow::createHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *guide = help->addAction(tr("&What am I looking at?"), this, [this] {
        auto *page = new HelpPage(this);
        page->setAttribute(Qt::WA_DeleteOnClose);
        page->show();
    });
    guide->setObjectName(u"helpGuide"_s);
    guide->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Retry Lab"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createDemoBar()
{
    m_demos = new DemoRunner(this);
    QMenu *menu = menuBar()->addMenu(tr("&Demos"));
    menu->setObjectName(u"demosMenu"_s);
    QToolBar *bar = new QToolBar(tr("Demos"));
    bar->setObjectName(u"demoToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *label = new QLabel(tr("Demos:"));
    label->setContentsMargins(6, 0, 6, 0);
    label->setToolTip(tr("Each demo runs a ready scenario in simulated time and says what it "
                         "shows; the same numbers on every run"));
    bar->addWidget(label);
    addToolBarBreak();
    addToolBar(bar);
    m_demos->addTo(menu, bar);
    const auto seedNote = [this] {
        return tr("simulated time, seed %1: the same numbers on every run").arg(m_scenario.seed);
    };
    connect(m_demos, &DemoRunner::started, this,
            [this, seedNote](const QString &title, const QString &tip) {
                m_banner->setText(u"<b>%1</b> · %2 · running…<br>%3"_s.arg(
                    QString(title).replace(u"&&"_s, u"&"_s).toHtmlEscaped(),
                    seedNote().toHtmlEscaped(), tip.toHtmlEscaped()));
                m_banner->show();
            });
    connect(m_demos, &DemoRunner::finished, this, [this, seedNote](const QString &headline) {
        m_banner->setText(u"<b>%1</b> · %2<br><span style=\"font-size:large\">%3</span>"_s.arg(
            m_scenario.name.toHtmlEscaped(), seedNote().toHtmlEscaped(), headline.toHtmlEscaped()));
        m_banner->show();
    });
}

void MainWindow::createViewMenu()
{
    // Docks and toolbars closed by accident come back from here.
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(u"viewMenu"_s);
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    for (QToolBar *bar : findChildren<QToolBar *>())
        view->addAction(bar->toggleViewAction());
}

bool MainWindow::maySaveBeforeClosing()
{
    if (!isWindowModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Save the scenario?"),
        tr("The policy or the scenario has changes that are not saved."),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    const QString name = QFileDialog::getSaveFileName(
        this, tr("Save the scenario"), fileNameFromTitle(m_scenario.name) + u".json"_s,
        tr("Scenarios (*.json)"));
    return !name.isEmpty() && saveScenario(name);
}

void MainWindow::rememberRecent(const QString &fileName)
{
    QSettings settings;
    QStringList recent = settings.value(u"recentScenarios"_s).toStringList();
    // Ready scenarios (":/...") are remembered too: they are what a newcomer opens first.
    const QString path =
        fileName.startsWith(u':') ? fileName : QFileInfo(fileName).absoluteFilePath();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue(u"recentScenarios"_s, QStringList(recent.mid(0, 8)));
    fillRecentMenu();
}

void MainWindow::fillRecentMenu()
{
    m_recent->clear();
    const QStringList recent = QSettings().value(u"recentScenarios"_s).toStringList();
    for (const QString &f : recent) {
        const auto s = Scenario::load(f, nullptr);
        QAction *a = m_recent->addAction(s ? s->name : QFileInfo(f).fileName(), this,
                                         [this, f] { openScenario(f); });
        a->setToolTip(QDir::toNativeSeparators(f));
    }
    m_recent->setToolTipsVisible(true);
    m_recent->setEnabled(!recent.isEmpty());
}

} // namespace retrylab
