// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_table.h"

#include "run/comparison_run.h"
#include "style/fit_rows.h"

#include <QHeaderView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace retrylab {

ComparisonTable::ComparisonTable(QWidget *parent)
    : QTableWidget(0, int(ComparisonRun::tableHeader().size()), parent)
{
    setObjectName(u"comparisonTable"_s);
    // The headless table's header, on two lines so that every column fits a 1280-pixel window.
    QStringList header = ComparisonRun::tableHeader();
    for (QString &label : header) {
        const qsizetype unit = label.indexOf(u" per "_s);
        const qsizetype space = unit > 0 ? unit : label.lastIndexOf(u' ');
        if (space > 0)
            label[space] = u'\n';
    }
    setHorizontalHeaderLabels(header);
    // Every number keeps its width; the policy's name takes what is left and is elided (its
    // colour and tooltip still name it), so no column scrolls out of a 1280-pixel window.
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    setTextElideMode(Qt::ElideRight);
    setWordWrap(false); // an elided name stays on one line
    verticalHeader()->hide();
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeaderItem(3)->setToolTip(tr("Attempts sent per operation"));
    horizontalHeaderItem(4)->setToolTip(
        tr("Retries the clients sent in their busiest 100 ms slot (slots counted from the "
           "run's start, as the load chart draws them): where a herd shows"));
    horizontalHeaderItem(5)->setToolTip(
        tr("Payments the server's ledger counted twice for one operation"));
    horizontalHeaderItem(6)->setToolTip(
        tr("Retries that came back before the Retry-After they were given, of those judged"));
    horizontalHeaderItem(9)->setToolTip(
        tr("Requests that arrived at the server in its busiest 100 ms slot, the opening burst "
           "included"));
    fitRows();
}

void ComparisonTable::fitRows()
{
    // Two rows at least, for the empty table; the charts above get the rest.
    fitToRows(this, std::max(2, rowCount()));
}

void ComparisonTable::show(const QList<Row> &rows)
{
    setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const Row &r = rows[i];
        const QStringList cells = ComparisonRun::tableRow(
            r.policy + (r.running ? tr(" (running)") : QString()), r.summary, r.sentPeak);
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c == 0) {
                item->setForeground(r.color);
                item->setToolTip(cells[c]);
            } else {
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            setItem(i, c, item);
        }
    }
    fitRows();
}

} // namespace retrylab
