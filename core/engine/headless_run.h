// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <optional>

namespace retrylab {

// What `retrylab --headless` was asked to do.
struct HeadlessOptions {
    QString scenarioFile;
    std::optional<quint64> seed;
    bool simulated = false;
    QString logFile;     // JSON Lines, streamed during the run
    QString summaryFile; // JSON
    // The contention experiment instead of one run: client counts × strategies × trials.
    QString gridClients;    // "10,50,100"
    QString gridStrategies; // "exponential,full-jitter,..."; empty: the four of the study
    int trials = 1;
};

// Runs a scenario without a display: loads it (exit 2 with the file, field and problem when it
// is bad), runs it with progress on stderr when that is a terminal, prints the summary, and
// writes what was asked. SIGINT/SIGTERM stop the run cleanly and still write what was
// collected. Returns the exit code: 0 for a completed run, 2 for bad input or a run that
// could not start.
int runHeadless(const HeadlessOptions &options);

} // namespace retrylab
