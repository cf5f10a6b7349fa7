// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "attempt_log.h"

#include <QStringList>

namespace retrylab {

// Several JSON Lines logs of one run (Locust's workers each write one) as one log. Each file's
// times count from its own start, so every record is moved by how much later than the
// earliest file that file started (its run line's wall-clock start). Attempts are then put
// in the order they finished, breaker transitions in time order, as one engine would have
// appended them. The run information is the first file's, started at the earliest start.
struct LogMergeResult {
    bool ok = false;
    QString error;          // names the file and the line
    int truncatedLines = 0; // unfinished last lines, over all files
};
LogMergeResult mergeJsonlLogs(const QStringList &fileNames, AttemptLog &into);

} // namespace retrylab
