// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/redactor.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <QObject>

#include <memory>

class QMenu;
class QWidget;

namespace retrylab {

// The File menu's log commands: export the current run as CSV, JSON Lines, HAR or an HTML
// report (secret headers redacted, with a list the person can extend), and open a JSON Lines
// log of an earlier run to look at it again.
class LogExports : public QObject
{
    Q_OBJECT
public:
    explicit LogExports(QWidget *window);

    void addTo(QMenu *menu);
    void setRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario);
    void setSummary(const RunSummary &summary) { m_summary = summary; }

    // The same without dialogs (the menu's commands and the tests use these).
    bool exportTo(const QString &fileName, QString *error); // by suffix: csv, jsonl, har, html
    bool exportCharts(const QString &dir, QString *error);  // every chart, PNG and SVG
    std::shared_ptr<AttemptLog> open(const QString &fileName, Scenario *scenario, QString *error);
    // Several logs of one run (Locust's workers) merged on one time line (log/log_merge.h).
    std::shared_ptr<AttemptLog> openMerged(const QStringList &fileNames, Scenario *scenario,
                                           QString *error);
    Redactor redactor() const;
    static QStringList extraRedactedHeaders(); // from QSettings
    static void setExtraRedactedHeaders(const QStringList &names);

Q_SIGNALS:
    // A log read from a file, with the scenario it was recorded with.
    void logOpened(std::shared_ptr<const retrylab::AttemptLog> log,
                   const retrylab::Scenario &scenario, const retrylab::RunSummary &summary);
    void message(const QString &text);

private:
    void exportWithDialog(const QString &filter, const QString &suffix);

    QWidget *m_window;
    std::shared_ptr<const AttemptLog> m_log;
    Scenario m_scenario;
    RunSummary m_summary;
};

} // namespace retrylab
