// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/scenario.h"

#include <QJsonArray>

namespace retrylab {

// The experiment of the AWS Architecture Blog's "Exponential Backoff And Jitter": N clients
// each make one optimistic-concurrency write to one resource, retrying conflicts with a
// backoff strategy. For every client count × strategy, `trials` seeded runs in simulated time;
// reports the calls (attempts) and the time until the last client finished.
struct GridCell {
    int clients = 0;
    BackoffKind strategy = BackoffKind::Exponential;
    int trials = 0;
    double meanCalls = 0;
    double meanCompletionMs = 0;
    double worstCompletionMs = 0;
};

QList<GridCell> runContentionGrid(const Scenario &base, const QList<int> &clientCounts,
                                  const QList<BackoffKind> &strategies, int trials);
QString gridTable(const QList<GridCell> &cells);
QJsonArray gridJson(const QList<GridCell> &cells);

} // namespace retrylab
