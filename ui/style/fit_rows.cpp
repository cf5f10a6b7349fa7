// SPDX-License-Identifier: GPL-3.0-or-later
#include "fit_rows.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace retrylab {

void fitToRows(QTableView *table, int rows)
{
    const QScrollBar *bar = table->horizontalScrollBar();
    table->setFixedHeight(table->horizontalHeader()->sizeHint().height() +
                          rows * table->verticalHeader()->defaultSectionSize() +
                          2 * table->frameWidth() + (bar->isVisible() ? bar->height() : 0) + 2);
}

} // namespace retrylab
