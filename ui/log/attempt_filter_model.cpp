// SPDX-License-Identifier: GPL-3.0-or-later
#include "attempt_filter_model.h"

#include "attempt_table_model.h"

namespace retrylab {

AttemptFilterModel::AttemptFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::DisplayRole);
}

void AttemptFilterModel::setOutcome(const QString &outcomeId)
{
    m_outcome = outcomeId;
    invalidateFilter();
}

void AttemptFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool AttemptFilterModel::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const QAbstractItemModel *m = sourceModel();
    if (m_outcome == kPossibleDuplicates) {
        if (!m->index(row, 0, parent).data(AttemptTableModel::DuplicateRole).toBool())
            return false;
    } else if (!m_outcome.isEmpty() &&
               m->index(row, 0, parent).data(AttemptTableModel::OutcomeIdRole).toString() !=
                   m_outcome) {
        return false;
    }
    if (m_text.isEmpty())
        return true;
    for (int c = 0; c < m->columnCount(parent); ++c)
        if (m->index(row, c, parent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace retrylab
