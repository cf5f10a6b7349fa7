// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_table.h"

#include <QHeaderView>

using namespace Qt::StringLiterals;

namespace retrylab {

ComparisonTable::ComparisonTable(QWidget *parent)
    : QTableWidget(0, 10, parent)
{
    setObjectName(u"comparisonTable"_s);
    // The columns that tell the demos' stories come first: attempts per operation, the retries
    // that arrive together, duplicate charges, early returns after Retry-After.
    setHorizontalHeaderLabels({tr("Policy"), tr("Operations succeeded"), tr("Attempts sent"),
                               tr("Amplification"), tr("Peak retries"), tr("Duplicate charges"),
                               tr("Retry-After early"), tr("p50 completion"), tr("p99 completion"),
                               tr("Peak server load")});
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    verticalHeader()->hide();
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeaderItem(3)->setToolTip(tr("Attempts sent per operation"));
    horizontalHeaderItem(4)->setToolTip(
        tr("Retries the clients sent in their busiest 100 ms: where a herd shows"));
    horizontalHeaderItem(5)->setToolTip(
        tr("Payments the server's ledger counted twice for one operation"));
    horizontalHeaderItem(6)->setToolTip(
        tr("Retries that came back before the Retry-After they were given, of those judged"));
    horizontalHeaderItem(9)->setToolTip(
        tr("Requests that arrived at the server in its busiest 100 ms, the opening burst "
           "included"));
    setMinimumHeight(horizontalHeader()->sizeHint().height() +
                     4 * verticalHeader()->defaultSectionSize() + 6);
}

void ComparisonTable::show(const QList<Row> &rows)
{
    setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const Row &r = rows[i];
        const RunSummary &s = r.summary;
        const QStringList cells{
            r.policy + (r.running ? tr(" (running)") : QString()),
            tr("%1 of %2 (%3%)")
                .arg(s.succeeded)
                .arg(s.operations)
                .arg(100.0 * s.successRate(), 0, 'f', 1),
            QString::number(s.attemptsSent),
            QString::number(s.amplification, 'f', 2),
            tr("%1 per 100 ms").arg(s.peakRetriesPer100ms),
            s.duplicates >= 0 ? QString::number(s.duplicates) : u"–"_s,
            s.retryAfterJudged > 0
                ? tr("%1 of %2").arg(s.retryAfterViolations).arg(s.retryAfterJudged)
                : u"–"_s,
            tr("%1 ms").arg(s.p50Ms, 0, 'f', 0),
            tr("%1 ms").arg(s.p99Ms, 0, 'f', 0),
            s.peakServerPer100ms >= 0 ? tr("%1 per 100 ms").arg(s.peakServerPer100ms)
                                      : tr("%1 per 100 ms (so far, sent)").arg(r.sentPeak),
        };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c == 0)
                item->setForeground(r.color);
            else
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            setItem(i, c, item);
        }
    }
}

} // namespace retrylab
