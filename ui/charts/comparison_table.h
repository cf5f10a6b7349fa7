// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/run_summary.h"

#include <QTableWidget>

namespace retrylab {

// The comparison's summary table: per policy, what a team asks first — operations succeeded,
// attempts, amplification, peak retries, duplicate charges, Retry-After early returns,
// p50/p99 completion, peak server load.
class ComparisonTable : public QTableWidget
{
    Q_OBJECT
public:
    explicit ComparisonTable(QWidget *parent = nullptr);

    struct Row {
        QString policy;
        QColor color;
        RunSummary summary;
        bool running = false;
        qint64 sentPeak = 0; // while the server's own count is not known yet
    };
    void show(const QList<Row> &rows);

private:
    void fitRows();
};

} // namespace retrylab
