// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"
#include "log/run_summary.h"
#include "scenario/scenario.h"

#include <QString>

#include <functional>
#include <optional>

namespace retrylab {

// What `retrylab --headless` was asked to do.
struct HeadlessOptions {
    QString scenarioFile;
    QString policy; // of a comparison: run only the policy of this name
    std::optional<quint64> seed;
    bool simulated = false;
    int shards = 0;            // engine shards of a real-time run; 0: EngineShards::countFor
    bool shareCores = false;   // leave the threads where the system puts them (CorePlacement)
    QString logFile;           // JSON Lines, streamed during the run
    QString summaryFile;       // JSON
    QString csvFile;           // attempts; breakers and server journal beside it
    QString harFile;           // HAR 1.2
    QString reportFile;        // one-page HTML
    QString chartsDir;         // every chart as PNG and SVG
    QStringList redactHeaders; // besides Authorization, Cookie, Set-Cookie, Proxy-Authorization
    bool redact = true;
    // Writes the HTML report (charts need the widgets, which the core does not link).
    std::function<bool(const AttemptLog &, const Scenario &, const RunSummary &,
                       const QList<Expectations::Result> &, const QString &, QString *)>
        writeReport;
    std::function<QStringList(const AttemptLog &, const Scenario &, const RunSummary &,
                              const QString &, QString *)>
        writeCharts;
    // The contention experiment instead of one run: client counts × strategies × trials.
    QString gridClients;    // "10,50,100"
    QString gridStrategies; // "exponential,full-jitter,..."; empty: the four of the study
    int trials = 1;
    int jobs = 0;        // threads for a study's trials; 0: one per core
    QString sweepField;  // a study of another field than the clients ("baseMs")
    QString sweepValues; // its values: "1,5,25" or "10..190/10"
    // Merge these JSON Lines logs (Locust's workers write one each) into one run and report
    // on it instead of running the scenario.
    QStringList mergeLogs;
};

// Runs a scenario without a display: loads it (exit 2 with the file, field and problem when it
// is bad), runs it with progress on stderr when that is a terminal, prints the summary, and
// writes what was asked. A comparison scenario runs every policy at the same time (a
// ComparisonRun), prints one summary per policy and a side-by-side table, checks each
// policy's expectations, and writes each policy's files with its number and name in the
// file name (the summary file holds them all). SIGINT/SIGTERM stop the run (attempts in flight
// get a short grace, a second signal abandons them at once) and still write what was collected.
// Returns the exit code: 0 for a completed run whose expectations all hold, 1 when any
// expectation fails (each printed with its measured value), 2 for bad input, a run that could
// not start or whose files (the streamed log included) could not be written, 130 for a run
// stopped by a signal.
constexpr int kInterruptedExitCode = 130;
// One line on stderr: how the headless commands (run, study, merge) report.
void headlessSay(const QString &text);
int runHeadless(const HeadlessOptions &options);

// `--grid-clients` or `--sweep-field`: a study (contention_grid.h) instead of one run; prints
// its table, writes --summary (JSON, one object per cell) and --csv (headless_study.cpp).
int runStudyHeadless(const HeadlessOptions &options, const Scenario &scenario);

// `--merge LOG...`: merges the logs (log/log_merge.h), takes the scenario from their run line,
// and reports as after a run (headless_merge.cpp).
int runMerged(const HeadlessOptions &options);

} // namespace retrylab
