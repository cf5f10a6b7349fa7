// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace retrylab {

// Which processor cores a real-time run's threads keep to (core/README.md, "Threads"). Against
// the built-in server in the same process, the engine's shards, the server and the run's
// worker are all busy at once; left to the system, a shard shares a core with the server and
// waits a scheduler tick (4 ms at 250 Hz) whenever the server has it, and its retries fall due
// meanwhile. Split, the shards keep a core each to themselves (every core but one at most) and
// the rest of the run keeps to the others.
struct CorePlacement {
    QList<int> all;    // the cores this process may use, as the run found them
    QList<int> shards; // the engine's shards; empty: wherever the system puts them
    QList<int> rest;   // the built-in server's thread and the run's worker

    // The calling thread's cores (Linux: sched_getaffinity, which honours taskset and
    // cgroups); empty where the system does not say.
    static QList<int> allowedCores();
    // `shards` shards on as many of the first cores of `allowed`, leaving at least the last
    // one to the rest. Not split (shards and rest empty) when there are fewer than two.
    static CorePlacement split(const QList<int> &allowed, int shards);

    bool isSplit() const { return !shards.isEmpty(); }
    // "engine on core 0, built-in server and log on core 1"; empty when not split.
    QString describe() const;
};

// Keeps the calling thread to `cores`. False when `cores` is empty, where the system cannot,
// or when it refused (a core this process may not use); the thread then stays where it was.
bool keepThreadTo(const QList<int> &cores);

} // namespace retrylab
