// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "charts/charts_view.h"
#include "charts/comparison_view.h"
#include "demos/demo_runner.h"
#include "log/attempt_log_view.h"
#include "log/log_exports.h"
#include "log/run_summary.h"
#include "mock/mock_server_host.h"
#include "policy/policy_editor.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"
#include "server/server_panel.h"
#include "study/study_page.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFontMetrics>
#include <QLabel>
#include <QMessageBox>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
const QString kDemoScenario = u":/scenarios/flaky-demo.json"_s;
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_server(std::make_unique<MockServerHost>())
{
    setWindowTitle(tr("Retry Lab"));
    QString error;
    if (auto demo = Scenario::load(kDemoScenario, &error))
        m_scenario = *demo;

    m_controller = new RunController(this);
    createPages();
    setCentralWidget(createCentralWidget());
    createServerDock();
    m_counters = new QLabel;
    m_counters->setObjectName(u"counters"_s);
    statusBar()->addPermanentWidget(m_counters, 1);
    m_refresh = new QTimer(this);
    m_refresh->setInterval(250); // a steady redraw rate, whatever the attempt rate
    connect(m_refresh, &QTimer::timeout, m_attemptLog, &AttemptLogView::refresh);

    m_exports = new LogExports(this);
    connect(m_exports, &LogExports::message, this,
            [this](const QString &text) { statusBar()->showMessage(text); });
    connect(m_exports, &LogExports::logOpened, this, &MainWindow::showRecordedRun);
    createMenusAndToolBar();
    showScenario(m_scenario);
    startBuiltinServer();
    connectPages();

    QSettings settings;
    if (!restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray()))
        resize(1280, 860);
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
}

void MainWindow::createPages()
{
    m_pages = new QTabWidget;
    m_pages->setObjectName(u"pages"_s);
    m_policyEditor = new PolicyEditor;
    m_pages->addTab(m_policyEditor, tr("&Policy"));
    m_scenarioEditor = new ScenarioEditor;
    // The longest form scrolls on a 720-pixel screen rather than making the window taller.
    auto *scenarioPage = new QScrollArea;
    scenarioPage->setObjectName(u"scenarioPage"_s);
    scenarioPage->setWidgetResizable(true);
    scenarioPage->setFrameShape(QFrame::NoFrame);
    scenarioPage->setWidget(m_scenarioEditor);
    m_pages->addTab(scenarioPage, tr("&Target && load"));
    m_attemptLog = new AttemptLogView;
    m_pages->addTab(m_attemptLog, tr("&Attempts"));
    m_charts = new ChartsView;
    m_pages->addTab(m_charts, tr("&Charts"));
    m_comparison = new ComparisonView;
    // A comparison runs what the editors hold now (target, load, clock), with its own policies.
    m_comparison->setScenarioSource([this] { return currentScenario(); });
    m_pages->addTab(m_comparison, tr("Co&mpare"));
    m_pages->addTab(new StudyPage, tr("&Study"));
}

QWidget *MainWindow::createCentralWidget()
{
    // A demo's point, in one line above the pages; palette roles keep it readable in dark mode.
    m_banner = new QLabel;
    m_banner->setObjectName(u"demoBanner"_s);
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setStyleSheet(u"QLabel#demoBanner { background: palette(alternate-base); "
                            "border-left: 6px solid palette(highlight); padding: 8px 12px; }"_s);
    m_banner->hide();
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(4);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_pages, 1);
    return central;
}

void MainWindow::createServerDock()
{
    m_serverPanel = new ServerPanel(m_server.get());
    auto *dock = new QDockWidget(tr("Built-in server"), this);
    dock->setObjectName(u"serverDock"_s);
    // Scrolls on a short screen instead of making the window taller than the screen.
    auto *serverScroll = new QScrollArea;
    serverScroll->setWidgetResizable(true);
    serverScroll->setFrameShape(QFrame::NoFrame);
    serverScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    serverScroll->setWidget(m_serverPanel);
    // Without a horizontal scroll bar the dock must be as wide as the panel's widest row, or
    // the right column (the values) is cut on a 1280-pixel screen.
    serverScroll->setMinimumWidth(m_serverPanel->minimumSizeHint().width() +
                                  serverScroll->verticalScrollBar()->sizeHint().width());
    dock->setWidget(serverScroll);
    addDockWidget(Qt::RightDockWidgetArea, dock);
}

void MainWindow::connectPages()
{
    connect(m_policyEditor, &PolicyEditor::validityChanged, this, [this](bool valid) {
        m_run->setEnabled(valid && !m_controller->isRunning());
        if (!valid)
            statusBar()->showMessage(tr("The policy has invalid fields (marked in red)."));
        else
            statusBar()->clearMessage();
    });
    connect(m_policyEditor, &PolicyEditor::policyChanged, this, [this](const ClientPolicy &p) {
        m_charts->setPreviewPolicy(p.retry);
        m_comparison->setEditedPolicy(p);
        m_policyEditor->setScenarioAdvice(m_scenarioEditor->draft(p).advise());
        updateModified();
    });
    connect(m_scenarioEditor, &ScenarioEditor::curlPolicyImported, m_policyEditor,
            &PolicyEditor::setPolicy);
    connect(m_scenarioEditor, &ScenarioEditor::edited, this, [this] {
        m_clock->setCurrentIndex(m_scenarioEditor->draft({}).simulated ? 1 : 0);
        if (const auto p = m_policyEditor->policy()) {
            m_policyEditor->setScenarioAdvice(m_scenarioEditor->draft(*p).advise());
            m_scenarioEditor->scenario(*p); // each problem shows under its field as it is typed
        }
        updateModified();
    });
    connect(m_controller, &RunController::runFinished, this, [this](const RunSummary &summary) {
        runEnded(summary);
        Q_EMIT runShown(summary);
    });
    connect(m_serverPanel, &ServerPanel::profileApplied, this, &MainWindow::updateServerLabel);
    connect(m_controller, &RunController::summaryUpdated, this, &MainWindow::showCounters);
    connect(m_controller, &RunController::runFailed, this, [this](const QString &reason) {
        RunSummary none;
        runEnded(none);
        statusBar()->showMessage(tr("The run failed: %1").arg(reason));
    });
}

MainWindow::~MainWindow()
{
    delete m_controller; // the run stops before the server it uses
    m_controller = nullptr;
}

void MainWindow::startBuiltinServer()
{
    QString error;
    if (m_server->start(m_scenario.profile, m_scenario.seed, QHostAddress::LocalHost, 0, &error))
        updateServerLabel();
    else
        m_serverLabel->setText(tr("Built-in server did not start: %1").arg(error));
}

void MainWindow::updateServerLabel()
{
    if (!m_server->isRunning())
        return; // keeps the reason it did not start
    // Short, so that it stays on the toolbar of a 1280-pixel window beside the server dock.
    m_serverLabel->setText(
        tr("Server %1 · %2").arg(m_server->url().toString(), m_server->profile().name));
    m_serverLabel->setToolTip(tr("The built-in server, on loopback, with the profile %1; select "
                                 "the address to copy it")
                                  .arg(m_server->profile().name));
}

void MainWindow::showScenario(const Scenario &scenario)
{
    m_scenario = scenario;
    m_banner->hide();
    clearResults();
    m_policyEditor->setPolicy(scenario.policy);
    m_scenarioEditor->setScenario(scenario);
    setWindowTitle(tr("%1[*] — Retry Lab").arg(scenario.name));
    // A long name is cut, so that the server's address beside it stays on the toolbar.
    QFont bold = m_scenarioLabel->font();
    bold.setBold(true);
    const QString shown = QFontMetrics(bold).elidedText(scenario.name, Qt::ElideRight, 240);
    m_scenarioLabel->setText(u"<b>%1</b>"_s.arg(shown.toHtmlEscaped()));
    m_scenarioLabel->setToolTip(shown == scenario.name
                                    ? scenario.description
                                    : scenario.name + u"\n\n"_s + scenario.description);
    m_clock->setCurrentIndex(scenario.simulated ? 1 : 0);
    m_comparison->setScenario(scenario);
    m_comparison->setEditedPolicy(scenario.policy);
    m_charts->setPreviewPolicy(scenario.policy.retry);
    m_policyEditor->setScenarioAdvice(scenario.advise());
    if (!scenario.compare.isEmpty())
        m_pages->setCurrentWidget(m_comparison);
    if (m_server->isRunning() && scenario.builtinServer)
        m_server->setProfile(scenario.profile);
    // The dock and the toolbar show what the server runs now, which a URL target leaves alone.
    m_serverPanel->showProfile(
        scenario.builtinServer || !m_server->isRunning() ? scenario.profile : m_server->profile());
    updateServerLabel();
    markClean();
}

void MainWindow::markClean()
{
    if (const auto p = m_policyEditor->policy())
        m_clean = m_scenarioEditor->draft(*p);
    setWindowModified(false);
}

void MainWindow::updateModified()
{
    const auto p = m_policyEditor->policy();
    // An invalid field is an edit too: what was loaded had none.
    setWindowModified(!p || !(m_scenarioEditor->draft(*p) == m_clean));
}

std::optional<Scenario> MainWindow::currentScenario()
{
    const auto policy = m_policyEditor->policy();
    if (!policy) {
        m_pages->setCurrentWidget(m_policyEditor);
        statusBar()->showMessage(tr("The policy has invalid fields (marked in red)."));
        return std::nullopt;
    }
    auto s = m_scenarioEditor->scenario(*policy);
    if (!s) {
        m_pages->setCurrentWidget(findChild<QScrollArea *>(u"scenarioPage"_s));
        statusBar()->showMessage(tr("The target or load has invalid fields (marked in red)."));
    }
    return s;
}

bool MainWindow::openScenario(const QString &fileName)
{
    QString error;
    const auto s = Scenario::load(fileName, &error);
    if (!s) {
        statusBar()->showMessage(tr("Not opened: %1").arg(error.section(u'\n', 0, 0)));
        if (isVisible())
            QMessageBox::warning(this, tr("Cannot open the scenario"), error);
        return false;
    }
    showScenario(*s);
    rememberRecent(fileName);
    statusBar()->showMessage(s->description.isEmpty() ? tr("Opened %1").arg(s->name)
                                                      : s->description);
    return true;
}

bool MainWindow::saveScenario(const QString &fileName)
{
    auto s = currentScenario();
    if (!s)
        return false;
    if (s->builtinServer && m_server->isRunning())
        s->profile = m_server->profile(); // what the server does now is what gets saved
    QString error;
    if (!s->save(fileName, &error)) {
        statusBar()->showMessage(tr("Not saved: %1").arg(error));
        return false;
    }
    m_scenario = *s;
    markClean();
    rememberRecent(fileName);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(fileName)));
    return true;
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
    if (!maySaveBeforeClosing()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    event->accept();
}

} // namespace retrylab
