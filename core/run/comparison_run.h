// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/redactor.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <QObject>
#include <QUrl>

#include <memory>
#include <vector>

namespace retrylab {

class RunController;

// A comparison: one scenario run once per policy in its "compare" list, all at the same time,
// each run against its own identically seeded built-in server (or in its own simulated time),
// so that the only difference between them is the policy. A scenario without a list runs once
// with its own policy, so the window's Compare tab and `retrylab --headless` drive every
// scenario the same way. Lives in the thread that starts it (each run's engine has its own).
class ComparisonRun : public QObject
{
    Q_OBJECT
public:
    explicit ComparisonRun(QObject *parent = nullptr);
    ~ComparisonRun() override;

    // Starts every run. `jsonlPaths[i]`, when there is one and it is not empty, streams run i's
    // log there. Runs already going are stopped and dropped first.
    void start(const Scenario &scenario, const QStringList &jsonlPaths = {});
    void setRedactor(const Redactor &redactor) { m_redactor = redactor; }
    void setShards(int shards) { m_shards = shards; } // RunController::setShards
    // RunController::setSplitCores, for a single run: runs side by side share every core.
    void setSplitCores(bool split) { m_splitCores = split; }
    void stop();
    bool isRunning() const;

    // The runs, in the order of the compare list; valid from start() on.
    int size() const { return int(m_runs.size()); }
    QString policyName(int run) const;
    const Scenario &scenario(int run) const; // the single run's scenario: its policy, its seed
    std::shared_ptr<const AttemptLog> log(int run) const;
    const RunSummary &summary(int run) const; // so far while it runs, then the final one
    bool isDone(int run) const;
    QString failure(int run) const; // why the run could not go on; empty when it finished
    // The scenario's expectations, with the policy's own over them, checked on the summary.
    QList<Expectations::Result> check(int run) const;

    // The columns a comparison shows per policy, in the window's table and the headless text.
    static QStringList tableHeader();
    // One policy's row. `sentPeak`: the peak of the requests sent per 100 ms, shown while the
    // server's own count is not known yet.
    static QStringList tableRow(const QString &policy, const RunSummary &summary,
                                qint64 sentPeak = -1);
    // Every run side by side as aligned text, one line per policy.
    QString table() const;

Q_SIGNALS:
    void runStarted(int run, const QUrl &target);
    void progress(int run, quint64 operationsDone, quint64 operationsStarted);
    void summaryUpdated(int run);
    void runEnded(int run); // finished or failed
    // Run `run`'s streamed log could not be written; that run stops, and runEnded follows.
    void logFailed(int run, const QString &reason);
    void finished(); // every run has ended

private:
    struct Run;
    void ended(Run &run);

    std::vector<std::unique_ptr<Run>> m_runs;
    Redactor m_redactor;
    int m_shards = 0;
    bool m_splitCores = true;
};

} // namespace retrylab
