// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "log/attempt_log.h"

#include <QAbstractTableModel>

#include <memory>

namespace retrylab {

// A table over the engine's attempt log, one row per attempt, reading the log in place (no
// copies). refresh() announces the rows appended since the last call, in one batch.
class AttemptTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Client,
        Operation,
        Attempt,
        Started,
        Took,
        Outcome,
        Status,
        PlannedWait,
        ActualWait,
        WaitReason,
        RetryAfter,
        Breaker,
        Key,
        Stop,
        ColumnCount
    };
    // The outcome's id ("server-error"), for filters.
    static constexpr int OutcomeIdRole = Qt::UserRole + 1;

    explicit AttemptTableModel(QObject *parent = nullptr);

    void setLog(std::shared_ptr<const AttemptLog> log);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    const AttemptLog *log() const { return m_log.get(); }

private:
    std::shared_ptr<const AttemptLog> m_log;
    int m_rows = 0;
};

} // namespace retrylab
