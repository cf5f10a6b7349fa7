// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace retrylab {

// Filters the attempt table by outcome and by text in any column.
class AttemptFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AttemptFilterModel(QObject *parent = nullptr);

    // Empty: all; kPossibleDuplicates: the rows marked as possible duplicate charges.
    void setOutcome(const QString &outcomeId);
    static inline const QString kPossibleDuplicates = QStringLiteral("possible-duplicates");
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString m_outcome;
    QString m_text;
};

} // namespace retrylab
