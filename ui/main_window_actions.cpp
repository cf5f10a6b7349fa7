// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's menus, toolbar and recent-scenario list: actions wired to the pages.
#include "help/help_page.h"
#include "log/log_exports.h"
#include "main_window.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace retrylab {

void MainWindow::createMenusAndToolBar()
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
            this, tr("Save the scenario"), m_scenario.name + u".json"_s, tr("Scenarios (*.json)"));
        if (!name.isEmpty())
            saveScenario(name);
    });
    save->setShortcut(QKeySequence::Save);
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
    m_recent = file->addMenu(tr("Recent scenarios"));
    fillRecentMenu();

    // The toolbar: the scenario, the run, the clock, the server.
    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(u"runToolBar"_s);
    bar->addAction(open);
    bar->addAction(save);
    auto *recent = new QToolButton;
    recent->setText(tr("Recent"));
    recent->setMenu(m_recent);
    recent->setPopupMode(QToolButton::InstantPopup);
    recent->setToolTip(tr("Scenarios opened or saved lately"));
    bar->addWidget(recent);
    m_scenarioLabel = new QLabel;
    m_scenarioLabel->setObjectName(u"scenarioName"_s);
    m_scenarioLabel->setContentsMargins(8, 0, 8, 0);
    bar->addWidget(m_scenarioLabel);
    bar->addSeparator();
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
    m_serverLabel = new QLabel;
    m_serverLabel->setObjectName(u"serverLabel"_s);
    m_serverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(m_serverLabel);
    file->addSeparator();
    m_exports->addTo(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addActions({m_run, m_pause, m_stop, m_reset});
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

void MainWindow::rememberRecent(const QString &fileName)
{
    QSettings settings;
    QStringList recent = settings.value(u"recentScenarios"_s).toStringList();
    recent.removeAll(fileName);
    recent.prepend(QFileInfo(fileName).absoluteFilePath());
    settings.setValue(u"recentScenarios"_s, QStringList(recent.mid(0, 8)));
    fillRecentMenu();
}

void MainWindow::fillRecentMenu()
{
    m_recent->clear();
    const QStringList recent = QSettings().value(u"recentScenarios"_s).toStringList();
    for (const QString &f : recent)
        m_recent->addAction(QFileInfo(f).fileName(), this, [this, f] { openScenario(f); });
    m_recent->setEnabled(!recent.isEmpty());
}

} // namespace retrylab
