// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's runs: starting one, showing its counters and its end, showing a recorded
// one, and clearing what the last run left on the pages.
#include "charts/charts_view.h"
#include "charts/comparison_view.h"
#include "log/attempt_log_view.h"
#include "log/attempt_table_model.h"
#include "log/log_exports.h"
#include "log/run_summary.h"
#include "main_window.h"
#include "mock/mock_server_host.h"
#include "policy/policy_editor.h"
#include "run/run_controller.h"
#include "scenario/scenario_editor.h"
#include "server/server_panel.h"

#include <QAction>
#include <QLabel>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <utility>

using namespace Qt::StringLiterals;

namespace retrylab {

void MainWindow::startRun()
{
    if (m_controller->isRunning())
        return;
    auto s = currentScenario();
    if (!s)
        return;
    if (s->builtinServer != m_clean.builtinServer || s->url != m_clean.url) {
        // Another target is another run: the loaded scenario's name and expectations do not
        // describe it (a report of a GET probe must not carry a payments scenario's verdicts).
        s->name = u"%1 %2"_s.arg(QString::fromLatin1(s->method),
                                 s->builtinServer ? tr("built-in server") : s->url.toString());
        s->description.clear();
        s->expectations = {};
    } else if (isWindowModified()) {
        s->name = tr("%1 (edited)").arg(s->name);
    }
    beginRun(*s);
}

void MainWindow::sendOnce()
{
    if (m_controller->isRunning() || m_comparison->isRunning())
        return;
    // One request needs no valid retry policy, only its timeout; the editors keep theirs.
    ClientPolicy policy = m_policyEditor->policy().value_or(ClientPolicy{});
    auto s = m_scenarioEditor->scenario(policy);
    if (!s) {
        m_pages->setCurrentWidget(findChild<QScrollArea *>(u"scenarioPage"_s));
        statusBar()->showMessage(tr("The target or request has invalid fields (marked in red)."));
        return;
    }
    // A run of one client, one operation, one attempt: the same engine and stack as any run,
    // so the request, the answer and the phases are what a run would have had.
    s->policy.retry.maxAttempts = 1;
    s->policy.breaker.enabled = false;
    s->policy.budget = BudgetConfig{};
    s->clients = 1;
    s->operationsPerClient = 1;
    s->arrivalRatePerSecond = 0;
    s->stagger = Duration(0);
    s->simulated = false; // phases and the bytes as sent exist on the wire only
    s->compare.clear();
    s->expectations = {};
    s->description.clear();
    s->name = tr("Send once: %1 %2")
                  .arg(QString::fromLatin1(s->method),
                       s->builtinServer ? tr("built-in server") + s->path : s->url.toString());
    m_sendingOnce = true;
    beginRun(*s);
}

void MainWindow::beginRun(const Scenario &scenario)
{
    const bool shared = scenario.builtinServer && !scenario.simulated && m_server->isRunning();
    m_controller->start(scenario, {}, shared ? m_server.get() : nullptr);
    m_lastRunSimulated = scenario.simulated;
    m_serverPanel->showLastRun(std::nullopt);
    if (!scenario.builtinServer)
        m_scenarioEditor->rememberEndpoint(scenario.url);
    m_attemptLog->setLog(m_controller->log());
    m_charts->setRun(m_controller->log(), scenario);
    m_exports->setRun(m_controller->log(), scenario);
    m_charts->setLive(true);
    if (m_pages->currentWidget() != m_charts)
        m_pages->setCurrentWidget(m_attemptLog);
    m_run->setEnabled(false);
    m_reset->setEnabled(false);
    m_pause->setEnabled(true);
    m_stop->setEnabled(true);
    m_sendOnce->setEnabled(false);
    m_refresh->start();
    m_elapsed.start();
    statusBar()->showMessage(tr("Running '%1'…").arg(scenario.name));
}

void MainWindow::resetResults()
{
    if (m_controller->isRunning())
        return;
    clearResults();
    statusBar()->showMessage(tr("Results cleared; the built-in server starts afresh."));
}

void MainWindow::clearResults()
{
    if (m_controller->isRunning() || m_comparison->isRunning())
        return;
    auto empty = std::make_shared<AttemptLog>();
    m_attemptLog->setLog(empty);
    m_attemptLog->showOnly({});
    m_charts->setRun(empty, m_scenario);
    m_exports->setRun(nullptr, m_scenario);
    m_comparison->clear();
    m_serverPanel->showLastRun(std::nullopt);
    if (m_server->isRunning())
        m_server->reset();
    m_counters->clear();
    statusBar()->clearMessage();
}

void MainWindow::showCounters(const RunSummary &s)
{
    const QString breakers = s.breakersNotClosed > 0
                                 ? tr("%n breaker(s) open", nullptr, int(s.breakersNotClosed))
                                 : tr("breakers closed");
    const QString elapsed = m_controller->isRunning()
                                ? tr(" · %1 s").arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1)
                                : QString();
    m_counters->setText(tr("operations %1 done (%2 failed) · attempts %3 · retries %4 · "
                           "amplification %5 · duplicates %6 · Retry-After early %7 · %8%9")
                            .arg(s.operations)
                            .arg(s.operations - s.succeeded)
                            .arg(s.attemptsSent)
                            .arg(s.retries)
                            .arg(QString::number(s.amplification, 'f', 2))
                            .arg(s.duplicates >= 0 ? QString::number(s.duplicates) : u"–"_s)
                            .arg(s.retryAfterViolations)
                            .arg(breakers, elapsed));
}

void MainWindow::runEnded(const RunSummary &summary)
{
    m_refresh->stop();
    m_attemptLog->refresh();
    m_charts->setLive(false);
    m_charts->setSummary(summary);
    m_exports->setSummary(summary);
    showCounters(summary);
    // A simulated run had a server of its own; the dock says what that one counted.
    if (m_lastRunSimulated)
        m_serverPanel->showLastRun(summary);
    m_run->setEnabled(m_policyEditor->policy().has_value());
    m_pause->setChecked(false);
    m_pause->setEnabled(false);
    m_reset->setEnabled(true);
    m_stop->setEnabled(false);
    m_sendOnce->setEnabled(true);
    statusBar()->showMessage(
        tr("Run finished: %1 of %2 operations succeeded, p99 %3 ms, %4 duplicate charges")
            .arg(summary.succeeded)
            .arg(summary.operations)
            .arg(QString::number(summary.p99Ms, 'f', 0))
            .arg(summary.duplicates < 0 ? 0 : summary.duplicates));
    if (std::exchange(m_sendingOnce, false) && m_attemptLog->model()->rowCount() > 0) {
        // The exchange at once: the one attempt selected, its detail below the table.
        m_pages->setCurrentWidget(m_attemptLog);
        m_attemptLog->table()->setCurrentIndex(m_attemptLog->table()->model()->index(0, 0));
    }
}

void MainWindow::showRecordedRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario,
                                 const RunSummary &summary)
{
    if (m_controller->isRunning())
        return; // the live run keeps the table and the charts
    m_attemptLog->setLog(log);
    m_attemptLog->refresh();
    m_charts->setRun(log, scenario);
    m_charts->setSummary(summary);
    m_exports->setRun(log, scenario);
    m_exports->setSummary(summary);
    showCounters(summary);
    m_pages->setCurrentWidget(m_charts);
    setWindowTitle(tr("%1 (recorded) — Retry Lab").arg(scenario.name));
}

} // namespace retrylab
