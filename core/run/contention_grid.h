// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QJsonArray>

#include <atomic>
#include <functional>

namespace retrylab {

// A study: the contention experiment of the AWS Architecture Blog's "Exponential Backoff And
// Jitter" (contention_trial.h) for many variants of one scenario — a swept field's values ×
// strategies (or presets) — each run for `trials` seeded trials in simulated time. Trial t of
// every cell runs under seed + t, so cells are compared on the same random draws.

// One cell to run: a variant of the scenario, and where it sits in the study.
struct StudyCellSpec {
    QString field = QStringLiteral("clients"); // the swept field
    double value = 0;                          // its value here
    QString strategy;                          // the backoff kind's id or the preset's id
    Scenario scenario;
};

// What a cell measured over its trials: means, and the 10th and 90th percentiles across
// trials (linear interpolation between order statistics).
struct GridCell {
    QString field = QStringLiteral("clients");
    double value = 0;
    int clients = 0;
    QString strategy;
    int trials = 0;
    double meanCalls = 0, p10Calls = 0, p90Calls = 0;
    double meanCompletionMs = 0, p10CompletionMs = 0, p90CompletionMs = 0;
    double worstCompletionMs = 0;
    double meanClientLatencyMs = 0;
    qint64 gaveUp = 0;    // clients (over all trials) whose policy stopped before winning
    int mostAttempts = 0; // by one client in any trial
};

struct StudyOptions {
    int trials = 1;
    int jobs = 0; // threads; 0: one per core
    // Set from any thread to stop early; the cells not finished are left out.
    const std::atomic<bool> *cancel = nullptr;
    // Called (from a worker thread, one call at a time) as each cell completes.
    std::function<void(int index, const GridCell &cell)> cellDone;
};

// Runs every cell; the result is the same for any number of jobs, byte for byte.
QList<GridCell> runStudy(const QList<StudyCellSpec> &cells, const StudyOptions &options);

// The classic grid: client counts × backoff strategies (study_fields.h builds any study).
QList<GridCell> runContentionGrid(const Scenario &base, const QList<int> &clientCounts,
                                  const QList<BackoffKind> &strategies, int trials, int jobs = 0);

// The time of every conditional write of one trial (the blog's "clusters" of calls).
std::vector<qint64> contentionWriteTimes(const Scenario &scenario, std::uint64_t seed);

QString gridTable(const QList<GridCell> &cells);
QJsonArray gridJson(const QList<GridCell> &cells);
QString gridCsv(const QList<GridCell> &cells);

} // namespace retrylab
