// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_run.h"

#include "run_controller.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

struct ComparisonRun::Run {
    QString name;
    Scenario scenario;
    std::unique_ptr<RunController> controller;
    RunSummary summary;
    bool done = false;
    QString failure;
};

ComparisonRun::ComparisonRun(QObject *parent)
    : QObject(parent)
{}

ComparisonRun::~ComparisonRun() = default; // each controller stops its run as it goes

void ComparisonRun::start(const Scenario &scenario, const QStringList &jsonlPaths)
{
    m_runs.clear();
    const int count = scenario.compare.isEmpty() ? 1 : int(scenario.compare.size());
    for (int i = 0; i < count; ++i) {
        auto run = std::make_unique<Run>();
        run->scenario = scenario.compare.isEmpty() ? scenario : scenario.variant(i);
        run->name = scenario.compare.isEmpty() ? scenario.name : scenario.compare[i].name;
        run->controller = std::make_unique<RunController>();
        run->controller->setRedactor(m_redactor);
        run->controller->setShards(m_shards);
        run->controller->setSplitCores(m_splitCores && count == 1);
        Run *r = run.get();
        RunController *c = r->controller.get();
        connect(c, &RunController::runStarted, this,
                [this, i](const QUrl &target) { Q_EMIT runStarted(i, target); });
        connect(c, &RunController::progress, this,
                [this, i](quint64 done, quint64 started) { Q_EMIT progress(i, done, started); });
        connect(c, &RunController::summaryUpdated, this, [this, r, i](const RunSummary &s) {
            r->summary = s;
            Q_EMIT summaryUpdated(i);
        });
        connect(c, &RunController::runFinished, this, [this, r, i](const RunSummary &s) {
            r->summary = s;
            Q_EMIT summaryUpdated(i);
            ended(*r);
        });
        connect(c, &RunController::logFailed, this,
                [this, i](const QString &reason) { Q_EMIT logFailed(i, reason); });
        connect(c, &RunController::runFailed, this, [this, r](const QString &reason) {
            r->failure = reason;
            ended(*r);
        });
        m_runs.push_back(std::move(run));
    }
    // Started once every run is in the list, so a slot that counts the runs sees them all.
    // Each run without a shared server starts one of its own: same profile, same seed.
    for (int i = 0; i < count; ++i)
        m_runs[std::size_t(i)]->controller->start(m_runs[std::size_t(i)]->scenario,
                                                  jsonlPaths.value(i));
}

void ComparisonRun::ended(Run &run)
{
    run.done = true;
    const auto i = std::find_if(m_runs.begin(), m_runs.end(),
                                [&run](const auto &r) { return r.get() == &run; }) -
                   m_runs.begin();
    Q_EMIT runEnded(int(i));
    if (!isRunning())
        Q_EMIT finished();
}

void ComparisonRun::stop()
{
    for (auto &r : m_runs)
        if (!r->done)
            r->controller->stop();
}

bool ComparisonRun::isRunning() const
{
    return std::any_of(m_runs.begin(), m_runs.end(), [](const auto &r) { return !r->done; });
}

QString ComparisonRun::policyName(int run) const
{
    return m_runs[std::size_t(run)]->name;
}

const Scenario &ComparisonRun::scenario(int run) const
{
    return m_runs[std::size_t(run)]->scenario;
}

std::shared_ptr<const AttemptLog> ComparisonRun::log(int run) const
{
    return m_runs[std::size_t(run)]->controller->log();
}

const RunSummary &ComparisonRun::summary(int run) const
{
    return m_runs[std::size_t(run)]->summary;
}

bool ComparisonRun::isDone(int run) const
{
    return m_runs[std::size_t(run)]->done;
}

QString ComparisonRun::failure(int run) const
{
    return m_runs[std::size_t(run)]->failure;
}

QList<Expectations::Result> ComparisonRun::check(int run) const
{
    return scenario(run).expectations.check(summary(run));
}

QStringList ComparisonRun::tableHeader()
{
    // The columns that tell the demos' stories come first: attempts per operation, the retries
    // that arrive together, duplicate charges, early returns after Retry-After.
    return {tr("Policy"),
            tr("Operations succeeded"),
            tr("Attempts sent"),
            tr("Amplification"),
            tr("Peak retries per 100 ms"),
            tr("Duplicate charges"),
            tr("Retry-After early"),
            tr("p50 completion"),
            tr("p99 completion"),
            tr("Peak server load per 100 ms")};
}

QStringList ComparisonRun::tableRow(const QString &policy, const RunSummary &s, qint64 sentPeak)
{
    const QString unknown = u"–"_s;
    // "100/100 (100%)", "98/100 (98%)", "199/200 (99.5%)": short, for a 1280-pixel window.
    const double rate = 100.0 * s.successRate();
    const QString percent = QString::number(rate, 'f', rate == std::floor(rate) ? 0 : 1);
    QString serverPeak = QString::number(s.peakServerPer100ms);
    if (s.peakServerPer100ms < 0)
        serverPeak = sentPeak >= 0 ? tr("%1 (so far, sent)").arg(sentPeak) : unknown;
    return {
        policy,
        tr("%1/%2 (%3%)").arg(s.succeeded).arg(s.operations).arg(percent),
        QString::number(s.attemptsSent),
        QString::number(s.amplification, 'f', 2),
        QString::number(s.peakRetriesPer100ms),
        s.duplicates >= 0 ? QString::number(s.duplicates) : unknown,
        s.retryAfterJudged > 0 ? tr("%1 of %2").arg(s.retryAfterViolations).arg(s.retryAfterJudged)
                               : unknown,
        tr("%1 ms").arg(s.p50Ms, 0, 'f', 0),
        tr("%1 ms").arg(s.p99Ms, 0, 'f', 0),
        serverPeak,
    };
}

QString ComparisonRun::table() const
{
    QList<QStringList> rows{tableHeader()};
    for (const auto &r : m_runs)
        rows << tableRow(r->name + (r->done ? QString() : tr(" (running)")), r->summary);
    QList<qsizetype> widths(rows.front().size(), 0);
    for (const QStringList &row : rows)
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    QStringList lines;
    for (const QStringList &row : rows) {
        QStringList cells;
        for (qsizetype c = 0; c < row.size(); ++c) // names left, figures right
            cells << (c == 0 ? row[c].leftJustified(widths[c]) : row[c].rightJustified(widths[c]));
        lines << cells.join(u"  "_s);
    }
    return lines.join(u'\n');
}

} // namespace retrylab
