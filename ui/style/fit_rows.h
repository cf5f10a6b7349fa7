// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QTableView;

namespace retrylab {

// Makes a table exactly as tall as its header and `rows` rows (no empty band below the last
// row), so that the page's other parts get the rest of a small window.
void fitToRows(QTableView *table, int rows);

} // namespace retrylab
