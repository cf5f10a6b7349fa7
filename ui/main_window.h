// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QAction;
class QComboBox;
class QMenu;
class QLabel;
class QTabWidget;
class QTimer;

namespace retrylab {

class AttemptLogView;
class ChartsView;
class DemoRunner;
class ComparisonView;
class LogExports;
class MockServerHost;
class PolicyEditor;
class ScenarioEditor;
class ServerPanel;
class RunController;
struct RunSummary;

// The top-level window. It only creates the pages and wires them together: the policy editor,
// the attempt log, the run controls, and the built-in server that starts with the window.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    PolicyEditor *policyEditor() const { return m_policyEditor; }
    ScenarioEditor *scenarioEditor() const { return m_scenarioEditor; }
    ServerPanel *serverPanel() const { return m_serverPanel; }
    // Load a scenario into the editors (false, with the reason shown, when it is bad), or
    // save what the editors hold.
    bool openScenario(const QString &fileName);
    bool saveScenario(const QString &fileName);
    // Shows `scenario` in the editors and clears every result of the one before.
    void showScenario(const Scenario &scenario);
    // True when the editors hold something that was not saved or loaded (the title's "*").
    bool isEdited() const { return isWindowModified(); }
    DemoRunner *demos() const { return m_demos; }
    AttemptLogView *attemptLog() const { return m_attemptLog; }
    ChartsView *charts() const { return m_charts; }
    ComparisonView *comparison() const { return m_comparison; }
    LogExports *exports() const { return m_exports; }
    // Shows a recorded run (from a JSON Lines log) in the table and the charts.
    void showRecordedRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario,
                         const RunSummary &summary);
    QTabWidget *pages() const { return m_pages; }
    QAction *runAction() const { return m_run; }
    QAction *stopAction() const { return m_stop; }
    // One request with the editors' method, URL, headers and body: no retries, no breaker;
    // the exchange shows at once in the attempt detail.
    QAction *sendOnceAction() const { return m_sendOnce; }
    RunController *runController() const { return m_controller; }
    MockServerHost *server() const { return m_server.get(); }

Q_SIGNALS:
    // A run finished and every page now shows its end: the table, the charts, the counters.
    // Whatever reads the pages' results at the end of a run (the demos' headlines) waits for
    // this rather than for RunController::runFinished, which the pages may not have seen yet.
    void runShown(const retrylab::RunSummary &summary);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // The constructor's parts.
    void createPages();
    QWidget *createCentralWidget(); // the demo banner above the pages
    void createServerDock();
    void connectPages();
    void createMenusAndToolBar();
    // createMenusAndToolBar's parts, in the order it calls them.
    void createRunActions();
    void addReadyScenarios(QMenu *file);
    void createRunToolBar(QAction *open, QAction *save);
    void createHelpMenu();
    void createDemoBar();
    void createViewMenu();
    void clearResults();
    void markClean();
    void updateModified();
    bool maySaveBeforeClosing();
    void updateServerLabel();
    std::optional<Scenario> currentScenario();
    void rememberRecent(const QString &fileName);
    void fillRecentMenu();
    void startBuiltinServer();
    void startRun();
    void sendOnce();
    void beginRun(const Scenario &scenario); // what every run does to the pages
    void showCounters(const RunSummary &summary);
    void resetResults();
    void runEnded(const RunSummary &summary);
    void showAbout();

    Scenario m_scenario;
    std::unique_ptr<MockServerHost> m_server;
    RunController *m_controller = nullptr;
    QTabWidget *m_pages = nullptr;
    PolicyEditor *m_policyEditor = nullptr;
    ScenarioEditor *m_scenarioEditor = nullptr;
    ServerPanel *m_serverPanel = nullptr;
    QMenu *m_recent = nullptr;
    AttemptLogView *m_attemptLog = nullptr;
    ChartsView *m_charts = nullptr;
    ComparisonView *m_comparison = nullptr;
    LogExports *m_exports = nullptr;
    DemoRunner *m_demos = nullptr;
    QLabel *m_banner = nullptr;
    Scenario m_clean; // what the editors held when last loaded or saved
    bool m_lastRunSimulated = false;
    QAction *m_run = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_reset = nullptr;
    QAction *m_sendOnce = nullptr;
    bool m_sendingOnce = false; // the run going on is a Send once
    QComboBox *m_clock = nullptr;
    QLabel *m_scenarioLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_counters = nullptr;
    QTimer *m_refresh = nullptr;
    QElapsedTimer m_elapsed;
};

} // namespace retrylab
