// SPDX-License-Identifier: GPL-3.0-or-later
#include "log_exports.h"

#include "analysis/summary_tally.h"
#include "base/atomic_file.h"
#include "log/csv_export.h"
#include "log/har_export.h"
#include "log/jsonl_log.h"
#include "log/log_merge.h"
#include "report/chart_pictures.h"
#include "report/html_report.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace retrylab {

LogExports::LogExports(QWidget *window)
    : QObject(window)
    , m_window(window)
{}

void LogExports::addTo(QMenu *menu)
{
    QAction *openLog = menu->addAction(tr("Open attempt &log…"), this, [this] {
        // Several files are one run's worker logs (Locust's workers write one each): merged.
        const QStringList names =
            QFileDialog::getOpenFileNames(m_window, tr("Open an attempt log (or several)"), {},
                                          tr("JSON Lines logs (*.jsonl);;All files (*)"));
        if (names.isEmpty())
            return;
        Scenario scenario;
        QString error;
        const auto log = names.size() == 1 ? this->open(names.front(), &scenario, &error)
                                           : this->openMerged(names, &scenario, &error);
        if (!log) {
            QMessageBox::warning(m_window, tr("Cannot open the log"), error);
            return;
        }
        Q_EMIT logOpened(log, scenario, SummaryTally::of(*log));
    });
    openLog->setObjectName(u"openLog"_s);
    QMenu *exports = menu->addMenu(tr("&Export the run"));
    exports->addAction(tr("Attempts as &CSV…"), this,
                       [this] { exportWithDialog(tr("CSV (*.csv)"), u"csv"_s); });
    exports->addAction(tr("Attempts as &JSON Lines…"), this,
                       [this] { exportWithDialog(tr("JSON Lines (*.jsonl)"), u"jsonl"_s); });
    exports->addAction(tr("Attempts as &HAR…"), this,
                       [this] { exportWithDialog(tr("HAR 1.2 (*.har)"), u"har"_s); });
    exports->addAction(tr("&Report (HTML)…"), this,
                       [this] { exportWithDialog(tr("HTML report (*.html)"), u"html"_s); });
    exports->addAction(tr("Every &chart (PNG and SVG)…"), this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(m_window, tr("Write the charts into"));
        QString error;
        if (!dir.isEmpty() && !exportCharts(dir, &error))
            QMessageBox::warning(m_window, tr("Not exported"), error);
    });
    exports->addSeparator();
    exports->addAction(tr("Redacted &headers…"), this, [this] {
        bool ok = false;
        const QString text = QInputDialog::getText(
            m_window, tr("Redacted headers"),
            tr("Besides Authorization, Cookie, Set-Cookie and Proxy-Authorization, hide the "
               "values of these headers in every export (comma-separated):"),
            QLineEdit::Normal, extraRedactedHeaders().join(u", "_s), &ok);
        if (ok)
            setExtraRedactedHeaders(text.split(u',', Qt::SkipEmptyParts));
    });
}

void LogExports::setRun(std::shared_ptr<const AttemptLog> log, const Scenario &scenario)
{
    m_log = std::move(log);
    m_scenario = scenario;
    m_summary = m_log ? SummaryTally::of(*m_log) : RunSummary();
}

QStringList LogExports::extraRedactedHeaders()
{
    return QSettings().value(u"export/redactedHeaders"_s).toStringList();
}

void LogExports::setExtraRedactedHeaders(const QStringList &names)
{
    QStringList clean;
    for (const QString &n : names)
        if (!n.trimmed().isEmpty())
            clean << n.trimmed();
    QSettings().setValue(u"export/redactedHeaders"_s, clean);
}

Redactor LogExports::redactor() const
{
    return Redactor(extraRedactedHeaders());
}

bool LogExports::exportTo(const QString &fileName, QString *error)
{
    if (!m_log) {
        *error = tr("There is no run to export yet.");
        return false;
    }
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == u"csv"_s) {
        QStringList written;
        if (!writeCsvExport(*m_log, fileName, redactor(), &written, error))
            return false;
        Q_EMIT message(tr("Wrote %1").arg(written.join(u", "_s)));
        return true;
    }
    bool ok = false;
    if (suffix == u"jsonl"_s)
        ok = JsonlLogWriter::write(*m_log, fileName, redactor(), error);
    else if (suffix == u"har"_s)
        ok = writeHar(*m_log, fileName, redactor(), error);
    else if (suffix == u"html"_s)
        ok = writeHtmlReport(*m_log, m_scenario, m_summary,
                             m_scenario.expectations.check(m_summary), fileName, error);
    else
        *error = tr("%1: the file name must end in .csv, .jsonl, .har or .html").arg(fileName);
    if (ok)
        Q_EMIT message(tr("Wrote %1").arg(fileName));
    return ok;
}

bool LogExports::exportCharts(const QString &dir, QString *error)
{
    if (!m_log) {
        *error = tr("There is no run to export yet.");
        return false;
    }
    const QStringList files = writeChartPictures(*m_log, m_scenario, m_summary, dir, error);
    if (files.isEmpty())
        return false;
    Q_EMIT message(tr("Wrote %1 chart files in %2").arg(files.size()).arg(dir));
    return true;
}

void LogExports::exportWithDialog(const QString &filter, const QString &suffix)
{
    const QString name =
        QFileDialog::getSaveFileName(m_window, tr("Export the run"),
                                     fileNameFromTitle(m_scenario.name) + u"."_s + suffix, filter);
    if (name.isEmpty())
        return;
    QString error;
    if (!exportTo(name, &error))
        QMessageBox::warning(m_window, tr("Not exported"), error);
}

std::shared_ptr<AttemptLog> LogExports::open(const QString &fileName, Scenario *scenario,
                                             QString *error)
{
    auto log = std::make_shared<AttemptLog>();
    const JsonlReadResult r = readJsonlLog(fileName, *log);
    if (!r.ok) {
        *error = r.error;
        return nullptr;
    }
    FieldProblems problems;
    const auto recorded = Scenario::fromJson(log->runInfo().scenario, &problems);
    *scenario = recorded.value_or(Scenario());
    if (!recorded)
        scenario->name = QFileInfo(fileName).completeBaseName();
    Q_EMIT message(
        r.truncatedLines
            ? tr("Opened %1 (%2 attempts; the last line was cut short and is skipped)")
                  .arg(QFileInfo(fileName).fileName())
                  .arg(log->size())
            : tr("Opened %1 (%2 attempts)").arg(QFileInfo(fileName).fileName()).arg(log->size()));
    return log;
}

std::shared_ptr<AttemptLog> LogExports::openMerged(const QStringList &fileNames, Scenario *scenario,
                                                   QString *error)
{
    auto log = std::make_shared<AttemptLog>();
    const LogMergeResult r = mergeJsonlLogs(fileNames, *log);
    if (!r.ok) {
        *error = r.error;
        return nullptr;
    }
    const auto recorded = Scenario::fromJson(log->runInfo().scenario, nullptr);
    *scenario = recorded.value_or(Scenario());
    if (!recorded)
        scenario->name = tr("Merged logs");
    scenario->simulated = false; // worker logs are real time
    Q_EMIT message(tr("Merged %1 logs (%2 attempts)").arg(fileNames.size()).arg(log->size()));
    return log;
}

} // namespace retrylab
